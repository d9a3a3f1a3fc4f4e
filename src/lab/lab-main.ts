/**
 * The lab process: started by a `lab` target (or `chaos lab up`) with LAB_DIR (its data, event log and lab.json)
 * and LAB_SETTINGS (the resolved settings, JSON). It runs until SIGTERM/SIGINT, then stops its instances and
 * proxies. It runs in its own process group with its instances, so stopping the group stops everything.
 */
import { mkdir } from 'node:fs/promises';
import { labInfoPath, writeLabInfo } from './contract/lab-info.js';
import type { LabSettings } from './contract/lab-settings.js';
import { handleAdmin } from './admin-api.js';
import { Lab } from './lab.js';

const dir = process.env.LAB_DIR;
if (dir === undefined || dir === '') {
  process.stderr.write('lab: LAB_DIR is not set\n');
  process.exit(2);
}
// Already validated and resolved (durations in ms) by the lab target that started this process.
const settings = JSON.parse(process.env.LAB_SETTINGS ?? '{}') as LabSettings;
await mkdir(dir, { recursive: true });
const lab = new Lab(settings, dir);
let stopping: Promise<void> | null = null;
const stop = () => {
  stopping ??= lab
    .stop()
    .catch((error: unknown) => {
      process.stderr.write(`lab: stopping failed: ${String(error)}\n`);
    })
    .finally(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
try {
  const info = await lab.start(handleAdmin);
  await writeLabInfo(labInfoPath(dir), info);
  process.stdout.write(`lab ${info.name} serving at ${info.url} (proxy API ${info.proxyApi})\n`);
} catch (error) {
  process.stderr.write(`lab: cannot start: ${error instanceof Error ? error.stack : String(error)}\n`);
  await lab.stop().catch(() => undefined);
  process.exit(1);
}
