import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChaosError, ExitCode } from '../../src/errors.js';
import type { Json } from '../../src/json.js';
import { GENESIS_HASH, journalEntryHash, JournalWriter, readJournal, verifyJournal, type JournalDocument } from '../../src/state/journal.js';

describe('journal', () => {
  let dir: string;
  let path: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chaos-journal-'));
    path = join(dir, 'journal.json');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function writeSample(): Promise<JournalDocument> {
    let t = Date.parse('2024-05-01T10:00:00.000Z');
    const writer = await JournalWriter.create(path, { now: () => new Date((t += 1000)) });
    await writer.append('run:started', { experiment: 'failover', flags: ['--quiet'] });
    await writer.append('fault:injected', { type: 'process.pause', target: 'app' });
    await writer.append('fault:reverted', { type: 'process.pause', ok: true });
    await writer.append('run:finished', { exitCode: 0 });
    await writer.close();
    return JSON.parse(await readFile(path, 'utf8')) as JournalDocument;
  }

  it('writes an empty journal as soon as it is created', async () => {
    await (await JournalWriter.create(path)).close();
    expect(JSON.parse(await readFile(path, 'utf8'))).to.deep.equal({ format: 'chaosdrill.journal', version: 1, entries: [] });
  });

  it('chains each entry to the previous one with sha256(prev + canonical JSON of seq, at, kind, data)', async () => {
    const doc = await writeSample();
    expect(doc.entries.map((e) => e.seq)).to.deep.equal([1, 2, 3, 4]);
    expect(doc.entries[0]?.prev).to.equal(GENESIS_HASH);
    expect(doc.entries[0]?.at).to.equal('2024-05-01T10:00:01.000Z');
    // Computed independently of the implementation: RFC 8785 sorts keys and drops whitespace.
    const first = doc.entries[0];
    const canonical = `{"at":"2024-05-01T10:00:01.000Z","data":{"experiment":"failover","flags":["--quiet"]},"kind":"run:started","seq":1}`;
    expect(first?.hash).to.equal(createHash('sha256').update(GENESIS_HASH + canonical).digest('hex'));
    for (let i = 1; i < doc.entries.length; i++) expect(doc.entries[i]?.prev).to.equal(doc.entries[i - 1]?.hash);
    expect(verifyJournal(doc)).to.deep.equal({ ok: true, entries: 4, head: doc.entries[3]?.hash });
  });

  it('writes one entry per line and leaves no temporary file behind', async () => {
    await writeSample();
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).to.equal('{"format":"chaosdrill.journal","version":1,"entries":[');
    expect(lines.slice(1, -1).map((l) => (JSON.parse(l.replace(/,$/, '')) as { seq: number }).seq)).to.deep.equal([1, 2, 3, 4]);
    expect(lines.at(-1)).to.equal(']}');
    expect(await readdir(dir)).to.deep.equal(['journal.json']);
  });

  it('appends in place: the file is never replaced and what was written stays byte for byte', async () => {
    const writer = await JournalWriter.create(path);
    await writer.append('big', { blob: 'x'.repeat(200_000) });
    const before = await readFile(path);
    const inode = (await stat(path)).ino;
    await writer.append('small', { n: 1 });
    await writer.close();
    const after = await readFile(path);
    expect((await stat(path)).ino, 'the same file, not a rewritten copy').to.equal(inode);
    const kept = before.length - '\n]}\n'.length;
    expect(after.subarray(0, kept).equals(before.subarray(0, kept))).to.equal(true);
    expect(verifyJournal(JSON.parse(after.toString('utf8')))).to.deep.include({ ok: true, entries: 2 });
  });

  it('never replaces an existing journal: creating one where a file is fails with EEXIST', async () => {
    await writeSample();
    const before = await readFile(path, 'utf8');
    const error = await JournalWriter.create(path).then(
      () => null,
      (e: unknown) => e,
    );
    expect((error as NodeJS.ErrnoException).code).to.equal('EEXIST');
    expect(await readFile(path, 'utf8')).to.equal(before);
  });

  it('reads every complete entry of a journal whose last append was torn by a crash', async () => {
    await writeSample();
    const text = await readFile(path, 'utf8');
    // The fifth append died half-way: its bytes overwrote the closer and stopped mid-entry.
    await writeFile(path, `${text.slice(0, text.length - '\n]}\n'.length)},\n{"seq":5,"at":"2024-05-01T10:00:05.000Z","ki`);
    const doc = await readJournal(path);
    expect(doc.tornTail).to.equal(true);
    expect(doc.entries.map((e) => e.seq)).to.deep.equal([1, 2, 3, 4]);
    expect(verifyJournal(doc)).to.deep.include({ ok: true, entries: 4 });
  });

  it('fails verification when an entry\'s data was changed, naming its seq', async () => {
    const doc = await writeSample();
    (doc.entries[1] as { data: Json }).data = { type: 'process.pause', target: 'db' };
    expect(verifyJournal(doc)).to.deep.include({ ok: false, seq: 2 });
  });

  it('fails verification when an entry was removed', async () => {
    const doc = await writeSample();
    doc.entries.splice(1, 1);
    const result = verifyJournal(doc);
    expect(result).to.deep.include({ ok: false, seq: 3 });
    expect(result.ok === false && result.reason).to.contain('removed or reordered');
  });

  it('fails verification when entries were reordered', async () => {
    const doc = await writeSample();
    const [second, third] = [doc.entries[1], doc.entries[2]];
    doc.entries[1] = third as (typeof doc.entries)[number];
    doc.entries[2] = second as (typeof doc.entries)[number];
    expect(verifyJournal(doc)).to.deep.include({ ok: false, seq: 3 });
  });

  it('fails verification when a hash was replaced, even with a consistent seq', async () => {
    const doc = await writeSample();
    (doc.entries[2] as { hash: string }).hash = 'f'.repeat(64);
    // Entry 3's own hash no longer matches its content.
    expect(verifyJournal(doc)).to.deep.include({ ok: false, seq: 3 });
  });

  it('fails verification when an edited entry is rehashed but the next entry still points at the old hash', async () => {
    const doc = await writeSample();
    const e2 = doc.entries[1] as { data: Json; hash: string; prev: string; seq: number; at: string; kind: string };
    e2.data = { forged: true };
    e2.hash = journalEntryHash(e2.prev, e2);
    expect(verifyJournal(doc)).to.deep.include({ ok: false, seq: 3 });
  });

  it('rejects a document that is not a chaosdrill journal', () => {
    expect(verifyJournal({ entries: [] })).to.deep.include({ ok: false, seq: null });
    expect(verifyJournal({ format: 'chaosdrill.journal', version: 2, entries: [] })).to.deep.include({ ok: false, seq: null });
    expect(verifyJournal(null)).to.deep.include({ ok: false, seq: null });
  });

  it('redacts data before hashing and writing it', async () => {
    const writer = await JournalWriter.create(path, {
      redact: (v) => JSON.parse(JSON.stringify(v).replaceAll('hunter2', '[redacted]')) as Json,
    });
    await writer.append('target:connected', { url: 'http://u:hunter2@127.0.0.1:1/' });
    const text = await readFile(path, 'utf8');
    expect(text).not.to.contain('hunter2');
    expect(verifyJournal(JSON.parse(text))).to.deep.include({ ok: true, entries: 1 });
    expect(writer.entries[0]?.data).to.deep.equal({ url: 'http://u:[redacted]@127.0.0.1:1/' });
    await writer.close();
  });

  it('keeps concurrent appends in call order with an unbroken chain', async () => {
    const writer = await JournalWriter.create(path);
    const appended = await Promise.all(Array.from({ length: 25 }, (_, i) => writer.append('sample', { i })));
    expect(appended.map((e) => e.seq)).to.deep.equal(Array.from({ length: 25 }, (_, i) => i + 1));
    const { entries } = await readJournal(path);
    expect(entries.map((e) => (e.data as { i: number }).i)).to.deep.equal(Array.from({ length: 25 }, (_, i) => i));
    expect(verifyJournal(JSON.parse(await readFile(path, 'utf8')))).to.deep.include({ ok: true, entries: 25 });
    await writer.close();
  });

  it('stores what it hashes: values JSON cannot carry are normalized before hashing', async () => {
    const writer = await JournalWriter.create(path);
    await writer.append('odd', { n: Number.NaN, gone: undefined } as unknown as Json);
    await writer.close();
    expect(verifyJournal(JSON.parse(await readFile(path, 'utf8')))).to.deep.include({ ok: true, entries: 1 });
  });

  it('readJournal reports a missing file or bad JSON with E_JOURNAL_UNREADABLE and the path', async () => {
    for (const setup of [async () => undefined, async () => writeFile(path, '{"format": "chaosdrill.jour')]) {
      await setup();
      const error = await readJournal(path).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(ChaosError);
      expect((error as ChaosError).code).to.equal('E_JOURNAL_UNREADABLE');
      expect((error as ChaosError).exitCode).to.equal(ExitCode.InvalidInput);
      expect((error as ChaosError).message).to.contain(path);
    }
  });
});
