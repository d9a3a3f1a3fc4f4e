/**
 * The `chaos` CLI run in-process (src/cli/main.ts with a hand-made CliIo): what it printed and its exit code, with
 * the terminal (width, stdin) under the test's control.
 */
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

export interface InProcessOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

export interface InProcessOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** The terminal's width; absent: stdout is a pipe. */
  columns?: number;
  /** A terminal on stdin that these lines are typed into, one by one as questions are asked. */
  typed?: string[];
  /** After the typed lines, the terminal stays open (nobody types) instead of ending. */
  keepOpen?: boolean;
  /** Set to abort as Ctrl-C would. */
  signal?: AbortSignal;
}

export async function runCliInProcess(argv: string[], options: InProcessOptions): Promise<InProcessOutcome> {
  let stdout = '';
  let stderr = '';
  let stdin: CliIo['stdin'];
  if (options.typed !== undefined) {
    const stream = new PassThrough();
    const lines = [...options.typed];
    // Answers arrive as a person types them: after the question ends with ": ", not all at once up front.
    const typeNext = () => {
      const line = lines.shift();
      if (line !== undefined) stream.write(`${line}\n`);
      else if (options.keepOpen !== true) stream.end();
    };
    stdin = {
      isTTY: true,
      stream: () => stream,
    };
    const write = (text: string) => {
      stdout += text;
      if (text.endsWith(': ')) setImmediate(typeNext);
    };
    return finish(await main(io(argv, options, { write, isTTY: true, columns: options.columns }, stdin)));
  }
  return finish(await main(io(argv, options, { write: (text: string) => (stdout += text), columns: options.columns }, stdin)));

  function io(args: string[], opts: InProcessOptions, out: CliIo['stdout'], input: CliIo['stdin']): CliIo {
    return {
      argv: args,
      env: { NO_COLOR: '1', ...opts.env },
      cwd: opts.cwd,
      stdout: out,
      stderr: { write: (text: string) => (stderr += text) },
      ...(input ? { stdin: input } : {}),
      signal: opts.signal ?? new AbortController().signal,
      user: 'test',
      host: 'test',
      pid: process.pid,
    };
  }
  function finish(code: number): InProcessOutcome {
    return { code, stdout, stderr };
  }
}
