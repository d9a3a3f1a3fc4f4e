/**
 * Examples in `--help`, written as a shell session reads: what it does as a comment, then the command on a line of
 * its own. yargs' two columns would wrap a long command into the middle of the table; this way every command can be
 * copied whole, and the comment lines are harmless if pasted too. Every command runs from the repository root.
 */
import type { Argv } from 'yargs';

export type CommandExample = readonly [command: string, what: string];

export function withExamples<T>(y: Argv<T>, examples: readonly CommandExample[]): Argv<T> {
  return examples.reduce((acc, [command, what]) => acc.example(`# ${what}`, '').example(command, ''), y);
}
