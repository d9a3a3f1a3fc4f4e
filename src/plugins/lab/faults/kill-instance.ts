/**
 * `lab.kill-instance`: SIGKILL to instances of a region (`select`: one, all, a count or a percentage, chosen at
 * random with a recorded seed), as a node or pod crash. Nothing to revert: the lab's supervisor restarts each one after its
 * `restartDelay`, as a ReplicaSet would; the revert only says so. On a distributed lab (`url`), the kill goes
 * through its admin API to the instance's agent.
 */
import { isProcessAlive } from '../../../os/process-identity.js';
import type { Region } from '../../../lab/contract/lab-settings.js';
import type { LabStatus } from '../../../lab/contract/lab-status.js';
import { defineFault, type InjectContext } from '../../api.js';
import { sendSignal, waitForExit } from '../../../os/stop-process.js';
import { labRef, type LabRef } from '../lab-ref.js';
import { newSeed, seededShuffle } from '../../shared/seeded-shuffle.js';
import { countFor, describeSelection } from '../../shared/selection.js';
import type { LabSession } from '../session.js';
import { killInstanceSpec } from '../specs.js';

type Killed = { name: string; pid: number; startTime: string | null };
type KillState = { lab: LabRef; region: Region; seed: number; killed: Killed[] };

export const killInstanceFault = defineFault({
  ...killInstanceSpec,
  async plan(session: LabSession, p) {
    return [{ action: `SIGKILL ${describeSelection(p.select)} of the running instances of region ${p.region}`, target: session.targetName }];
  },
  async inject(session: LabSession, p, ctx: InjectContext<KillState>) {
    const status = await session.admin<LabStatus>('GET', '/admin/status', undefined, ctx.signal);
    const running = (status.regions[p.region]?.instances ?? []).filter((i) => i.running);
    const n = countFor(p.select, running.length);
    if (n === 0) throw new Error(`region ${p.region} has no running instance to kill`);
    const seed = p.seed ?? newSeed();
    const chosen = seededShuffle(running, seed).slice(0, n).map((i) => ({ name: i.name, pid: i.pid, startTime: i.startTime }));
    const state: KillState = { lab: labRef(session), region: p.region, seed, killed: chosen };
    await ctx.record(state);
    if (session.remote) {
      // A distributed lab's instances are in other containers: their agents send the signal.
      for (const instance of chosen) await session.admin('POST', `/admin/instances/${instance.name}/kill`, { signal: 'SIGKILL' }, ctx.signal);
    } else {
      for (const instance of chosen) sendSignal(instance.pid, 'SIGKILL');
      for (const instance of chosen) await waitForExit(instance, 5_000, ctx.signal);
    }
    // The fault is in effect once the lab itself has seen the exits (a probe right after must find them down).
    await untilLabSawExits(session, p.region, chosen, ctx.signal);
    ctx.logger.info(`killed ${chosen.map((i) => `${i.name} (pid ${i.pid})`).join(', ')} with SIGKILL (seed ${seed})`);
    return state;
  },
  async revert(_session, state, ctx) {
    // A distributed lab's pids are another host's (or container's): only an embedded lab's can be checked here.
    const alive = state.lab.remote === true ? [] : state.killed.filter((i) => isProcessAlive(i));
    if (alive.length > 0) ctx.logger.warn(`${alive.map((i) => i.name).join(', ')} survived SIGKILL`);
    ctx.logger.info(`nothing to undo: the lab's supervisor restarts ${state.killed.map((i) => i.name).join(', ')}`);
  },
});

/** Polls the lab's status until none of the killed pids is listed as running (5 s at most). */
async function untilLabSawExits(session: LabSession, region: Region, killed: readonly Killed[], signal: AbortSignal): Promise<void> {
  const pids = new Set(killed.map((k) => k.pid));
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const status = await session.admin<LabStatus>('GET', '/admin/status', undefined, signal);
    const stillRunning = (status.regions[region]?.instances ?? []).some((i) => i.running && pids.has(i.pid));
    if (!stillRunning) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`the lab still lists killed instance(s) of region ${region} as running after 5 s`);
}
