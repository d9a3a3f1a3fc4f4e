/**
 * A CLI that teaches, in-process: every command and subcommand (as the completion lists them, so a new one cannot be
 * forgotten) shows examples that run from the repository root, help wraps to the terminal, and the completion script
 * and its answers. Real bash completing through the built binary: test/e2e/completion.test.ts.
 */
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCliInProcess } from '../support/cli-in-process.js';
import { ROOT } from '../support/cli.js';

const cli = (argv: string[], columns?: number) => runCliInProcess(argv, { cwd: ROOT, ...(columns === undefined ? {} : { columns }) });

/** What `--get-yargs-completions` offers after `words` (the shell sends the word being completed, here empty). */
async function completions(words: string[]): Promise<string[]> {
  const out = await cli(['--get-yargs-completions', 'chaos', ...words, '']);
  expect(out.code, out.stderr).to.equal(0);
  return out.stdout.split('\n').filter(Boolean);
}

/** Every command path: `run`, `lab up`, `lab postgres status`, … found through the completion itself. */
async function commandPaths(prefix: string[] = []): Promise<string[][]> {
  const words = (await completions(prefix)).filter((w) => !w.startsWith('-') && w !== 'completion');
  const paths: string[][] = [];
  for (const word of words) {
    paths.push([...prefix, word]);
    paths.push(...(await commandPaths([...prefix, word])));
  }
  return paths;
}

/** The example commands of a help text: the Examples section's lines that are not `# what it does`. */
function exampleCommands(help: string): string[] {
  const section = help.split('\nExamples:\n')[1]?.split('\n\n')[0] ?? '';
  return section
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

describe('chaos --help teaches', function () {
  this.timeout(60_000);

  it('every command and subcommand has examples that use it, and the files they name are shipped', async () => {
    const paths = await commandPaths();
    expect(paths.map((p) => p.join(' '))).to.include.members(['init', 'run', 'list', 'lab up', 'lab postgres up', 'proxy serve', 'schedule']);
    for (const path of paths) {
      const help = await cli([...path, '--help'], 200);
      expect(help.code, `${path.join(' ')} --help: ${help.stderr}`).to.equal(0);
      const examples = exampleCommands(help.stdout);
      // `journal verify` is a positional choice of `journal`, not a command of its own: it shows journal's examples.
      const command = path[0] === 'journal' ? 'journal' : path.join(' ');
      expect(examples, `examples of chaos ${command}`).not.to.be.empty;
      expect(examples.some((e) => e.split(/;|&/).some((part) => part.trim().startsWith(`chaos ${command}`))), `${command}: ${examples.join('\n')}`).to.equal(true);
      // `chaos init`'s examples name the file they would write; every other example reads shipped files.
      if (command === 'init') continue;
      for (const file of examples.join(' ').match(/\b(?:experiments|scenarios)\/[\w./-]+\.ya?ml\b/g) ?? []) {
        expect(existsSync(join(ROOT, file)), `${command}'s example names ${file}`).to.equal(true);
      }
    }
  });

  it('the experiments that examples run, plan or validate are valid with the variables the examples set', async () => {
    const paths = await commandPaths();
    const seen = new Set<string>();
    for (const path of [[], ...paths]) {
      for (const example of exampleCommands((await cli([...path, '--help'], 200)).stdout)) {
        for (const part of example.split(/;|&/)) {
          const match = /^chaos (?:run|plan|validate) (\S+\.yaml)((?: --var \S+)*)/.exec(part.trim());
          if (!match || seen.has(part)) continue;
          seen.add(part);
          const vars = match[2]!.trim() === '' ? [] : match[2]!.trim().split(/\s+/);
          const out = await cli(['validate', match[1]!, ...vars]);
          expect(out.code, `${part.trim()}: ${out.stderr}`).to.equal(0);
        }
      }
    }
    expect(seen.size).to.be.greaterThan(8);
  });

  it('wraps to the terminal width, capped at 120 columns, and at 80 through a pipe', async () => {
    const widest = (text: string) => Math.max(...text.split('\n').map((line) => line.length));
    const narrow = await cli(['run', '--help'], 60);
    expect(widest(narrow.stdout)).to.be.at.most(60);
    const wide = await cli(['run', '--help'], 250);
    expect(widest(wide.stdout)).to.be.at.most(120).and.greaterThan(100);
    const piped = await cli(['run', '--help']);
    expect(widest(piped.stdout)).to.be.at.most(80);
  });

  describe('completion', () => {
    const shell = process.env.SHELL;
    afterEach(() => {
      if (shell === undefined) delete process.env.SHELL;
      else process.env.SHELL = shell;
    });

    it('prints a bash script that asks chaos for its completions', async () => {
      process.env.SHELL = '/bin/bash';
      const out = await cli(['completion']);
      expect(out.code).to.equal(0);
      expect(out.stdout).to.include('chaos --get-yargs-completions').and.include('complete -o bashdefault -o default -F _chaos_yargs_completions chaos');
    });

    it('prints a zsh script when the shell is zsh', async () => {
      // yargs chooses by $SHELL, read when the parser is made: as `chaos completion` run from zsh sees it.
      process.env.SHELL = '/usr/bin/zsh';
      const out = await cli(['completion']);
      expect(out.code).to.equal(0);
      expect(out.stdout).to.match(/^#compdef chaos/).and.include('compdef _chaos_yargs_completions chaos').and.include('chaos --get-yargs-completions');
    });

    it('answers --get-yargs-completions with the commands, subcommands and flags (not deprecated ones)', async () => {
      process.env.SHELL = '/bin/bash';
      expect(await completions([])).to.include.members(['init', 'run', 'validate', 'plan', 'recover', 'list', 'report', 'lab', 'gameday', 'schedule', 'completion']);
      expect(await completions(['lab'])).to.include.members(['up', 'down', 'status', 'postgres']);
      const runFlags = await completions(['run']);
      expect(runFlags).to.include.members(['--format', '--var', '--output', '--force']);
      expect(runFlags).not.to.include('--report');
    });

    it('gives zsh each command with its description', async () => {
      process.env.SHELL = '/usr/bin/zsh';
      const answers = await completions([]);
      expect(answers.find((a) => a.startsWith('init:'))).to.match(/^init:scaffold an experiment/);
    });
  });
});
