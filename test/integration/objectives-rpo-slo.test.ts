/**
 * RPO and SLOs against ground truth:
 * - a store that acknowledges writes but drops those acknowledged in the last L ms before a fault: RPO is L within
 *   one writer interval and the lost ids are exactly those the store dropped; 0 when nothing is lost;
 * - a server with a known error ratio and latency cycle: availability and p95/p99 within stated tolerances, per window;
 * - a guardrail on the error rate trips, and the fault is reverted within one second of the trip.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { runExperiment } from '../../src/engine/run.js';
import { loadExperimentText } from '../../src/experiment/load.js';
import { builtinPlugins, createRegistry } from '../../src/plugins/registry.js';
import { readJournalDoc, tempDir } from '../support/cli.js';
import { groundTruthPlugin } from '../support/ground-truth-plugin.js';
import { startGroundTruthServer, type GroundTruthServer } from '../support/ground-truth-server.js';

describe('RPO, SLOs and guardrails measured against ground truth', function () {
  this.timeout(40_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let server: GroundTruthServer;
  let reverts: number[];
  let registry: ReturnType<typeof createRegistry>;
  beforeEach(async () => {
    dir = await tempDir();
    reverts = [];
    registry = createRegistry([...builtinPlugins(), groundTruthPlugin(reverts)]);
  });
  afterEach(async () => {
    await server?.close();
    await dir.cleanup();
  });

  async function run(body: string) {
    const text = `version: 1\nname: gt\ntargets:\n  svc: { type: gt, url: "${server.url}" }\n${body}`;
    const loaded = await loadExperimentText(text, 'gt.yaml', { registry });
    return runExperiment(loaded, {
      registry,
      stateDir: join(dir.path, 'state'),
      runDir: join(dir.path, 'run'),
      invocation: { argv: ['test'], cwd: dir.path, user: 't', host: 't', pid: process.pid, version: 't' },
    });
  }

  for (const [lagMs, intervalMs] of [
    [500, 50],
    [1000, 100],
  ] as const) {
    it(`measures RPO ${lagMs} ms within one writer interval (${intervalMs} ms) and lists exactly the lost ids`, async () => {
      server = await startGroundTruthServer();
      const result = await run(`objectives:
  rpo: { max: 5s, interval: ${intervalMs}ms, writer: { type: http, url: "${server.url}/records" }, reader: { type: http, url: "${server.url}/records/{id}" } }
method:
  - pause: ${lagMs + 700}ms
  - fault: { type: gt.lose, target: svc, lag: ${lagMs}ms }
  - pause: 500ms
`);
      expect(result.exitCode, result.reason).to.equal(0);
      const rpo = result.objectives.find((o) => o.kind === 'rpo')!;
      const evidence = rpo.evidence as { lostIds: number[]; lost: number };
      expect(server.dropped().length).to.be.greaterThan(0);
      expect(evidence.lostIds).to.deep.equal(server.dropped());
      // The store dropped what it acknowledged in (fault − L, fault]; the newest lost and the survivor before the
      // oldest lost are each placed to one writer interval, so RPO is L − interval … L + interval.
      expect(rpo.value!, rpo.message).to.be.within(lagMs - intervalMs - 10, lagMs + intervalMs + 10);
      expect(rpo.uncertainty).to.contain(`${intervalMs}ms`);
    });
  }

  it('measures RPO 0 with no lost ids when the store loses nothing', async () => {
    server = await startGroundTruthServer();
    const result = await run(`objectives:
  rpo: { max: 1s, interval: 50ms, writer: { type: http, url: "${server.url}/records" }, reader: { type: http, url: "${server.url}/records/{id}" } }
method:
  - pause: 600ms
  - fault: { type: gt.lose, target: svc, lag: 0ms }
`);
    const rpo = result.objectives.find((o) => o.kind === 'rpo')!;
    expect(result.exitCode, result.reason).to.equal(0);
    expect(rpo.value).to.equal(0);
    expect((rpo.evidence as { lostIds: number[]; acknowledged: number }).lostIds).to.deep.equal([]);
    expect((rpo.evidence as { acknowledged: number }).acknowledged).to.be.greaterThan(5);
  });

  it('measures availability, p95 and p99 per window for a known error ratio and latency distribution', async () => {
    // 100-request latency cycle: 90 × 2 ms, 8 × 20 ms, 2 × 60 ms → p95 is a 20 ms request, p99 a 60 ms one.
    server = await startGroundTruthServer({ latencies: [...Array(90).fill(2), ...Array(8).fill(20), 60, 60] });
    const result = await run(`load: { type: autocannon, url: "${server.url}/", connections: 4 }
objectives:
  slo:
    - { name: avail-before, availability: { atLeast: 99% }, window: before }
    - { name: avail-during, availability: { atLeast: 10% }, window: during }
    - { name: avail-after, availability: { atLeast: 99% }, window: after }
    - { name: p95-before, latency: { p: 95, below: 1s }, window: before }
    - { name: p99-before, latency: { p: 99, below: 1s }, window: before }
    - { name: throughput, throughput: { atLeast: 1 }, window: run }
method:
  - pause: 2s
  - fault: { type: gt.errors, target: svc, every: 4 }
    duration: 2s
  - pause: 2s
`);
    expect(result.exitCode, result.reason).to.equal(0);
    const by = Object.fromEntries(result.objectives.map((o) => [o.name, o]));
    // Before and after: nothing fails, except at the edges: a window's edge is exact to one 100 ms bucket (a bucket
    // belongs to the window holding its midpoint), so up to half a bucket of the fault's requests — a quarter of
    // them failing — may fall in. Allow the failures of 1.5 buckets' worth of requests at the window's own rate.
    for (const name of ['avail-before', 'avail-after']) {
      const e = by[name]!.evidence as { requests: number; succeeded: number; durationMs: number };
      const perMs = e.requests / e.durationMs;
      expect(e.requests - e.succeeded, name).to.be.at.most(Math.ceil(perMs * 150 * 0.25));
      expect(e.requests).to.be.greaterThan(100);
    }
    // During: every 4th request fails → 75 %, ± 3 % for the window edges.
    expect(by['avail-during']!.value).to.be.within(0.72, 0.78);
    // Latency: timers fire late by up to a few ms on a busy 2-core machine; the overhead is bounded by +15 ms.
    expect(by['p95-before']!.value).to.be.within(20, 35);
    expect(by['p99-before']!.value).to.be.within(60, 75);
    const journal = await readJournalDoc(result.journalPath);
    const measurements = journal.entries.find((e) => e.kind === 'measurements')!.data;
    expect(measurements.windows.during).to.have.length(1);
    expect(measurements.timeline.bucketMs).to.equal(100);
    expect(measurements.timeline.counts['2xx'].reduce((a: number, b: number) => a + b, 0)).to.be.greaterThan(100);
  });

  it('trips an error-rate guardrail, aborts (exit 3) and reverts the fault within one second of the trip', async () => {
    server = await startGroundTruthServer();
    const result = await run(`load: { type: autocannon, url: "${server.url}/", connections: 2 }
safety:
  abortWhen:
    - { errorRate: { above: 30% }, over: 1s, for: 300ms }
method:
  - pause: 1s
  - fault: { type: gt.errors, target: svc, every: 2 }
    duration: 20s
`);
    expect(result.exitCode, result.reason).to.equal(3);
    expect(result.reason).to.contain('guardrail tripped: errorRate above 30%');
    const journal = await readJournalDoc(result.journalPath);
    const trip = journal.entries.find((e) => e.kind === 'guardrail-tripped')!;
    expect(trip.data.condition).to.contain('errorRate above 30%');
    expect(trip.data.value).to.be.within(0.3, 0.6);
    expect(reverts).to.have.length(1);
    expect(reverts[0]! - Date.parse(trip.data.at)).to.be.within(0, 1000);
  });
});
