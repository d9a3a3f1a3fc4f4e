/**
 * A run with open-model load, through the engine, against a real server on 127.0.0.1 that fails every other
 * request while a fault is active: the SLO results say which model produced them, what was dropped and the intended
 * against the achieved rate, and report.md / report.html show the load per window.
 */
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runExperiment } from '../../src/engine/run.js';
import { loadExperimentText } from '../../src/experiment/load.js';
import { builtinPlugins, createRegistry } from '../../src/plugins/registry.js';
import { REPORT_FILES, writeReportsFromJournal } from '../../src/report/write-reports.js';
import { tempDir } from '../support/cli.js';
import { groundTruthPlugin } from '../support/ground-truth-plugin.js';
import { startGroundTruthServer, type GroundTruthServer } from '../support/ground-truth-server.js';

describe('open-model load through a run, and how reports show it', function () {
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

  it('states the model, drops and rates in every SLO, and reports the load per window', async () => {
    const registry = createRegistry([...builtinPlugins(), groundTruthPlugin()]);
    const text = `version: 1
name: load-report
targets:
  svc: { type: gt, url: "${server.url}" }
load: { type: http, url: "${server.url}/", rate: 100, timeout: 2s }
objectives:
  slo:
    - { name: availability before, availability: { atLeast: 99% }, window: before }
    - { name: availability during, availability: { atLeast: 40% }, window: during }
    - { name: p95 run, latency: { p: 95, below: 500ms }, window: run }
method:
  - pause: 1s
  - fault: { type: gt.errors, target: svc, every: 2 }
    duration: 1s
  - pause: 1s
`;
    const loaded = await loadExperimentText(text, 'load-report.yaml', { registry });
    const runDir = join(dir.path, 'run');
    const result = await runExperiment(loaded, {
      registry,
      stateDir: join(dir.path, 'state'),
      runDir,
      invocation: { argv: ['test'], cwd: dir.path, user: 't', host: 't', pid: process.pid, version: 't' },
    });
    expect(result.exitCode, result.reason).to.equal(0);
    for (const slo of result.objectives) {
      expect(slo.message, slo.name).to.match(/open model \(http\), latency from the scheduled send time; 0 dropped, [\d.]+ req\/s achieved of [\d.]+ intended/);
      const load = (slo.evidence as { load: { model: string; dropped: number; intended: number; sent: number } }).load;
      expect(load).to.include({ model: 'open', dropped: 0 });
      expect(load.intended).to.equal(load.sent);
    }
    const during = result.objectives.find((o) => o.name === 'availability during')!;
    expect(during.value).to.be.within(0.4, 0.6);

    await writeReportsFromJournal(result.journalPath, runDir, ['md', 'html']);
    const md = await readFile(join(runDir, REPORT_FILES.md), 'utf8');
    expect(md).to.contain('### Load');
    expect(md).to.contain('open model (http): latency from the scheduled send time');
    expect(md).to.contain('| window | sent | dropped | intended req/s | achieved req/s | availability | timeouts | p50 | p95 | p99 |');
    for (const w of ['run', 'before', 'during', 'after']) expect(md).to.match(new RegExp(`\\| ${w} \\| \\d+ \\| 0 \\| `));
    const html = await readFile(join(runDir, REPORT_FILES.html), 'utf8');
    expect(html).to.contain('<h2>Load</h2>');
    expect(html).to.match(/<tr data-window="during"><td>during<\/td><td>\d+<\/td><td>0<\/td>/);
  });
});
