/**
 * A guardrail trip starts the revert within one second (README, DESIGN.md §3), whatever guardrail probe is still
 * in flight. Through the binary: a load guardrail trips while a probe guardrail (interval 10 s) waits on a server
 * that answers after 8 s; the journal's revert must start within 1 s of `guardrail-tripped`.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { journalIn, readJournalDoc, runChaos, startService, stopAllChaos, tempDir, writeExperiment, type TestService } from '../support/cli.js';
import { startCountingServer, type CountingServer } from '../support/servers.js';

describe('a guardrail trip reverts within a second, even with a slow guardrail probe in flight', function () {
  this.timeout(60_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let service: TestService;
  let slow: CountingServer;

  beforeEach(async () => {
    dir = await tempDir();
    service = await startService(dir.path);
    slow = await startCountingServer();
    slow.respond(200, 'late', { delayMs: 8_000 });
  });
  afterEach(async () => {
    await stopAllChaos();
    await slow.close();
    await service.stop();
    await dir.cleanup();
  });

  it('starts the revert within 1 s of the trip while a probe guardrail waits on an 8 s answer', async () => {
    const file = await writeExperiment(
      dir.path,
      'trip.yaml',
      `version: 1
name: trip-with-slow-probe
targets:
  worker: { type: process, command: [node, -e, "setInterval(() => {}, 1000)"] }
load: { type: autocannon, url: "${service.url}/healthz", rate: 50, connections: 2 }
safety:
  abortWhen:
    - { errorRate: { above: 50% }, over: 1s, for: 300ms }
    - { probe: { type: http, url: "${slow.url}/slow", timeout: 9s }, interval: 10s, failures: 3 }
method:
  - name: freeze worker
    fault: { type: process.pause, target: worker }
  - action: { type: http.request, method: POST, url: "${service.url}/break", expect: { status: 503 } }
  - pause: 30s
`,
    );
    const runDir = join(dir.path, 'run');
    const result = await runChaos(['run', file, '--state-dir', join(dir.path, 'state'), '-o', runDir], { cwd: dir.path });
    expect(result.code, result.stdout + result.stderr).to.equal(3);
    expect(slow.count, 'the probe guardrail was in flight').to.be.at.least(1);
    const journal = await readJournalDoc(journalIn(runDir));
    const trip = journal.entries.find((e) => e.kind === 'guardrail-tripped');
    expect(trip, 'guardrail-tripped in the journal').to.not.equal(undefined);
    expect(trip!.data.condition).to.contain('errorRate');
    const revert = journal.entries.find((e) => e.kind === 'activity' && e.data.kind === 'revert' && e.data.name === 'freeze worker');
    expect(revert?.data.status).to.equal('succeeded');
    const delayMs = Date.parse(revert!.data.startedAt) - Date.parse(trip!.data.at);
    expect(delayMs, 'from guardrail-tripped to the start of the revert').to.be.within(0, 1_000);
  });
});
