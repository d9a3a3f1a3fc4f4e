/**
 * The documentation of exit codes agrees with src/errors.ts, where exit codes are defined: the README's table lists
 * every `ExitCode`, with its number, and its meaning starts with `exitCodeMeaning` word for word (the line `--help`
 * and every verdict print); the README may go on after it to say more.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { ExitCode, exitCodeMeaning } from '../../src/errors.js';
import { ROOT } from '../support/cli.js';
import { tableUnderHeading, type MarkdownTable } from '../support/markdown-tables.js';

/** Every exit code, as `ExitCode` defines it (a numeric enum also maps numbers back to names: those are skipped). */
const exitCodes = Object.entries(ExitCode).filter((entry): entry is [string, ExitCode] => typeof entry[1] === 'number');

describe("the README's exit-code table", () => {
  let table: MarkdownTable;
  before(async () => {
    table = tableUnderHeading(await readFile(join(ROOT, 'README.md'), 'utf8'), 'Exit codes');
  });

  it('has a "code" and a "meaning" column', () => {
    expect(table.header).to.deep.equal(['code', 'meaning']);
  });

  it('lists every ExitCode, each once, in order, and no other code', () => {
    expect(table.rows.map(([code]) => code)).to.deep.equal(exitCodes.map(([, code]) => code).sort((a, b) => a - b).map(String));
  });

  for (const [name, code] of exitCodes) {
    it(`gives ${code} (ExitCode.${name}) its meaning: "${exitCodeMeaning[code]}"`, () => {
      const meaning = table.rows.find(([row]) => row === String(code))?.[1];
      expect(meaning, `the README's row for ${code}`).to.be.a('string');
      expect(meaning!.startsWith(exitCodeMeaning[code]), `the README's row for ${code} reads "${meaning}"`).to.equal(true);
      // What follows the meaning, if anything, explains it further and is set off as such.
      expect(meaning!.slice(exitCodeMeaning[code].length), `the README's row for ${code}, after the meaning`).to.match(/^(|[:;,] .+| \(.+| — .+)$/);
    });
  }
});

// The error-code page (issue 18) gets its check here, beside this one: every `ChaosError` code with its exit code
// and hint, read with tableUnderHeading from the generated page and compared with the codes in src/.
