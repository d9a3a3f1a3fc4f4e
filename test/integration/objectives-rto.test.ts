/**
 * RTO against ground truth: a server that answers 503 for exactly D ms after a fault. Measured RTO must be D
 * within one probe interval (DESIGN.md §3), for two values of D and two intervals; "no outage observed" when
 * nothing fails; "not recovered" when the server stays down past the run; a recovery during the steady state after.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { runExperiment } from '../../src/engine/run.js';
import { loadExperimentText } from '../../src/experiment/load.js';
import { builtinPlugins, createRegistry } from '../../src/plugins/registry.js';
import { tempDir, readJournalDoc } from '../support/cli.js';
import { groundTruthPlugin } from '../support/ground-truth-plugin.js';
import { startGroundTruthServer, type GroundTruthServer } from '../support/ground-truth-server.js';

const registry = createRegistry([...builtinPlugins(), groundTruthPlugin()]);

describe('RTO measured against a server that is down for exactly D ms', function () {
  this.timeout(30_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let server: GroundTruthServer;
  beforeEach(async () => {
    dir = await tempDir();
    server = await startGroundTruthServer();
  });
  afterEach(async () => {
    await server.close();
    await dir.cleanup();
  });

  async function runText(text: string) {
    const loaded = await loadExperimentText(text, 'rto.yaml', { registry });
    const result = await runExperiment(loaded, {
      registry,
      stateDir: join(dir.path, 'state'),
      runDir: join(dir.path, 'run'),
      invocation: { argv: ['test'], cwd: dir.path, user: 't', host: 't', pid: process.pid, version: 't' },
    });
    const rto = result.objectives.find((o) => o.kind === 'rto')!;
    return { result, rto, journal: await readJournalDoc(result.journalPath) };
  }

  async function run(outageMs: number, interval: string, after: string, extra = '') {
    return runText(`version: 1
name: rto
targets:
  svc: { type: gt, url: "${server.url}" }
objectives:
  rto: { max: 10s, probe: { type: http, url: "${server.url}/healthz" }, interval: ${interval}, recoveredAfter: 3, timeout: 1s ${extra} }
method:
  - pause: 300ms
  - name: outage
    fault: { type: gt.outage, target: svc, for: ${outageMs}ms }
  - pause: ${after}
`);
  }

  for (const [outageMs, intervalMs] of [
    [800, 50],
    [800, 200],
    [1500, 50],
    [1500, 200],
  ] as const) {
    it(`measures an outage of ${outageMs} ms within one probe interval (${intervalMs} ms)`, async () => {
      const { result, rto, journal } = await run(outageMs, `${intervalMs}ms`, '2500ms');
      expect(result.exitCode, result.reason).to.equal(0);
      expect(rto.passed).to.equal(true);
      // Ground truth: the server's outage began when the fault's request arrived, a moment before t0 (the fault
      // finished injecting), so RTO ≥ D − (that moment) and ≤ D + one interval + one probe's round trip.
      const measured = rto.value!;
      expect(measured, rto.message).to.be.within(outageMs - 20, outageMs + intervalMs + 20);
      expect(rto.uncertainty).to.contain(`${intervalMs}ms`);
      const evidence = rto.evidence as { detectionMs: number; downtimeMs: number; outageStart: string; recoveredAt: string };
      expect(evidence.detectionMs).to.be.within(0, intervalMs + 20);
      expect(evidence.downtimeMs).to.be.within(outageMs - intervalMs - 20, outageMs + intervalMs + 20);
      const entry = journal.entries.find((e) => e.kind === 'objectives');
      expect(entry?.data[0]).to.include({ name: 'rto', passed: true });
    });
  }

  it('reports "no outage observed" and RTO 0 when no probe fails after the fault', async () => {
    const { result, rto } = await run(0, '50ms', '500ms');
    expect(result.exitCode, result.reason).to.equal(0);
    expect(rto.value).to.equal(0);
    expect(rto.message).to.contain('no outage observed');
  });

  it('fails with "not recovered within the run" when the server stays down, and the run exits 1', async () => {
    const { result, rto } = await run(60_000, '50ms', '700ms');
    expect(rto.passed).to.equal(false);
    expect(rto.value).to.equal(null);
    expect(rto.message).to.contain('not recovered within the run');
    expect(result.exitCode).to.equal(1);
  });

  // Observers stop after the steady state after (DESIGN.md §2.7), so the after window and the RTO probe cover a
  // recovery during it. Here the method ends as soon as the outage starts; the server recovers 1.2 s later, during
  // a steady state check that takes 2.5 s.
  it('measures an RTO whose recovery falls in the steady state after, and the after window spans it', async () => {
    const { result, rto, journal } = await runText(`version: 1
name: recovery-after-method
targets:
  svc: { type: gt, url: "${server.url}" }
load: { type: autocannon, url: "${server.url}/", rate: 50, connections: 2 }
steadyState:
  - name: slow check
    probe: { type: command, run: [node, -e, "setTimeout(() => {}, 2500)"], timeout: 10s }
objectives:
  rto: { max: 5s, probe: { type: http, url: "${server.url}/healthz" }, interval: 100ms, recoveredAfter: 3, timeout: 1s }
method:
  - name: outage
    fault: { type: gt.outage, target: svc, for: 1200ms }
`);
    expect(result.exitCode, `${result.reason} ${rto.message}`).to.equal(0);
    // The outage lasts 1200 ms from the server's clock; one probe interval either way, plus the inject's own reply.
    expect(rto.value).to.be.within(1100, 1450);
    const windows = journal.entries.find((e) => e.kind === 'measurements')!.data.windows as Record<string, Array<{ from: string; to: string }>>;
    const after = windows.after!.reduce((sum, w) => sum + Date.parse(w.to) - Date.parse(w.from), 0);
    // The after window runs from the revert to the end of the steady state after (2.5 s), less a bucket at its edge.
    expect(after).to.be.at.least(2_000);
  });
});
