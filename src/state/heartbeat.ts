/**
 * Liveness for the file state backend: a heartbeat file per holder, `<stateDir>/liveness/<runId>.heartbeat.json`,
 * rewritten atomically (temp file, fsync, rename) every `renewEveryMs` with the time and a renewal counter. It is
 * what lets a state directory on a shared volume (a PVC, NFS) be recovered from another host: there, a PID means
 * nothing, but a heartbeat that stopped does (liveness.ts judges it).
 *
 * A `chaos recover` that takes a dead run over writes `<runId>.claim.json` instead, created exclusively (O_EXCL, so
 * of two recoverers one gets it) and renewed the same way. A runner that finds a claim on its run while renewing
 * has lost its run: it is told, and stops.
 */
import { mkdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Holder, HolderEvents, LivenessHandle, LivenessTiming } from './backend.js';
import type { LivenessRecord } from './liveness.js';
import { keepRenewing } from './renewal.js';
import { createDurably, isCode, tempNameFor, writeFileAtomic } from '../os/fsync.js';

export type HeartbeatKind = 'heartbeat' | 'claim';

interface HeartbeatFile {
  runId: string;
  host: string;
  pid: number;
  pidStartTime: string | null;
  renewedAt: string;
  renewals: number;
  durationMs: number;
  renewEveryMs: number;
}

export function heartbeatPath(stateDir: string, runId: string, kind: HeartbeatKind = 'heartbeat'): string {
  return join(stateDir, 'liveness', `${runId}.${kind}.json`);
}

/**
 * Writes the holder's first heartbeat (or claim) and keeps it renewed until `stop`, which removes it. A claim is
 * created exclusively: null when another recoverer holds it.
 */
export async function startHeartbeat(stateDir: string, holder: Holder, timing: LivenessTiming, events: HolderEvents, kind: HeartbeatKind = 'heartbeat'): Promise<LivenessHandle | null> {
  const path = heartbeatPath(stateDir, holder.runId, kind);
  await mkdir(join(stateDir, 'liveness'), { recursive: true });
  let renewals = 0;
  const content = () => `${JSON.stringify({ ...holder, renewedAt: new Date().toISOString(), renewals, ...timing } satisfies HeartbeatFile)}\n`;
  if (kind === 'claim') {
    try {
      await createDurably(path, content());
    } catch (error) {
      if (isCode(error, 'EEXIST')) return null;
      throw error;
    }
  } else {
    await writeFileAtomic(path, content());
  }
  const renewal = keepRenewing({
    everyMs: timing.renewEveryMs,
    durationMs: timing.durationMs,
    onError: events.onError,
    onLost: events.onLost,
    renew: async () => {
      if (kind === 'heartbeat') {
        const claim = await readHeartbeatFile(heartbeatPath(stateDir, holder.runId, 'claim'));
        if (claim !== null) return { renewed: false, lost: `run ${holder.runId} was claimed by a \`chaos recover\` on ${claim.host} (pid ${claim.pid})` };
      }
      renewals++;
      await writeFileAtomic(path, content());
      return { renewed: true };
    },
  });
  return {
    async stop() {
      await renewal.stop();
      const current = await readHeartbeatFile(path);
      // Only our own: a claim may have replaced a heartbeat we no longer own.
      if (current !== null && current.host === holder.host && current.pid === holder.pid) await unlink(path).catch(() => undefined);
    },
  };
}

/** The liveness record of a run's heartbeat (or claim); null when there is none or it cannot be read. */
export async function readHeartbeat(stateDir: string, runId: string, kind: HeartbeatKind = 'heartbeat'): Promise<LivenessRecord | null> {
  const file = await readHeartbeatFile(heartbeatPath(stateDir, runId, kind));
  if (file === null) return null;
  return {
    version: `${file.renewedAt}#${file.renewals}`,
    host: file.host,
    pid: file.pid,
    pidStartTime: file.pidStartTime,
    renewedAt: Date.parse(file.renewedAt),
    durationMs: file.durationMs,
    renewEveryMs: file.renewEveryMs,
  };
}

/**
 * Removes a dead recoverer's claim so the run can be claimed again. It is renamed to a name of our own first and
 * checked there, so a claim another recoverer created in the meantime is put back rather than removed.
 */
export async function removeStaleClaim(stateDir: string, runId: string, stale: LivenessRecord): Promise<void> {
  const path = heartbeatPath(stateDir, runId, 'claim');
  const aside = tempNameFor(path);
  try {
    await rename(path, aside);
  } catch (error) {
    if (isCode(error, 'ENOENT')) return;
    throw error;
  }
  const file = await readHeartbeatFile(aside);
  if (file !== null && `${file.renewedAt}#${file.renewals}` !== stale.version) {
    // Not the claim we judged: somebody else's fresh one. Put it back unless yet another appeared meanwhile.
    await createDurably(path, `${JSON.stringify(file)}\n`).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}

async function readHeartbeatFile(path: string): Promise<HeartbeatFile | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT', 'ENOTDIR')) return null;
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<HeartbeatFile>;
    if (typeof value.host !== 'string' || typeof value.pid !== 'number' || typeof value.renewedAt !== 'string') return null;
    return {
      runId: String(value.runId ?? ''),
      host: value.host,
      pid: value.pid,
      pidStartTime: typeof value.pidStartTime === 'string' ? value.pidStartTime : null,
      renewedAt: value.renewedAt,
      renewals: Number(value.renewals ?? 0),
      durationMs: Number(value.durationMs ?? 0),
      renewEveryMs: Number(value.renewEveryMs ?? 0),
    };
  } catch {
    // Written atomically, so never torn: unreadable means somebody else wrote it.
    return null;
  }
}
