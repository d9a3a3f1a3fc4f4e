/**
 * The prometheus plugin against a real Prometheus (the Debian package) scraping a real service whose metrics are
 * known exactly: connect checks readiness, `prometheus.query` checks an instant value against a tolerance, and
 * every way a query can go wrong (nothing matched, several series, bad PromQL, server gone) is a clear failure.
 */
import { expect } from 'chai';
import type { ActivityContext, PluginContext } from '../../src/plugins/api.js';
import { ChaosError, ExitCode } from '../../src/errors.js';
import { evaluatePromqlSlo, type PromqlSlo } from '../../src/measure/promql.js';
import { queryProbe } from '../../src/plugins/prometheus/probes/query.js';
import { connectPrometheus, type PrometheusSession } from '../../src/plugins/prometheus/session.js';
import { prometheusConfigSchema } from '../../src/plugins/prometheus/config.js';
import { queryPromqlSlo } from '../../src/engine/observers/promql-slo-query.js';
import type { ConnectedTarget } from '../../src/engine/targets.js';
import { prometheusPlugin } from '../../src/plugins/prometheus/index.js';
import { createRegistry } from '../../src/plugins/registry.js';
import { tempDir } from '../support/cli.js';
import { startCountingServer } from '../support/servers.js';
import { startMetricsService, waitForScrape, type MetricsService } from '../support/metrics-service.js';
import { freePort, startPrometheus, type RunningServer } from '../support/prometheus-servers.js';

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined };

function pluginContext(): PluginContext {
  return {
    targetName: 'prom',
    purpose: 'run',
    workDir: '/tmp',
    logger,
    signal: new AbortController().signal,
    resources: { intend: () => Promise.reject(new Error('unused')), acquired: () => Promise.resolve(), released: () => Promise.resolve() },
  };
}

const activity = (): ActivityContext => ({ runId: 'test', signal: AbortSignal.timeout(10_000), logger, targetName: 'prom' });

describe('prometheus plugin (real Prometheus scraping a real service)', function () {
  this.timeout(60_000);
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let service: MetricsService;
  let prometheus: RunningServer;
  let session: PrometheusSession;

  before(async () => {
    dir = await tempDir('chaosdrill-prom-');
    service = await startMetricsService(dir.path);
    prometheus = await startPrometheus(dir.path, [service.address], '250ms');
    await waitForScrape(prometheus.url, service.address);
    // rate() over 2 s needs at least two scrapes inside its range.
    await new Promise((r) => setTimeout(r, 2_500));
    session = (await connectPrometheus(prometheusConfigSchema.parse({ url: prometheus.url }), pluginContext())).session;
  });
  after(async () => {
    await prometheus?.stop();
    await service?.stop();
    await dir?.cleanup();
  });

  const probe = (query: string, expect: unknown) =>
    queryProbe.run(session, queryProbe.params.parse({ query, expect }) as Parameters<typeof queryProbe.run>[1], activity());

  it('passes prometheus.query when the value meets the tolerance, and fails with the value when it does not', async () => {
    const ok = await probe('demo_temperature_celsius', 42);
    expect(ok.ok, ok.message).to.equal(true);
    expect(ok.output).to.deep.include({ value: 42 });
    const bad = await probe('demo_temperature_celsius', { range: [0, 30] });
    expect(bad.ok).to.equal(false);
    expect(bad.message).to.equal('demo_temperature_celsius = 42, expected 0..30');
  });

  it('reads a known counter rate: 100/s for code 200 (the service computes its counter from the clock)', async () => {
    const out = await probe('sum(rate(demo_requests_total{code="200"}[2s]))', { range: [95, 105] });
    // Scrape timestamps and the service's clock reading differ by a few ms: the rate is 100 within a few percent.
    expect(out.ok, out.message).to.equal(true);
  });

  it('fails prometheus.query clearly on an empty result, several series, and PromQL Prometheus rejects', async () => {
    const empty = probe('demo_requests_total{code="404"}', 0);
    await expectRejection(empty, /returned no series/);
    await expectRejection(probe('demo_requests_total', 0), /returned 2 series where one was expected: demo_requests_total\{.*code="(200|500)".*aggregate/);
    await expectRejection(probe('sum(rate(demo_requests_total[2s])', 0), /Prometheus rejected the query .*bad_data: .*parse error/);
  });

  it('evaluates a PromQL SLO over a window with a range query (known error ratio 5/105)', async () => {
    const end = Date.now() - 500;
    const slo: PromqlSlo = {
      name: 'server errors', kind: 'promql', window: 'run', failStatus: 500, target: 'prom',
      query: 'sum(rate(demo_requests_total{code="500"}[2s])) / sum(rate(demo_requests_total[2s]))',
      op: 'below', limit: 0.05, reduce: 'max', stepMs: 250,
    };
    // The plugin as a run has it: manifest and implementation joined (the manifest alone only declares the capability).
    const plugin = (await createRegistry().load(['prometheus'])).plugins.get('prometheus')!;
    const targets = new Map([['prom', { plugin, connection: { session, attributes: {} } } as unknown as ConnectedTarget]]);
    const ranges = [[end - 1_000, end]] as const;
    const result = evaluatePromqlSlo(slo, ranges, await queryPromqlSlo({ targets }, slo, ranges));
    expect(result.value, result.message).to.be.closeTo(5 / 105, 0.002);
    expect(result.passed).to.equal(true);
    expect(result.evidence).to.deep.include({ points: 5, nanPoints: 0, stepMs: 250 });
    const strict = evaluatePromqlSlo({ ...slo, limit: 0.04 }, ranges, await queryPromqlSlo({ targets }, slo, ranges));
    expect(strict.passed).to.equal(false);
    expect(strict.message).to.match(/^max of .* = 0\.047\d* ≥ 0\.04 in "run"$/);
    const gone = evaluatePromqlSlo({ ...slo, query: 'nothing_here' }, ranges, await queryPromqlSlo({ targets }, { ...slo, query: 'nothing_here' }, ranges));
    expect(gone.value).to.equal(null);
    expect(gone.message).to.match(/returned no series/);
  });

  it('refuses to connect to a Prometheus that is not there, naming the target (exit 5)', async () => {
    const port = await freePort();
    const error = await connectPrometheus(prometheusConfigSchema.parse({ url: `http://127.0.0.1:${port}` }), pluginContext()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(ChaosError);
    expect((error as ChaosError).exitCode).to.equal(ExitCode.Infrastructure);
    expect((error as ChaosError).message).to.match(new RegExp(`prometheus target "prom" \\(http://127.0.0.1:${port}\\) is not reachable: .*ECONNREFUSED`));
  });
});

async function expectRejection(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error, 'expected the probe to throw').to.be.instanceOf(Error);
  expect((error as Error).message).to.match(pattern);
}

describe('prometheus plugin: credentials in the target URL', () => {
  it('sends user:password@ as basic authentication and keeps the password out of the URL it publishes and its key', async () => {
    const server = await startCountingServer();
    try {
      const url = `http://chaos:s3cret%20pw@127.0.0.1:${server.port}/prom/`;
      const config = prometheusConfigSchema.parse({ url });
      const connection = await connectPrometheus(config, pluginContext());
      expect(server.last?.path).to.equal('/prom/-/ready');
      expect(server.last?.headers.authorization).to.equal(`Basic ${Buffer.from('chaos:s3cret pw').toString('base64')}`);
      expect(connection.attributes.url).to.equal(`http://127.0.0.1:${server.port}/prom`);
      expect(prometheusPlugin.targetKey!(config)).to.equal(`prometheus:http://127.0.0.1:${server.port}/prom`);
    } finally {
      await server.close();
    }
  });
});
