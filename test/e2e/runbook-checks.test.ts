/**
 * Runbook checks with the built binary and a real service: a runbook step's `check.probe` runs right after the
 * method step named like the step's `id` (before the next step changes anything), the others at the end of the
 * method; each is journaled in the `runbook` section and shown as the observed outcome in runbook.md. A failed
 * check fails the run (exit 1) without stopping the method.
 */
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { journalIn, readJournalDoc, runChaos, startService, tempDir, writeExperiment, type TestService } from '../support/cli.js';

function experiment(service: TestService, afterBreakStatus: number): string {
  return `version: 1
name: runbook-drill
runbook:
  name: DR-01 health endpoint
  steps:
    - id: break it
      say: The operator breaks the service
      expected: health answers 503
      check: { probe: { type: http, url: "${service.url}/healthz", expect: { status: ${afterBreakStatus} }, timeout: 2s } }
    - id: verify
      say: The service is healthy again
      check: { probe: { type: http, url: "${service.url}/healthz", expect: { status: 200 }, timeout: 2s } }
    - id: sign the log
      say: Someone writes it down
      manual: true
method:
  - name: break it
    # The service answers the request that breaks it with 503 already.
    action: { type: http.request, method: POST, url: "${service.url}/break", expect: { status: 503 } }
  - name: heal it
    action: { type: http.request, method: POST, url: "${service.url}/heal" }
`;
}

describe('runbook checks (the built binary, a real service)', function () {
  this.timeout(60_000);
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let service: TestService;

  beforeEach(async () => {
    dir = await tempDir('chaosdrill-runbook-');
    service = await startService(dir.path);
  });
  afterEach(async () => {
    await service.stop();
    await dir.cleanup();
  });

  const run = async (afterBreakStatus: number) => {
    const file = await writeExperiment(dir.path, 'exp.yaml', experiment(service, afterBreakStatus));
    const out = await runChaos(['run', file, '--state-dir', join(dir.path, 'state'), '-o', join(dir.path, 'run')], { cwd: dir.path });
    const journal = await readJournalDoc(journalIn(join(dir.path, 'run')));
    const activities = journal.entries.filter((e) => e.kind === 'activity').map((e) => e.data as { name: string; section: string; status: string; message: string });
    return { out, activities };
  };

  it('runs each check right after its method step, the rest at the end of the method, and shows them in runbook.md', async () => {
    const { out, activities } = await run(503);
    expect(out.code, out.stdout + out.stderr).to.equal(0);
    // The 503 could only be seen between "break it" and "heal it": the check ran in between.
    expect(activities.map((a) => `${a.section}:${a.name}:${a.status}`)).to.deep.equal([
      'method:break it:succeeded',
      'runbook:break it:succeeded',
      'method:heal it:succeeded',
      'runbook:verify:succeeded',
    ]);
    const report = await readFile(join(dir.path, 'run', 'runbook.md'), 'utf8');
    expect(report).to.match(/`verify`.*✅ check succeeded: /);
    expect(report).to.match(/`break it`.*✅ succeeded: .*; check succeeded: /);
    expect(report).to.match(/`sign the log`.*manual: for a person to confirm/);
  });

  it('fails the run (exit 1) when a check fails, still running the rest of the method and the other checks', async () => {
    const { out, activities } = await run(200);
    expect(out.code, out.stdout + out.stderr).to.equal(1);
    expect(out.stdout + out.stderr).to.include('runbook step "break it" check failed');
    expect(activities.map((a) => `${a.section}:${a.name}:${a.status}`)).to.deep.equal([
      'method:break it:succeeded',
      'runbook:break it:failed',
      'method:heal it:succeeded',
      'runbook:verify:succeeded',
    ]);
  });
});
