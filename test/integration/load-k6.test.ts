/**
 * The k6 driver against a stand-in executable that writes k6's documented JSON output (k6 itself cannot be
 * installed here): its points reach the timeline with their status and latency; a missing k6 is a clear
 * infrastructure error (exit 5) before any fault.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { ChaosError, ExitCode } from '../../src/errors.js';
import { k6Driver } from '../../src/load/k6-driver.js';
import { Timeline } from '../../src/measure/timeline.js';
import { runExperiment } from '../../src/engine/run.js';
import { loadExperimentText } from '../../src/experiment/load.js';
import { createRegistry } from '../../src/plugins/registry.js';
import { ROOT, tempDir } from '../support/cli.js';
import { recordingLogger } from '../support/contexts.js';
import { startGroundTruthServer, type GroundTruthServer } from '../support/ground-truth-server.js';

const STAND_IN = join(ROOT, 'test/support/k6-stand-in.mjs');

describe('the k6 load driver', function () {
  this.timeout(30_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let server: GroundTruthServer;
  beforeEach(async () => {
    dir = await tempDir();
    server = await startGroundTruthServer({ failEvery: 5 });
  });
  afterEach(async () => {
    await server.close();
    await dir.cleanup();
  });

  const config = (binary: string) => ({
    type: 'k6' as const,
    script: 'scenarios/k6/steady-get.ts',
    env: { TARGET: `${server.url}/` },
    args: [],
    binary,
    allowDropped: 0.01,
    bucket: 100,
  });

  it('streams http_req_duration points into the timeline while k6 runs, and stops k6 with SIGINT', async () => {
    const timeline = new Timeline({ startMs: Date.now() });
    const driver = k6Driver(config(STAND_IN), timeline, { workDir: dir.path, cwd: ROOT, logger: recordingLogger() });
    await driver.start();
    // Streamed, not read at the end: points are on the timeline while k6 still runs.
    const deadline = Date.now() + 5_000;
    while (timeline.summarize(0, Date.now() + 1000).total < 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(timeline.summarize(0, Date.now() + 1000).total).to.be.at.least(10);
    const summary = (await driver.stop()) as { requests: number; httpReqs: number; httpReqFailed: number; exitCode: number };
    expect(summary.exitCode).to.equal(0);
    const stats = timeline.summarize(0, Date.now() + 1000);
    const answered = server.answered();
    // Every request the server answered is on the timeline exactly once, with its status class.
    expect(stats.total).to.equal(answered.ok + answered.failed);
    expect(stats.byKind['5xx']).to.equal(answered.failed);
    expect(summary.httpReqs).to.equal(stats.total);
    expect(summary.httpReqFailed).to.equal(answered.failed);
    expect(stats.histogram.totalCount).to.equal(stats.total);
  });

  it('records refused connections as "refused" from the error_code tag', async () => {
    await server.close();
    const timeline = new Timeline({ startMs: Date.now() });
    const driver = k6Driver(config(STAND_IN), timeline, { workDir: dir.path, cwd: ROOT, logger: recordingLogger() });
    await driver.start();
    await new Promise((r) => setTimeout(r, 500));
    await driver.stop();
    const stats = timeline.summarize(0, Date.now() + 1000);
    expect(stats.total).to.be.greaterThan(0);
    expect(stats.byKind.refused).to.equal(stats.total);
    server = await startGroundTruthServer();
  });

  it('fails with E_K6_NOT_FOUND (infrastructure, exit 5) when k6 is not installed', async () => {
    const driver = k6Driver(config(join(dir.path, 'no-such-k6')), new Timeline({ startMs: Date.now() }), { workDir: dir.path, cwd: ROOT, logger: recordingLogger() });
    const error = await driver.start().then(() => null, (e: unknown) => e);
    expect(error).to.be.instanceOf(ChaosError);
    expect((error as ChaosError).code).to.equal('E_K6_NOT_FOUND');
    expect((error as ChaosError).exitCode).to.equal(ExitCode.Infrastructure);
    expect((error as ChaosError).hint).to.contain('autocannon');
  });

  it('makes a run exit 5 before any fault when the k6 binary is missing', async () => {
    const registry = createRegistry();
    const loaded = await loadExperimentText(
      `version: 1
name: k6-missing
load: { type: k6, script: scenarios/k6/steady-get.ts, binary: ${join(dir.path, 'k6')} }
method:
  - pause: 100ms
`,
      'k6.yaml',
      { registry },
    );
    const result = await runExperiment(loaded, {
      registry,
      stateDir: join(dir.path, 'state'),
      runDir: join(dir.path, 'run'),
      invocation: { argv: ['test'], cwd: dir.path, user: 't', host: 't', pid: process.pid, version: 't' },
    });
    expect(result.exitCode).to.equal(ExitCode.Infrastructure);
    expect(result.reason).to.contain('E_K6_NOT_FOUND');
  });
});
