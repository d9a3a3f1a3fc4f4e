/**
 * The distributed lab: docker-compose.yml's topology started as separate local processes (four instance agents,
 * `chaos proxy serve` in place of the Toxiproxy image, the control service; see test/support/lab-distributed.ts),
 * with the compose drills run against it through the built binary, as `npx chaos run experiments/compose/…` runs
 * them against `docker compose up`. Measured RTO and RPO are compared with the control service's ground truth,
 * read through its admin API as a runner on another host would (the agents' logs merged in).
 * Every process the topology started is stopped, and checked gone by pid and start time.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import type { LabEvent } from '../../src/lab/event-log.js';
import { journalIn, readJournalDoc, ROOT, runChaos, stopAllChaos, tempDir, type JournalDoc } from '../support/cli.js';
import { readCompose, startDistributedLab, type DistributedLab } from '../support/lab-distributed.js';
import { eventAt, expectDeployThenRollback, expectFailoverMatchesGroundTruth, expectRestoreMatchesGroundTruth } from '../support/lab-ground-truth.js';

describe('the distributed lab (docker-compose.yml’s topology as local processes)', function () {
  this.timeout(90_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let lab: DistributedLab | null;

  beforeEach(async () => {
    dir = await tempDir('chaosdrill-dlab-');
    lab = await startDistributedLab(dir.path);
  });
  afterEach(async () => {
    await stopAllChaos();
    await lab?.stop();
    await dir.cleanup();
  });

  async function run(file: string): Promise<{ journal: JournalDoc; events: LabEvent[] }> {
    const out = join(dir.path, 'run');
    const result = await runChaos(['run', file, '--var', `lab=${lab!.url}`, '--state-dir', join(dir.path, 'state'), '-o', out], { cwd: ROOT, timeoutMs: 60_000 });
    expect(result.code, result.stdout + result.stderr).to.equal(0);
    const events = (await (await fetch(`${lab!.url}/admin/events`)).json()) as LabEvent[];
    return { journal: await readJournalDoc(journalIn(out)), events };
  }

  async function stopAndCheckNothingLeft(): Promise<void> {
    const started = lab!.processes();
    // Control service, proxy, 4 agents and their 4 instances at least.
    expect(started).to.have.length.of.at.least(10);
    const left = await lab!.stop();
    lab = null;
    expect(left, 'processes of the distributed lab still running').to.deep.equal([]);
  }

  it('experiments/compose/region-failover.yaml fails over through the remote proxies, with RTO and RPO that agree with the control service’s ground truth', async () => {
    const { journal, events } = await run('experiments/compose/region-failover.yaml');
    // The same agreement with the ground truth as for the embedded lab.
    expectFailoverMatchesGroundTruth(journal, events);
    // The region went down on the proxy server, not inside the lab process: its API shows the revert.
    const proxies = (await (await fetch(`${lab!.proxyApi}/proxies`)).json()) as Record<string, { enabled: boolean }>;
    expect(Object.keys(proxies).sort()).to.deep.equal(['a-1', 'a-2', 'b-1', 'b-2', 'replication']);
    expect(Object.values(proxies).every((p) => p.enabled), 'every proxy enabled again').to.equal(true);
    await stopAndCheckNothingLeft();
  });

  it('experiments/compose/pod-kill.yaml has an agent kill its instance, which it restarts after LAB_RESTART_DELAY, with no failed request', async () => {
    const { events } = await run('experiments/compose/pod-kill.yaml');
    const killed = eventAt(events, 'instance-killed') as LabEvent & { instance: string; pid: number };
    // The agent's own log, merged into the control service's /admin/events with its source.
    const agentLog = events.filter((e) => e.source === `agent ${killed.instance}`);
    const exited = eventAt(agentLog, 'instance-exited') as LabEvent & { pid: number; signal: string };
    expect(exited.pid).to.equal(killed.pid);
    expect(exited.signal).to.equal('SIGKILL');
    const restarted = eventAt(agentLog, 'instance-restarted') as LabEvent & { pid: number };
    expect(restarted.pid).to.not.equal(killed.pid);
    // The restart delay from docker-compose.yml (1 s), plus the new process's start (up to ~1.5 s on 2 busy cores).
    const delay = Number.parseFloat(readCompose().services['orders-a-1']!.environment!.LAB_RESTART_DELAY!) * 1000;
    expect(restarted.at - exited.at).to.be.within(delay, delay + 1_500);
    await stopAndCheckNothingLeft();
  });

  it('experiments/compose/latency-region-a.yaml slows region A through toxics on the remote proxies and removes them', async () => {
    const { events } = await run('experiments/compose/latency-region-a.yaml');
    const added = eventAt(events, 'latency-added') as LabEvent & { toxic: string };
    eventAt(events, 'latency-removed');
    const proxies = (await (await fetch(`${lab!.proxyApi}/proxies`)).json()) as Record<string, { toxics: Array<{ name: string }> }>;
    expect(Object.values(proxies).flatMap((p) => p.toxics.map((t) => t.name)), `toxic ${added.toxic} removed`).to.deep.equal([]);
    await stopAndCheckNothingLeft();
  });

  it('experiments/compose/backup-restore.yaml restores region A’s file from the control service’s backup, with RTO and RPO that agree with its ground truth', async () => {
    const { journal, events } = await run('experiments/compose/backup-restore.yaml');
    expectRestoreMatchesGroundTruth(journal, events);
    await stopAndCheckNothingLeft();
  });

  it('experiments/compose/deploy-rollback.yaml deploys through the agents with no failed request and rolls a bad canary back', async () => {
    const { events } = await run('experiments/compose/deploy-rollback.yaml');
    expectDeployThenRollback(events);
    // Each agent restarted its instance on the release (4 for the deploy, the canary twice), none as a crash.
    const agents = events.filter((e) => typeof e.source === 'string');
    expect(agents.filter((e) => e.event === 'instance-started')).to.have.length(4 + 4 + 2);
    expect(agents.filter((e) => e.event === 'instance-exited')).to.deep.equal([]);
    await stopAndCheckNothingLeft();
  });
});

describe('a lab target with `url` when no lab answers there', function () {
  this.timeout(30_000);
  let dir: { path: string; cleanup(): Promise<void> };
  beforeEach(async () => (dir = await tempDir('chaosdrill-dlab-')));
  afterEach(async () => {
    await stopAllChaos();
    await dir.cleanup();
  });

  it('stops before anything is injected, as an infrastructure error that names the URL', async () => {
    // Port 1 on loopback refuses every connection.
    const result = await runChaos(['run', 'experiments/compose/pod-kill.yaml', '--var', 'lab=http://127.0.0.1:1', '--state-dir', join(dir.path, 'state'), '-o', join(dir.path, 'run')], { cwd: ROOT });
    expect(result.code, result.stdout + result.stderr).to.equal(5);
    expect(result.stdout + result.stderr).to.include('http://127.0.0.1:1').and.include('does not answer');
  });
});

