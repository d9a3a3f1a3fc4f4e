/**
 * The distributed lab's control service (docker-compose's `lab`): the router on the entry URL with the admin API
 * under `/admin/` (also `GET /admin/info` and `GET /admin/events`, the ground truth, for a runner elsewhere), and
 * the replicator with its apply endpoint behind the `replication` proxy. Instances run under agents, proxies on
 * Toxiproxy; settings come from the environment (CONTROL_ENV in lab-env.ts). Runs until SIGTERM/SIGINT.
 */
import { mkdir } from 'node:fs/promises';
import { distributedWiring } from './distributed-wiring.js';
import { labInfoPath, writeLabInfo } from './contract/lab-info.js';
import { controlConfig, type ControlConfig } from './lab-env.js';
import { handleAdmin } from './admin-api.js';
import { Lab } from './lab.js';
import { messageOf } from '../errors.js';

let config: ControlConfig;
try {
  config = controlConfig(process.env);
} catch (error) {
  process.stderr.write(`lab control: ${messageOf(error)}\n`);
  process.exit(2);
}
await mkdir(config.dir, { recursive: true });
const lab = new Lab(config.settings, config.dir, distributedWiring(config));
let stopping: Promise<void> | null = null;
const stop = () => {
  stopping ??= lab
    .stop()
    .catch((error: unknown) => void process.stderr.write(`lab control: stopping failed: ${String(error)}\n`))
    .finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
try {
  const info = await lab.start(handleAdmin);
  await writeLabInfo(labInfoPath(config.dir), info);
  process.stdout.write(`${JSON.stringify({ url: info.url, apply: lab.applyPort, pid: process.pid })}\n`);
} catch (error) {
  process.stderr.write(`lab control: cannot start: ${messageOf(error)}\n`);
  await lab.stop().catch(() => undefined);
  process.exit(1);
}
