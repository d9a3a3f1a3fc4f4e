/**
 * `chaos completion` in the shell it is for: real bash loads the script the built binary prints and completes
 * through it (the script calls `chaos --get-yargs-completions` on every Tab). zsh is not installed here: its script
 * and answers are checked in test/unit/cli-help.test.ts.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { CHAOS_BIN, ROOT } from '../support/cli.js';

/** What bash offers for `words` with the cursor on the last one, through the completion function chaos printed. */
function bashCompletes(words: string[]): string[] {
  const script = [
    `source <(${process.execPath} ${CHAOS_BIN} completion)`,
    // `chaos` as the user has it on PATH; a function reaches the subshells the completion script starts.
    `chaos() { ${process.execPath} ${CHAOS_BIN} "$@"; }`,
    `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}`,
    '_chaos_yargs_completions',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const out = spawnSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SHELL: '/bin/bash' }, timeout: 30_000 });
  expect(out.status, out.stderr).to.equal(0);
  return out.stdout.split('\n').filter(Boolean);
}

describe('chaos completion in bash', function () {
  this.timeout(60_000);

  it('completes commands', () => {
    expect(bashCompletes(['chaos', 'li'])).to.deep.equal(['list']);
    expect(bashCompletes(['chaos', 'in'])).to.deep.equal(['init']);
  });

  it("completes a command's flags and subcommands", () => {
    expect(bashCompletes(['chaos', 'run', '--fo'])).to.have.members(['--force', '--format']);
    expect(bashCompletes(['chaos', 'lab', 'p'])).to.deep.equal(['postgres']);
  });
});
