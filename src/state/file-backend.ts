/**
 * The file state backend (`--state file:DIR`, the default `file:.chaos`): under DIR, one ledger file per run
 * (`ledger/<runId>.jsonl`, every line fsynced, ledger.ts), one lock file per holder and target (`locks/`, lock.ts),
 * and one heartbeat file per live run (`liveness/<runId>.heartbeat.json`, heartbeat.ts), so the directory can sit
 * on a volume several hosts share: a run is recovered from another host once its heartbeat expired.
 */
import { access, mkdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { LedgerLine, LedgerRunHeader } from './ledger-lines.js';
import { parseLedger } from './ledger-lines.js';
import { removeStaleLocks, TargetLocks, type LockHolderRecord } from './lock.js';
import { appendDurably, createDurably, isCode } from '../os/fsync.js';
import { isProcessAlive } from '../os/process-identity.js';
import { listStateDir, stateDirError } from './state-dir.js';
import type { HeldLocks, Holder, HolderEvents, LedgerSink, LivenessHandle, LivenessTiming, LockTarget, StateBackend, StoredRun } from './backend.js';
import { DEFAULT_TIMING } from './backend.js';
import { heartbeatPath, readHeartbeat, removeStaleClaim, startHeartbeat } from './heartbeat.js';
import type { LivenessJudge } from './liveness.js';
import { waitForVerdict } from './liveness.js';

/** The ledger file of a run. */
export function ledgerPath(stateDir: string, runId: string): string {
  return join(stateDir, 'ledger', `${runId}.jsonl`);
}

/** A backend as given, or the file backend on a directory (callers and tests that name a state directory). */
export function stateBackendOf(state: StateBackend | string): StateBackend {
  return typeof state === 'string' ? new FileStateBackend(state) : state;
}

export class FileStateBackend implements StateBackend {
  constructor(
    readonly dir: string,
    readonly timing: LivenessTiming = DEFAULT_TIMING,
  ) {}

  get description(): string {
    return `file:${this.dir}`;
  }

  async startLiveness(holder: Holder, events: HolderEvents): Promise<LivenessHandle> {
    try {
      return (await startHeartbeat(this.dir, holder, this.timing, events))!;
    } catch (error) {
      throw stateDirError(error, this.dir);
    }
  }

  async createLedger(header: LedgerRunHeader): Promise<LedgerSink> {
    const path = ledgerPath(this.dir, header.runId);
    const line: LedgerLine = { kind: 'run', ...header };
    try {
      await mkdir(join(this.dir, 'ledger'), { recursive: true });
      await createDurably(path, `${JSON.stringify(line)}\n`);
    } catch (error) {
      // A second ledger for one run id (EEXIST) is a bug, not a directory to fix.
      throw isCode(error, 'EEXIST') ? error : stateDirError(error, this.dir);
    }
    return fileSink(path);
  }

  /** File locks need no renewal: a lock's holder is judged by its run's heartbeat. */
  acquireLocks(targets: readonly LockTarget[], holder: Holder, judge: LivenessJudge, _events?: HolderEvents): Promise<HeldLocks> {
    return TargetLocks.acquire(this.dir, [...targets], { ...holder, keptLiveness: true }, (record) => this.#isLockHolderAlive(record, judge));
  }

  async listRuns(): Promise<StoredRun[]> {
    const runs: StoredRun[] = [];
    for (const name of (await listStateDir(this.dir, 'ledger')).filter((n) => n.endsWith('.jsonl')).sort()) {
      const run = await this.readRun(name.slice(0, -'.jsonl'.length));
      if (run !== null) runs.push(run);
    }
    return runs.sort((a, b) => a.ledger.header.startedAt.localeCompare(b.ledger.header.startedAt));
  }

  async readRun(runId: string): Promise<StoredRun | null> {
    const path = ledgerPath(this.dir, runId);
    const text = await readFile(path, 'utf8').catch((error: unknown) => {
      if (isCode(error, 'ENOENT', 'ENOTDIR')) return null; // removed since the listing
      throw stateDirError(error, this.dir);
    });
    if (text === null) return null;
    const folded = parseLedger(text);
    // No readable header: the runner died while creating the file, before any entry could exist.
    if (folded.header === null) return null;
    return { location: path, ledger: { ...folded, header: folded.header }, liveness: await readHeartbeat(this.dir, runId) };
  }

  async openLedger(runId: string): Promise<LedgerSink | null> {
    const path = ledgerPath(this.dir, runId);
    return (await fileExists(path)) ? fileSink(path) : null;
  }

  async claimRun(run: StoredRun, holder: Holder, judge: LivenessJudge, events: HolderEvents): Promise<LivenessHandle | null> {
    const runId = run.ledger.header.runId;
    const claimer: Holder = { ...holder, runId };
    for (let attempt = 0; attempt < 2; attempt++) {
      const claim = await startHeartbeat(this.dir, claimer, this.timing, events, 'claim');
      if (claim !== null) {
        return {
          stop: async () => {
            await claim.stop();
            // The dead runner's heartbeat goes too: the ledger says the run kept one, so its absence reads as dead.
            await unlink(heartbeatPath(this.dir, runId)).catch(() => undefined);
          },
        };
      }
      const other = await readHeartbeat(this.dir, runId, 'claim');
      if (other === null) continue;
      if (judge.judge(`claim:${runId}`, other, null).state !== 'dead') return null;
      await removeStaleClaim(this.dir, runId, other);
    }
    return null;
  }

  async removeStaleRecords(judge: LivenessJudge): Promise<string[]> {
    const removed = await removeStaleLocks(this.dir, (record) => this.#isLockHolderAlive(record, judge));
    for (const name of await listStateDir(this.dir, 'liveness')) {
      // `<file>.<pid>-<random>.tmp`: a renewal its writer did not finish. Only a writer of this host can be checked.
      const writer = /\.(\d+)-[0-9a-f]+\.tmp$/.exec(name);
      if (writer && !isProcessAlive({ pid: Number(writer[1]), startTime: null })) {
        await unlink(join(this.dir, 'liveness', name)).catch(() => undefined);
        removed.push(`unfinished heartbeat write ${name}`);
        continue;
      }
      const match = /^(.+)\.(heartbeat|claim)\.json$/.exec(name);
      if (match === null) continue;
      const [, runId = '', kind] = match;
      const record = await readHeartbeat(this.dir, runId, kind as 'heartbeat' | 'claim');
      if (record === null || judge.judge(`${kind}:${runId}`, record, null).state !== 'dead') continue;
      const run = kind === 'heartbeat' ? await this.readRun(runId) : null;
      if (run !== null && !run.ledger.finished) continue;
      await unlink(join(this.dir, 'liveness', name)).catch(() => undefined);
      removed.push(`stale ${kind} of ${run === null && kind === 'heartbeat' ? 'holder' : 'run'} ${runId}`);
    }
    return removed;
  }

  /** A lock's holder is judged by its run's heartbeat; one that is still being confirmed is waited for. */
  async #isLockHolderAlive(record: LockHolderRecord, judge: LivenessJudge): Promise<boolean> {
    const verdict = await waitForVerdict(judge, `run:${record.runId}`, () => readHeartbeat(this.dir, record.runId), record);
    return verdict.state !== 'dead';
  }
}

function fileSink(path: string): LedgerSink {
  return {
    location: path,
    // An earlier append that failed half-way (disk full) may have left a fragment: never glue a line onto it.
    append: async (lines) => {
      if (lines.length > 0) await appendDurably(path, lines.map((l) => `${JSON.stringify(l)}\n`).join(''), { repairTornLine: true });
    },
  };
}

async function fileExists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}
