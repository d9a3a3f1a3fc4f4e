/**
 * The kubernetes state backend (`--state kubernetes://NAMESPACE`): everything a run must leave behind lives in the
 * API server, so it survives the runner's pod, its node and its volumes. In the state namespace:
 *   - each run's ledger: ConfigMaps `chaos-ledger-<run>` (kubernetes-ledger.ts);
 *   - each run's liveness: Lease `chaos-run-<run>`, renewed by the runner every 5 s for 15 s by default, taken
 *     over by the `chaos recover` that reverts the run once it expired, deleted when the run is over;
 *   - each locked target: Lease `chaos-lock-<hash>` (kubernetes-locks.ts).
 */
import { ChaosError, ExitCode } from '../errors.js';
import { parseLedger } from './ledger-lines.js';
import type { LedgerRunHeader } from './ledger-lines.js';
import type { HeldLocks, Holder, HolderEvents, LedgerSink, LivenessHandle, LivenessTiming, LockTarget, StateBackend, StoredRun } from './backend.js';
import { DEFAULT_TIMING } from './backend.js';
import { connectStateApi, type KubernetesStateLocation, type StateApi } from './kubernetes-api.js';
import { HeldLeases } from './kubernetes-held-leases.js';
import { Leases, type LeaseHolder, type LeaseState } from './kubernetes-lease.js';
import { KubernetesLedger, linesFrom, listLedgerHeads, readLedgerLines, runIdOf } from './kubernetes-ledger.js';
import { KubernetesLocks } from './kubernetes-locks.js';
import { ledgerName, runLeaseName } from './kubernetes-names.js';
import type { LivenessJudge } from './liveness.js';

export interface KubernetesBackendOptions extends KubernetesStateLocation {
  timing?: LivenessTiming;
  /** Tests make ledger parts small to exercise the chain; the default stays below the 1 MiB limit. */
  partLimitBytes?: number;
}

export class KubernetesStateBackend implements StateBackend {
  readonly timing: LivenessTiming;
  readonly #leases: Leases;

  readonly #api: StateApi;
  readonly #options: KubernetesBackendOptions;

  private constructor(
    api: StateApi,
    options: KubernetesBackendOptions,
  ) {
    this.#api = api;
    this.#options = options;
    this.timing = options.timing ?? DEFAULT_TIMING;
    this.#leases = new Leases(api, this.timing);
  }

  /** Builds the clients; nothing is contacted until the first call. */
  static connect(options: KubernetesBackendOptions): KubernetesStateBackend {
    return new KubernetesStateBackend(connectStateApi(options), options);
  }

  get description(): string {
    return `kubernetes://${this.#api.namespace}`;
  }

  get namespace(): string {
    return this.#api.namespace;
  }

  async startLiveness(holder: Holder, events: HolderEvents): Promise<LivenessHandle> {
    const leaseHolder: LeaseHolder = { ...holder, role: 'run' };
    const name = runLeaseName(holder.runId);
    const lease = await this.#leases.create(name, 'run', leaseHolder);
    if (lease === null) {
      throw new ChaosError(`the liveness lease ${this.#api.namespace}/${name} of run ${holder.runId} exists already`, {
        code: 'E_LEASE_EXISTS', exitCode: ExitCode.Infrastructure, hint: 'run ids are unique to a start; start the run again (nothing was injected)',
      });
    }
    return this.#hold(lease, leaseHolder, events);
  }

  async createLedger(header: LedgerRunHeader): Promise<LedgerSink> {
    return KubernetesLedger.create(this.#api, header.runId, { kind: 'run', ...header }, this.#ledgerOptions());
  }

  acquireLocks(targets: readonly LockTarget[], holder: Holder, judge: LivenessJudge, events: HolderEvents): Promise<HeldLocks> {
    return KubernetesLocks.acquire(this.#leases, this.timing, targets, holder, judge, events);
  }

  async listRuns(options: { all?: boolean } = {}): Promise<StoredRun[]> {
    const [heads, leases] = await Promise.all([listLedgerHeads(this.#api, options), this.#leases.list('run')]);
    const byName = new Map(leases.map((l) => [l.name, l]));
    const runs: StoredRun[] = [];
    for (const head of heads) {
      const runId = runIdOf(head);
      if (runId === null) continue;
      const run = this.#storedRun(runId, (await linesFrom(this.#api, head)).lines, byName.get(runLeaseName(runId)) ?? null);
      if (run !== null) runs.push(run);
    }
    return runs.sort((a, b) => a.ledger.header.startedAt.localeCompare(b.ledger.header.startedAt));
  }

  async readRun(runId: string): Promise<StoredRun | null> {
    const found = await readLedgerLines(this.#api, runId);
    if (found === null) return null;
    return this.#storedRun(runId, found.lines, await this.#leases.read(runLeaseName(runId)));
  }

  openLedger(runId: string): Promise<LedgerSink | null> {
    return KubernetesLedger.open(this.#api, runId, this.#ledgerOptions());
  }

  async claimRun(run: StoredRun, holder: Holder, judge: LivenessJudge, events: HolderEvents): Promise<LivenessHandle | null> {
    const runId = run.ledger.header.runId;
    // The lease keeps naming the dead run; its holder becomes this recoverer.
    const claimer: LeaseHolder = { ...holder, runId, role: 'recover' };
    const name = runLeaseName(runId);
    const current = await this.#leases.read(name);
    let claimed: LeaseState | null;
    if (current === null) {
      claimed = await this.#leases.create(name, 'run', claimer);
    } else {
      // Another recover working on it (alive) keeps it; the runner's own lease the caller judged already.
      if (current.holder?.role === 'recover' && judge.judge(`claim:${name}`, current.record, current.holder).state !== 'dead') return null;
      claimed = await this.#leases.takeOver(current, claimer);
    }
    return claimed === null ? null : this.#hold(claimed, claimer, events);
  }

  async removeStaleRecords(judge: LivenessJudge): Promise<string[]> {
    const removed: string[] = [];
    for (const lease of await this.#leases.list('run')) {
      if (judge.judge(`run-lease:${lease.name}`, lease.record, lease.holder).state !== 'dead') continue;
      const run = lease.holder === null ? null : await this.readRun(lease.holder.runId);
      if (run !== null && !run.ledger.finished) continue;
      await this.#leases.release(lease);
      removed.push(`stale liveness lease ${lease.name} of ${lease.holder?.runId ?? 'nobody'}`);
    }
    for (const lease of await this.#leases.list('lock')) {
      const free = lease.holderIdentity === null;
      if (!free && judge.judge(`lock:${lease.name}`, lease.record, lease.holder).state !== 'dead') continue;
      await this.#leases.release(lease);
      removed.push(free ? `free lock lease ${lease.name}` : `stale lock of run ${lease.holder?.runId ?? '?'} on target "${lease.holder?.target ?? '?'}" (lease ${lease.name})`);
    }
    return removed;
  }

  #hold(lease: LeaseState, holder: LeaseHolder, events: HolderEvents): LivenessHandle {
    const held = new HeldLeases(this.#leases, this.timing, events);
    held.add(lease, holder);
    return { stop: () => held.release() };
  }

  #storedRun(runId: string, lines: string[], lease: LeaseState | null): StoredRun | null {
    const folded = parseLedger(lines.join('\n'));
    if (folded.header === null) return null;
    return {
      location: `configmap ${this.#api.namespace}/${ledgerName(runId)}`,
      ledger: { ...folded, header: folded.header },
      liveness: lease?.record ?? null,
    };
  }

  #ledgerOptions() {
    return this.#options.partLimitBytes === undefined ? {} : { partLimitBytes: this.#options.partLimitBytes };
  }
}
