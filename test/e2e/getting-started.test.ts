/**
 * docs/getting-started.md works as written: the files it marks (`<!-- getting-started: file NAME -->`) are written
 * to a temporary folder, and the commands it marks (`<!-- getting-started: run -->`) run there, line by line, with
 * the environment the page tells the reader to set (APP_URL, APP_PID) pointing at a sample HTTP service started on
 * 127.0.0.1:0. The only rewriting: `npx chaos` becomes the built binary, as the reader's `npx` would resolve it.
 * Each command must exit 0; the run must leave the service running (not stopped by the pause) and write its reports.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { runChaos, startService, stopAllChaos, tempDir, writeExperiment, type TestService } from '../support/cli.js';
import { docBlocks } from '../support/doc-blocks.js';

const PAGE = 'docs/getting-started.md';

describe('docs/getting-started.md, as a reader follows it', function () {
  // The page's run takes about 5 s (1 s, a 2 s freeze, 1 s); validate and plan well under one each.
  this.timeout(60_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let service: TestService;

  before(async () => {
    dir = await tempDir('chaosdrill-getting-started-');
    service = await startService(dir.path);
  });
  after(async () => {
    await stopAllChaos();
    await service?.stop();
    await dir?.cleanup();
  });

  const blocks = docBlocks(PAGE);
  const files = blocks.filter((b) => b.marker?.startsWith('getting-started: file '));
  const commands = blocks
    .filter((b) => b.marker === 'getting-started: run')
    .flatMap((b) => b.text.split('\n').map((line) => ({ line: line.trim(), at: b.line })))
    .filter(({ line }) => line !== '' && !line.startsWith('#'));

  it('marks at least one file and the validate, plan and run commands', () => {
    expect(files.length).to.be.greaterThan(0);
    expect(commands.map((c) => c.line.split(' ').slice(0, 3).join(' '))).to.include.members(['npx chaos validate', 'npx chaos plan', 'npx chaos run']);
  });

  it('each marked command exits 0 against a service of the reader’s own', async () => {
    for (const file of files) await writeExperiment(dir.path, file.marker!.slice('getting-started: file '.length).trim(), file.text);
    const env = { APP_URL: service.url, APP_PID: String(service.pid) };
    for (const { line, at } of commands) {
      // Plain words only: a command that needs a shell (quotes, pipes, variables) would need one here too.
      expect(line, `${PAGE}:${at}: "${line}" needs a shell`).to.not.match(/["'`$|&;<>()\\]/);
      const argv = line.split(/\s+/);
      expect(argv.slice(0, 2), `${PAGE}:${at}: "${line}" is not a chaos command`).to.deep.equal(['npx', 'chaos']);
      const out = await runChaos(argv.slice(2), { cwd: dir.path, env, timeoutMs: 45_000 });
      expect(out.code, `${PAGE}:${at}: ${line}\n${out.stdout}\n${out.stderr}`).to.equal(0);
    }
    // The freeze was reverted: the service runs (not stopped) and answers.
    expect(service.state()).to.not.equal('T');
    expect((await fetch(`${service.url}/healthz`)).status).to.equal(200);
    const runs = await readdir(join(dir.path, 'reports'));
    expect(runs).to.have.length(1);
    expect(await readdir(join(dir.path, 'reports', runs[0]!))).to.include.members(['journal.json', 'report.html', 'report.md', 'junit.xml']);
  });
});
