/**
 * How every command reports a failure: located diagnostics for bad input, code and hint for a ChaosError, and a
 * stack trace only for a bug, only with --verbose.
 */
import { ChaosError, ExitCode, formatDiagnostic, InvalidInputError, messageOf } from '../errors.js';
import type { Output } from './io.js';

/** Prints an error for people and returns its exit code. Stack traces only for bugs, and only with --verbose. */
export function reportError(out: Output, error: unknown): ExitCode {
  if (error instanceof InvalidInputError) {
    for (const d of error.diagnostics) out.error(formatDiagnostic(d));
    out.error(`${error.diagnostics.length} problem${error.diagnostics.length === 1 ? '' : 's'} found; nothing was contacted.`);
    if (out.json) out.data({ ok: false, exitCode: error.exitCode, diagnostics: error.diagnostics });
    return error.exitCode;
  }
  if (error instanceof ChaosError) {
    out.error(`error ${error.code}: ${error.message}`);
    if (error.hint) out.error(`  hint: ${error.hint}`);
    if (out.verbose && error.cause instanceof Error && error.cause.stack) out.error(error.cause.stack);
    if (out.json) out.data({ ok: false, exitCode: error.exitCode, code: error.code, message: error.message, hint: error.hint ?? null });
    return error.exitCode;
  }
  out.error(`internal error: ${messageOf(error)}`);
  if (out.verbose && error instanceof Error && error.stack) out.error(error.stack);
  else out.error('  (this is a bug in chaosdrill; run with --verbose for a stack trace and report it)');
  return ExitCode.Failed;
}
