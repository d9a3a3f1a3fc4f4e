/**
 * The built binary, end to end: autocannon load and an RTO objective against a real service in its own process,
 * made unavailable by `process.pause` for a known time. The measured RTO is the pause within one probe interval,
 * and the journal holds the objective result and the timeline.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { verifyJournal } from '../../src/state/journal.js';
import { journalIn, readJournalDoc, runChaos, startService, stopAllChaos, tempDir, writeExperiment, type TestService } from '../support/cli.js';

describe('chaos run with load and an RTO objective (the built binary)', function () {
  this.timeout(60_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let service: TestService;
  beforeEach(async () => {
    dir = await tempDir();
    service = await startService(dir.path);
  });
  afterEach(async () => {
    await stopAllChaos();
    await service.stop();
    await dir.cleanup();
  });

  it('measures the RTO of a 1.5 s process.pause within one probe interval and journals it', async () => {
    const file = await writeExperiment(
      dir.path,
      'rto.yaml',
      `version: 1
name: rto-e2e
targets:
  svc: { type: process, pidFile: "${service.pidFile}" }
load: { type: autocannon, url: "${service.url}/healthz", connections: 2, rate: 200, timeout: 5s }
objectives:
  rto: { max: 5s, probe: { type: http, url: "${service.url}/healthz" }, interval: 100ms, recoveredAfter: 3, timeout: 1s, from: freeze }
  slo:
    - { name: before, availability: { atLeast: 99% }, window: before }
method:
  - pause: 1s
  - name: freeze
    fault: { type: process.pause, target: svc }
    duration: 1500ms
  - pause: 1500ms
`,
    );
    const runDir = join(dir.path, 'run');
    const out = await runChaos(['run', file, '--state-dir', join(dir.path, 'state'), '-o', runDir], { cwd: dir.path });
    expect(out.code, out.stdout + out.stderr).to.equal(0);
    expect(out.stdout).to.match(/✓ rto: RTO [\d.]+m?s/);
    expect(service.state()).to.be.oneOf(['S', 'R']);

    const journal = await readJournalDoc(journalIn(runDir));
    expect(verifyJournal(journal).ok).to.equal(true);
    const objectives = journal.entries.find((e) => e.kind === 'objectives')!.data as Array<{ name: string; value: number; passed: boolean; uncertainty: string }>;
    const rto = objectives.find((o) => o.name === 'rto')!;
    expect(rto.passed).to.equal(true);
    // The service is frozen from t0 until the revert (1500 ms later plus the revert's own few ms).
    expect(rto.value).to.be.within(1500, 1500 + 100 + 100);
    expect(rto.uncertainty).to.contain('100ms');
    const measurements = journal.entries.find((e) => e.kind === 'measurements')!.data;
    expect(measurements.load.driver).to.equal('autocannon');
    expect(measurements.timeline.events.map((e: { kind: string }) => e.kind)).to.include.members(['fault-injected', 'fault-reverted']);
  });
});
