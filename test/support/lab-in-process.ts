/**
 * The lab's parts wired together in the test process (the `Lab` class the lab process runs), with real instance
 * processes, real proxies and real SQLite files in a temp dir, so integration tests can drive and inspect it
 * directly. `stop()` stops every instance it started.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabInfo } from '../../src/lab/contract/lab-info.js';
import { labSettingsSchema, type LabSettings } from '../../src/lab/contract/lab-settings.js';
import { handleAdmin } from '../../src/lab/admin-api.js';
import { Lab } from '../../src/lab/lab.js';
import { readEventLog, type LabEvent } from '../../src/lab/event-log.js';

export interface LabInProcess {
  lab: Lab;
  info: LabInfo;
  events(): LabEvent[];
  stop(): Promise<void>;
}

export async function startLabInProcess(settings: Record<string, unknown> = {}): Promise<LabInProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'chaosdrill-lab-'));
  const lab = new Lab(labSettingsSchema.parse(settings) as LabSettings, dir);
  let info: LabInfo;
  try {
    info = await lab.start(handleAdmin);
  } catch (error) {
    await lab.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  let stopped = false;
  return {
    lab,
    info,
    events: () => readEventLog(lab.events.path),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await lab.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** POSTs an order through the router; resolves to the status. */
export async function postOrder(url: string, id: string): Promise<number> {
  const res = await fetch(`${url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id }), signal: AbortSignal.timeout(3_000) });
  await res.arrayBuffer();
  return res.status;
}
