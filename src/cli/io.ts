/**
 * Everything a command may use of the outside world, handed in by src/bin.ts (the only file that touches
 * `process`), so that every command is testable in-process.
 */
export interface TextSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  /** Arguments after `chaos`. */
  argv: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: TextSink;
  stderr: TextSink;
  /** Fires on the first SIGINT/SIGTERM; its reason is the signal name. */
  signal: AbortSignal;
  user: string;
  host: string;
  pid: number;
}

/** How a command writes for people: respects --quiet, --json and NO_COLOR. */
export class Output {
  readonly quiet: boolean;
  readonly json: boolean;
  readonly verbose: boolean;
  readonly #io: CliIo;
  readonly #color: boolean;

  constructor(io: CliIo, flags: { quiet?: boolean; json?: boolean; verbose?: boolean }) {
    this.#io = io;
    this.quiet = flags.quiet ?? false;
    this.json = flags.json ?? false;
    this.verbose = flags.verbose ?? false;
    const noColor = io.env['NO_COLOR'] !== undefined && io.env['NO_COLOR'] !== '';
    this.#color = !noColor && io.stdout.isTTY === true && io.env['TERM'] !== 'dumb';
  }

  /** Progress and information: hidden by --quiet and --json. */
  info(line: string): void {
    if (!this.quiet && !this.json) this.#io.stdout.write(`${line}\n`);
  }

  /** The command's main result in human form: hidden by --json only. */
  result(line: string): void {
    if (!this.json) this.#io.stdout.write(`${line}\n`);
  }

  /** Machine-readable result for --json. */
  data(value: unknown): void {
    if (this.json) this.#io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Warnings and errors go to stderr whatever the flags. */
  error(line: string): void {
    this.#io.stderr.write(`${line}\n`);
  }

  debug(line: string): void {
    if (this.verbose) this.#io.stderr.write(`${this.dim(line)}\n`);
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
