import { expect } from 'chai';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runChaos, tempDir, writeExperiment } from '../support/cli.js';

describe('chaos journal verify', function () {
  this.timeout(30_000);
  let dir: { path: string; cleanup(): Promise<void> };
  before(async () => {
    dir = await tempDir();
    const file = await writeExperiment(
      dir.path,
      'tiny.yaml',
      `version: 1
name: tiny
method:
  - probe: { type: command, run: [node, -e, "console.log('hello')"], expect: { stdout: { regex: hello } } }
`,
    );
    const out = await runChaos(['run', file, '--state-dir', join(dir.path, 'state'), '-o', join(dir.path, 'run')], { cwd: dir.path });
    expect(out.code, out.stdout + out.stderr).to.equal(0);
  });
  after(() => dir.cleanup());

  it('accepts an untouched journal (given the run folder)', async () => {
    const out = await runChaos(['journal', 'verify', 'run'], { cwd: dir.path });
    expect(out.code, out.stdout + out.stderr).to.equal(0);
    expect(out.stdout).to.match(/intact/);
  });

  it('detects a journal whose recorded activity was edited, naming the entry', async () => {
    const path = join(dir.path, 'run', 'journal.json');
    const original = await readFile(path, 'utf8');
    const doc = JSON.parse(original);
    const activity = doc.entries.find((e: { kind: string }) => e.kind === 'activity');
    activity.data.status = 'failed';
    await writeFile(path, JSON.stringify(doc, null, 2));
    try {
      const out = await runChaos(['journal', 'verify', path], { cwd: dir.path });
      expect(out.code).to.equal(1);
      expect(out.stdout).to.match(new RegExp(`TAMPERED.*entry ${activity.seq}`));
    } finally {
      await writeFile(path, original);
    }
  });

  it('detects a removed entry', async () => {
    const path = join(dir.path, 'run', 'journal.json');
    const original = await readFile(path, 'utf8');
    const doc = JSON.parse(original);
    doc.entries.splice(2, 1);
    await writeFile(path, JSON.stringify(doc, null, 2));
    try {
      const out = await runChaos(['journal', 'verify', path], { cwd: dir.path });
      expect(out.code).to.equal(1);
      expect(out.stdout).to.match(/TAMPERED/);
    } finally {
      await writeFile(path, original);
    }
  });
});
