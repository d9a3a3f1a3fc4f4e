/**
 * The runner's metrics, as real Prometheus servers see them: `chaos run --metrics-port` is scraped by a real
 * Prometheus during the run (chaos_fault_active is 1 while the fault is injected), and `--pushgateway` leaves the
 * final values (runs by result, RTO, objectives) in a real Pushgateway, grouped by job, instance and experiment.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { ROOT, startChaos, stopAllChaos, tempDir, waitFor } from '../support/cli.js';
import { startGroundTruthServer, type GroundTruthServer } from '../support/ground-truth-server.js';
import { freePort, startPrometheus, startPushgateway, type RunningServer } from '../support/prometheus-servers.js';

const DRILL = 'test/fixtures/golden/drill.yaml';

async function promQuery(prometheus: string, query: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const body = (await (await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent(query)}`)).json()) as { data: { result: [] } };
  return body.data.result;
}

describe('runner metrics in real Prometheus and Pushgateway', function () {
  this.timeout(90_000);
  const servers: RunningServer[] = [];
  let ground: GroundTruthServer | null = null;
  let dir: Awaited<ReturnType<typeof tempDir>> | null = null;

  afterEach(async () => {
    await stopAllChaos();
    for (const s of servers.splice(0)) await s.stop();
    await ground?.close();
    ground = null;
    await dir?.cleanup();
    dir = null;
  });

  it('is scraped by Prometheus during the run and pushed to the Pushgateway at the end', async () => {
    dir = await tempDir('chaosdrill-metrics-');
    ground = await startGroundTruthServer({ latencies: [2] });
    const gateway = await startPushgateway(dir.path);
    servers.push(gateway);
    // Prometheus is up and scraping the runner's port before the run starts, so it sees the whole run.
    const metricsPort = await freePort();
    const prometheus = await startPrometheus(dir.path, [`127.0.0.1:${metricsPort}`], '200ms');
    servers.push(prometheus);
    // Prometheus hands targets to its scrapers in batches (every 5 s): wait until it scrapes ours (down for now).
    await waitFor(
      'Prometheus to scrape the runner port',
      async () => {
        const body = (await (await fetch(`${prometheus.url}/api/v1/targets`)).json()) as { data: { activeTargets: Array<{ lastScrape: string }> } };
        return body.data.activeTargets.some((t) => !t.lastScrape.startsWith('0001'));
      },
      20_000,
    );
    const runner = startChaos(
      ['run', DRILL, '--var', `url=${ground.url}`, '-o', join(dir.path, 'run'), '--state-dir', join(dir.path, 'state'), '--metrics-port', String(metricsPort), '--pushgateway', gateway.url, '--format', 'none'],
      { cwd: ROOT, timeoutMs: 60_000 },
    );
    await waitFor('the metrics URL', () => runner.stdout().includes(`metrics: http://127.0.0.1:${metricsPort}/metrics`));
    const outcome = await runner.exited;
    expect(outcome.code, outcome.stderr).to.equal(1);
    // The fault was active for 2.5 s: scraped every 200 ms, Prometheus saw it at 1, and at 0 after its revert.
    const seen = await promQuery(prometheus.url, 'max_over_time(chaos_fault_active{fault="freeze the replica"}[5m])');
    expect(seen.map((r) => r.value[1])).to.deep.equal(['1']);
    const last = await promQuery(prometheus.url, 'last_over_time(chaos_fault_active{fault="freeze the replica"}[5m])');
    expect(last.map((r) => r.value[1])).to.deep.equal(['0']);
    expect(outcome.stdout).to.include(`metrics pushed to ${gateway.url}`);

    const pushed = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(pushed).to.match(/chaos_experiment_runs_total\{[^}]*result="failed"[^}]*\} 1/);
    expect(pushed).to.match(/chaos_experiment_runs_total\{[^}]*result="passed"[^}]*\} 0/);
    expect(pushed).to.match(/chaos_objective_passed\{[^}]*objective="rpo"[^}]*\} 0/);
    expect(pushed).to.match(/chaos_objective_passed\{[^}]*objective="rto"[^}]*\} 1/);
    expect(pushed).to.match(/chaos_fault_active\{[^}]*fault="freeze the replica"[^}]*\} 0/);
    const rto = /chaos_rto_seconds\{[^}]*experiment="report-drill"[^}]*instance="[^"]+"[^}]*\} ([\d.e+-]+)/.exec(pushed);
    // The ground-truth outage lasts 1 s; the RTO is about that (probe interval 100 ms, a loaded machine): 0.8–3 s.
    expect(Number(rto?.[1])).to.be.within(0.8, 3);
    expect(pushed).to.match(/chaos_load_requests_per_second\{/);
  });
});
