/**
 * The generated reference pages (docs/reference/errors.md, docs/reference/plugins/*.md) are what `npm run docs`
 * writes from the source now: each is generated in memory and compared with the committed file, and a stale page
 * fails with the diff. Also: the error page holds every error code raised in src/, and no page is left for a plugin
 * that no longer exists.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { ExitCode, exitCodeMeaning } from '../../src/errors.js';
import { findErrorCodes } from '../../scripts/docs/error-codes.js';
import { builtElsewhere } from '../../scripts/docs/error-meanings.js';
import { PLUGIN_PAGES_DIR, generatedDocs } from '../../scripts/docs/generate.js';
import { ROOT } from '../support/cli.js';
import { expectCommittedFileIsFresh } from '../support/generated-files.js';
import { tableUnderHeading } from '../support/markdown-tables.js';

describe('generated reference pages', function () {
  // Parsing every source file with the TypeScript compiler takes a second or two on a busy machine.
  this.timeout(30_000);
  const pages = generatedDocs(ROOT);

  for (const path of pages.keys()) {
    it(`${path} is fresh`, async () => {
      await expectCommittedFileIsFresh(join(ROOT, path), pages.get(path)!, 'npm run docs');
    });
  }

  it('has a page for every plugin and none for a plugin that is gone', async () => {
    const committed = (await readdir(join(ROOT, PLUGIN_PAGES_DIR))).map((name) => join(PLUGIN_PAGES_DIR, name)).sort();
    expect(committed).to.deep.equal([...pages.keys()].filter((p) => p.startsWith(PLUGIN_PAGES_DIR)).sort());
  });

  it('lists every error code raised in src/, each under its own heading', async () => {
    const page = await readFile(join(ROOT, 'docs', 'reference', 'errors.md'), 'utf8');
    const headings = [...page.matchAll(/^### (E_[A-Z0-9_]+)$/gm)].map((m) => m[1]);
    const codes = findErrorCodes(join(ROOT, 'src'), ROOT).map((c) => c.code);
    // A floor, so that a broken extractor that finds nothing cannot pass: src/ raised 105 codes when this was written.
    expect(codes.length).to.be.greaterThan(90);
    expect(headings).to.deep.equal(codes);
    for (const code of ['E_TARGET_LOCKED', 'E_UNRECOVERED_FAULTS', 'E_YAML_SYNTAX', 'E_PG_NOT_DESTRUCTIVE']) expect(codes).to.include(code);
  });

  it('explains by hand only codes that src/ still raises', () => {
    const codes = findErrorCodes(join(ROOT, 'src'), ROOT).map((c) => c.code);
    expect(Object.keys(builtElsewhere).filter((code) => !codes.includes(code))).to.deep.equal([]);
  });

  it("gives E_UNRECOVERED_FAULTS the exit code and hint it is raised with (src/engine/preflight.ts)", () => {
    const found = findErrorCodes(join(ROOT, 'src'), ROOT).find((c) => c.code === 'E_UNRECOVERED_FAULTS')!;
    expect(found.sites).to.have.length(1);
    expect(found.sites[0]!.exitCode).to.equal(ExitCode.Infrastructure);
    expect(found.sites[0]!.hint).to.match(/^a previous run died, or its revert failed; run `chaos recover` first/);
  });

  it('has the exit-code table, every ExitCode with its meaning word for word', async () => {
    const table = tableUnderHeading(await readFile(join(ROOT, 'docs', 'reference', 'errors.md'), 'utf8'), 'Exit codes');
    expect(table.header.slice(0, 2)).to.deep.equal(['code', 'meaning']);
    const exitCodes = Object.values(ExitCode).filter((v): v is ExitCode => typeof v === 'number');
    expect(table.rows.map((r) => [r[0], r[1]])).to.deep.equal(exitCodes.map((c) => [String(c), exitCodeMeaning[c]]));
  });
});
