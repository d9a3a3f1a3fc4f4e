/**
 * Where `chaos lab up` keeps a lab: `<state dir>/lab/<name>/` holds its data, its event log, its log and its
 * lab.json, so a run and `chaos lab status|down` find it by name.
 */
import { join } from 'node:path';

export function upLabDir(stateDir: string, name: string): string {
  return join(stateDir, 'lab', name);
}
