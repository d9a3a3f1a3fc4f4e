import { expect } from 'chai';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { journalEntryHash, type JournalEntry } from '../../src/state/journal.js';
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
    expect(out.stdout).to.match(/intact/).and.match(/matching the head anchored in .*ledger/);
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

  /** Rewrites the journal with `change` applied to its document, runs verify, and puts the original back. */
  async function verifyAltered(change: (doc: { entries: JournalEntry[] }) => void, args: string[] = []) {
    const path = join(dir.path, 'run', 'journal.json');
    const original = await readFile(path, 'utf8');
    const doc = JSON.parse(original) as { entries: JournalEntry[] };
    change(doc);
    await writeFile(path, JSON.stringify(doc, null, 2));
    try {
      return await runChaos(['journal', 'verify', path, ...args], { cwd: dir.path });
    } finally {
      await writeFile(path, original);
    }
  }

  it('detects entries cut off the end, against the head the run anchored in the ledger', async () => {
    // What is left is a shorter journal whose chain is intact: only the anchored head shows the cut.
    const out = await verifyAltered((doc) => void doc.entries.splice(-3));
    expect(out.code, out.stdout + out.stderr).to.equal(1);
    expect(out.stdout).to.match(/TAMPERED.*entries were cut off its end/);
  });

  it('detects a chain rewritten with every hash recomputed', async () => {
    const out = await verifyAltered((doc) => {
      const activity = doc.entries.find((e) => e.kind === 'activity')!;
      (activity.data as { status: string }).status = 'failed';
      let prev = activity.prev;
      for (const entry of doc.entries.slice(activity.seq - 1)) {
        entry.prev = prev;
        entry.hash = journalEntryHash(prev, entry);
        prev = entry.hash;
      }
    });
    expect(out.code, out.stdout + out.stderr).to.equal(1);
    expect(out.stdout).to.match(/TAMPERED.*hashes recomputed/);
  });

  it('says when the ledger that anchors the journal cannot be found, and finds it with --state-dir', async () => {
    await rename(join(dir.path, 'state'), join(dir.path, 'moved-state'));
    try {
      const lost = await runChaos(['journal', 'verify', 'run'], { cwd: dir.path });
      expect(lost.code, lost.stdout + lost.stderr).to.equal(0);
      expect(lost.stdout).to.match(/intact.*not anchored \(no ledger of run/);
      const found = await runChaos(['journal', 'verify', 'run', '--state-dir', 'moved-state'], { cwd: dir.path });
      expect(found.stdout).to.match(/matching the head anchored in .*moved-state/);
    } finally {
      await rename(join(dir.path, 'moved-state'), join(dir.path, 'state'));
    }
  });
});
