/**
 * Every exit code chaosdrill can return. This enum is the only place exit codes exist; docs/reference/errors.md is
 * generated from it (`npm run docs`, with these doc comments), and tests hold the README's table to it.
 */
export enum ExitCode {
  /** The hypothesis held and every objective was met. */
  Ok = 0,
  /** The steady-state hypothesis, a method step or an objective failed. */
  Failed = 1,
  /** The input (experiment file, flags) is invalid; nothing was contacted. */
  InvalidInput = 2,
  /** Aborted by a guardrail, `safety.maxDuration` or the operator; every fault was reverted. */
  Aborted = 3,
  /** A revert failed: the system may still be faulted. Run `chaos recover`. */
  RevertFailed = 4,
  /** Infrastructure error before any fault was injected (a target unreachable, a lock held, the ledger unreadable). */
  Infrastructure = 5,
}

/** A human-readable description of each exit code, for `--help` and the README. */
export const exitCodeMeaning: Readonly<Record<ExitCode, string>> = {
  [ExitCode.Ok]: 'objectives met',
  [ExitCode.Failed]: 'the hypothesis or an objective failed',
  [ExitCode.InvalidInput]: 'invalid input (nothing was contacted)',
  [ExitCode.Aborted]: 'aborted (guardrail, maxDuration or operator); every fault was reverted',
  [ExitCode.RevertFailed]: 'a revert failed: the system may still be faulted, run `chaos recover`',
  [ExitCode.Infrastructure]: 'infrastructure error before any fault was injected',
};

export interface ChaosErrorOptions {
  /** A stable, machine-readable code such as `E_TARGET_UNREACHABLE`; tests assert on it. */
  code: string;
  exitCode: ExitCode;
  /** What the user can do about it. */
  hint?: string;
  cause?: unknown;
}

/** Marks a ChaosError, whichever copy of this module made it (see ChaosError's Symbol.hasInstance). */
const CHAOS_ERROR = Symbol.for('chaosdrill.ChaosError');

/** An error meant for people: a stable code, the exit code it leads to, and a hint. */
export class ChaosError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;

  /**
   * `error instanceof ChaosError` holds for a ChaosError from another copy of this module too. Plugin
   * implementations are imported on demand, and a loader may give them their own copy: tsx's CommonJS transform does
   * in the tests, as would a plugin package with its own chaosdrill installed. Their errors must keep their code and
   * exit code rather than become unknown errors. Subclasses are checked as usual.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== ChaosError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [CHAOS_ERROR]?: unknown })[CHAOS_ERROR] === true;
  }

  /** On the prototype: no instance carries it as its own property (JSON, spreads and deep equality never see it). */
  get [CHAOS_ERROR](): true {
    return true;
  }

  constructor(message: string, options: ChaosErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ChaosError';
    this.code = options.code;
    this.exitCode = options.exitCode;
    this.hint = options.hint;
  }
}

/** One problem found in an input file, located precisely. */
export interface Diagnostic {
  /** Stable code, e.g. `E_UNKNOWN_KEY`. */
  code: string;
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** The path in the document, e.g. `method[2].fault.duration`. */
  path: string;
  message: string;
  expected?: string;
  found?: string;
  hint?: string;
}

/** Raised when an input file has one or more problems; carries all of them at once. */
export class InvalidInputError extends ChaosError {
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[]) {
    const first = diagnostics[0];
    const summary =
      diagnostics.length === 1 && first
        ? `${first.file}:${first.line}:${first.column}: ${first.message}`
        : `${diagnostics.length} problems in ${first?.file ?? 'input'}`;
    super(summary, { code: first?.code ?? 'E_INVALID', exitCode: ExitCode.InvalidInput });
    this.name = 'InvalidInputError';
    this.diagnostics = diagnostics;
  }
}

/** Renders a diagnostic the way compilers do: `file:line:column: code: message`, then expected/found/hint lines. */
export function formatDiagnostic(d: Diagnostic): string {
  const lines = [`${d.file}:${d.line}:${d.column}: error ${d.code}: ${d.message}`];
  if (d.path) lines.push(`  at:       ${d.path}`);
  if (d.expected !== undefined) lines.push(`  expected: ${d.expected}`);
  if (d.found !== undefined) lines.push(`  found:    ${d.found}`);
  if (d.hint !== undefined) lines.push(`  hint:     ${d.hint}`);
  return lines.join('\n');
}

/** The message of anything thrown: an Error's message, else the value as a string. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The `cause` an Error was thrown with (fetch's socket error, a wrapped API error), if any. */
export function causeOf(error: unknown): unknown {
  return error instanceof Error ? error.cause : undefined;
}

/** The `code` of a Node.js system error (`ENOENT`, `EPERM`...), or of anything thrown with a string `code`. */
export function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}
