/**
 * `chaos run` (the built binary) with a real Prometheus scraping a real service: a PromQL steady-state probe and a
 * PromQL SLO evaluate against known values, a PromQL guardrail trips when the faulted service stops being scraped
 * (exit 3, the fault reverted), and an unreachable Prometheus stops the run before any fault (exit 5).
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { journalIn, readJournalDoc, runChaos, stopAllChaos, tempDir, writeExperiment } from '../support/cli.js';
import { startMetricsService, waitForScrape, type MetricsService } from '../support/metrics-service.js';
import { freePort, startPrometheus, type RunningServer } from '../support/prometheus-servers.js';
import { processState } from '../../src/os/process-identity.js';

const ERROR_RATIO = 'sum(rate(demo_requests_total{code=\\"500\\"}[2s])) / sum(rate(demo_requests_total[2s]))';

function experiment(promUrl: string, service: MetricsService): string {
  return `version: 1
name: prom-guardrail
targets:
  prom: { type: prometheus, url: "${promUrl}" }
  svc: { type: process, pid: ${service.pid} }
steadyState:
  - name: temperature is known
    probe: { type: prometheus.query, target: prom, query: demo_temperature_celsius, expect: 42 }
safety:
  abortWhen:
    - promql: { target: prom, query: 'up{instance="${service.address}"}', below: 1 }
      interval: 250ms
objectives:
  slo:
    - name: error ratio before the fault
      promql: { target: prom, query: "${ERROR_RATIO}", below: 0.05, step: 250ms }
      window: before
method:
  - pause: 2s
  - name: freeze the service
    fault: { type: process.pause, target: svc }
    duration: 30s
`;
}

describe('chaos run with PromQL probes, SLOs and guardrails (real Prometheus)', function () {
  this.timeout(90_000);
  let dir: Awaited<ReturnType<typeof tempDir>> | null = null;
  let service: MetricsService | null = null;
  let prometheus: RunningServer | null = null;

  afterEach(async () => {
    await stopAllChaos();
    await prometheus?.stop();
    await service?.stop();
    await dir?.cleanup();
    dir = service = prometheus = null;
  });

  it('aborts with exit 3 when the PromQL guardrail sees the frozen service down, reverts the fault, and keeps the PromQL SLO', async () => {
    dir = await tempDir('chaosdrill-prom-e2e-');
    service = await startMetricsService(dir.path);
    prometheus = await startPrometheus(dir.path, [service.address], '250ms');
    await waitForScrape(prometheus.url, service.address);
    const file = await writeExperiment(dir.path, 'exp.yaml', experiment(prometheus.url, service));
    const started = Date.now();
    const out = await runChaos(['run', file, '--state-dir', join(dir.path, 'state'), '-o', join(dir.path, 'run'), '--format', 'md'], { cwd: dir.path, timeoutMs: 60_000 });
    const tookMs = Date.now() - started;
    expect(out.code, out.stdout + out.stderr).to.equal(3);
    // Not frozen any more: the revert sent SIGCONT.
    expect(processState(service.pid)).to.be.oneOf(['S', 'R']);
    // The fault would have lasted 30 s; the guardrail (250 ms scrapes and queries) cut it short. Generous: a busy machine.
    expect(tookMs).to.be.below(20_000);

    const journal = await readJournalDoc(journalIn(join(dir.path, 'run')));
    const kinds = journal.entries.map((e) => e.kind);
    expect(kinds).to.include.members(['fault-injected', 'fault-reverted']);
    const trip = journal.entries.find((e) => e.kind === 'guardrail-tripped');
    expect(trip?.data.condition).to.include(`up{instance="${service.address}"} below 1`);
    expect(trip?.data.observed).to.match(/ = 0 \(below 1\)$/);
    const objectives = journal.entries.find((e) => e.kind === 'objectives')?.data as Array<{ name: string; passed: boolean; value: number; unit: string }>;
    const slo = objectives.find((o) => o.name === 'error ratio before the fault')!;
    // The service's error ratio is exactly 5/105 by construction (its counters follow the clock).
    expect(slo.value).to.be.closeTo(5 / 105, 0.003);
    expect(slo).to.deep.include({ passed: true, unit: 'value' });
    const steady = journal.entries.filter((e) => e.kind === 'steady-state').map((e) => e.data);
    expect(steady).to.deep.equal([{ when: 'before', held: true }]);
  });

  it('exits 5 before any fault when Prometheus is unreachable, naming the target', async () => {
    dir = await tempDir('chaosdrill-prom-e2e-');
    service = await startMetricsService(dir.path);
    const url = `http://127.0.0.1:${await freePort()}`;
    const file = await writeExperiment(dir.path, 'exp.yaml', experiment(url, service));
    const out = await runChaos(['run', file, '--state-dir', join(dir.path, 'state'), '-o', join(dir.path, 'run'), '--format', 'none'], { cwd: dir.path, timeoutMs: 30_000 });
    expect(out.code, out.stdout + out.stderr).to.equal(5);
    expect(out.stdout + out.stderr).to.include(`prometheus target "prom" (${url}) is not reachable`);
    const journal = await readJournalDoc(journalIn(join(dir.path, 'run')));
    expect(journal.entries.map((e) => e.kind)).to.not.include('fault-injected');
    expect(processState(service.pid)).to.be.oneOf(['S', 'R']);
  });
});
