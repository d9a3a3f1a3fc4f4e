import { createRedactor, redactForOutput, type Redactor } from '../experiment/redact.js';

/**
 * Everything a command may use of the outside world, handed in by src/bin.ts (the only file that touches
 * `process`), so that every command is testable in-process.
 */
export interface TextSink {
  write(text: string): unknown;
  isTTY?: boolean;
  /** The terminal's width, when it is one (help text wraps to it). */
  columns?: number;
}

/** Standard input, for commands that ask questions (`chaos init`); opened only when a command reads it. */
export interface InputSource {
  isTTY: boolean;
  stream(): NodeJS.ReadableStream;
}

export interface CliIo {
  /** Arguments after `chaos`. */
  argv: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: TextSink;
  stderr: TextSink;
  /** Absent: nothing can be asked, as when stdin is not a terminal. */
  stdin?: InputSource;
  /** Fires on the first SIGINT/SIGTERM; its reason is the signal name. */
  signal: AbortSignal;
  user: string;
  host: string;
  pid: number;
}

/**
 * CI mode: `--ci`, or the `CI` environment variable that CI systems set (GitHub Actions, GitLab, CircleCI, …), unless
 * it is empty, `false` or `0`. In CI there is no terminal to redraw and logs are read afterwards: no progress lines,
 * no colours, one compact line per step, fault, revert and verdict.
 */
export function isCiMode(env: Record<string, string | undefined>, flag?: boolean): boolean {
  if (flag === true) return true;
  const ci = env['CI']?.trim().toLowerCase();
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/** How a command writes for people: respects --quiet, --json, NO_COLOR and CI mode. */
export class Output {
  readonly quiet: boolean;
  readonly json: boolean;
  readonly verbose: boolean;
  /** CI mode (isCiMode): no colours, no progress, compact lines. */
  readonly ci: boolean;
  readonly #io: CliIo;
  readonly #color: boolean;
  readonly #secrets: string[] = [];
  #redact: Redactor = (value) => value;

  constructor(io: CliIo, flags: { quiet?: boolean; json?: boolean; verbose?: boolean; ci?: boolean }) {
    this.#io = io;
    this.quiet = flags.quiet ?? false;
    this.json = flags.json ?? false;
    this.verbose = flags.verbose ?? false;
    this.ci = isCiMode(io.env, flags.ci);
    const noColor = io.env['NO_COLOR'] !== undefined && io.env['NO_COLOR'] !== '';
    this.#color = !noColor && !this.ci && io.stdout.isTTY === true && io.env['TERM'] !== 'dumb';
  }

  /**
   * From now on these values, in any encoded form, are printed as "[redacted]", whatever prints them (reporters,
   * reasons, evidence, errors, `--json`). Commands call it as soon as an experiment is loaded.
   */
  hideSecrets(values: readonly string[]): void {
    this.#secrets.push(...values);
    this.#redact = createRedactor(this.#secrets);
  }

  /** Progress and information: hidden by --quiet and --json. */
  info(line: string): void {
    if (!this.quiet && !this.json) this.#io.stdout.write(`${this.#redact(line)}\n`);
  }

  /** The command's main result in human form: hidden by --json only. */
  result(line: string): void {
    if (!this.json) this.#io.stdout.write(`${this.#redact(line)}\n`);
  }

  /** Machine-readable result for --json. */
  data(value: unknown): void {
    if (this.json) this.#io.stdout.write(`${JSON.stringify(redactForOutput(this.#redact, value), null, 2)}\n`);
  }

  /** Warnings and errors go to stderr whatever the flags. */
  error(line: string): void {
    this.#io.stderr.write(`${this.#redact(line)}\n`);
  }

  debug(line: string): void {
    if (this.verbose) this.#io.stderr.write(`${this.dim(this.#redact(line))}\n`);
  }

  paint(code: number, text: string): string {
    return this.#color ? `\u001b[${code}m${text}\u001b[0m` : text;
  }
  green = (t: string) => this.paint(32, t);
  red = (t: string) => this.paint(31, t);
  yellow = (t: string) => this.paint(33, t);
  bold = (t: string) => this.paint(1, t);
  dim = (t: string) => this.paint(2, t);
}
