/**
 * What a running lab publishes about itself in `<lab dir>/lab.json` once it serves: where its router and proxy API
 * listen, its event log, and the identity of its process. The lab target reads it to connect; `chaos lab status`
 * and `down` read the copy `chaos lab up` keeps in the state dir.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface LabInfo {
  name: string;
  pid: number;
  startTime: string | null;
  /** The router: the lab's entry URL, also serving `/admin/*`. */
  url: string;
  /** The embedded Toxiproxy-compatible API of the lab's proxies. */
  proxyApi: string;
  dir: string;
  events: string;
  /** Per region, the URL of each instance's proxy. */
  regions: Record<string, string[]>;
  proxies: string[];
  startedAt: string;
}

export function labInfoPath(dir: string): string {
  return join(dir, 'lab.json');
}

export async function writeLabInfo(path: string, info: LabInfo): Promise<void> {
  // Written whole, then renamed: a reader never sees half a file.
  await writeFile(`${path}.tmp`, `${JSON.stringify(info, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
}

export async function readLabInfo(path: string): Promise<LabInfo | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LabInfo;
  } catch {
    return null;
  }
}
