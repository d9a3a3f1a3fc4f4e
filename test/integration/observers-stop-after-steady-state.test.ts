/**
 * Observers (load, the RTO probe, the RPO writer) stop after the steady state after (DESIGN.md §2.7), so the
 * `after` window and the RTO probe cover a recovery that happens while the steady state after is checked. Here the
 * method ends as soon as the outage starts; the server recovers 1.2 s later, during a steady state check that
 * takes 2.5 s.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { runExperiment } from '../../src/engine/run.js';
import { loadExperimentText } from '../../src/experiment/load.js';
import { builtinPlugins, createRegistry } from '../../src/plugins/registry.js';
import { readJournalDoc, tempDir } from '../support/cli.js';
import { groundTruthPlugin } from '../support/ground-truth-plugin.js';
import { startGroundTruthServer, type GroundTruthServer } from '../support/ground-truth-server.js';

const registry = createRegistry([...builtinPlugins(), groundTruthPlugin()]);

describe('observers run until the steady state after has been checked', function () {
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

  it('measures an RTO whose recovery falls in the steady state after, and the after window spans it', async () => {
    const loaded = await loadExperimentText(
      `version: 1
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
`,
      'recovery.yaml',
      { registry },
    );
    const result = await runExperiment(loaded, {
      registry,
      stateDir: join(dir.path, 'state'),
      runDir: join(dir.path, 'run'),
      invocation: { argv: ['test'], cwd: dir.path, user: 't', host: 't', pid: process.pid, version: 't' },
    });
    const rto = result.objectives.find((o) => o.kind === 'rto')!;
    expect(result.exitCode, `${result.reason} ${rto.message}`).to.equal(0);
    // The outage lasts 1200 ms from the server's clock; one probe interval either way, plus the inject's own reply.
    expect(rto.value).to.be.within(1100, 1450);
    const journal = await readJournalDoc(result.journalPath);
    const windows = journal.entries.find((e) => e.kind === 'measurements')!.data.windows as Record<string, Array<{ from: string; to: string }>>;
    const after = windows.after!.reduce((sum, w) => sum + Date.parse(w.to) - Date.parse(w.from), 0);
    // The after window runs from the revert to the end of the steady state after (2.5 s), less a bucket at its edge.
    expect(after).to.be.at.least(2_000);
  });
});
