/**
 * Keys that were renamed or removed, or that users bring from other tools (Chaos Toolkit writes
 * `steady-state-hypothesis` and `rollbacks`), each with the message that tells them what to write instead.
 */
import type { PathSegment } from './yaml-source.js';

interface Rename {
  /** Where the old key appears: 'top' (the experiment) or 'step' (a method step). */
  where: 'top' | 'step';
  old: string;
  replacement: string;
  /** What to do, when more than a rename. */
  hint?: string;
}

const RENAMES: readonly Rename[] = [
  { where: 'top', old: 'steady-state-hypothesis', replacement: 'steadyState', hint: 'write `steadyState:` as a list of `{ probe: … }` entries' },
  { where: 'top', old: 'steady_state', replacement: 'steadyState' },
  { where: 'top', old: 'steady-state', replacement: 'steadyState' },
  { where: 'top', old: 'steadystate', replacement: 'steadyState' },
  { where: 'top', old: 'rollback', replacement: 'rollbacks' },
  { where: 'top', old: 'maxDuration', replacement: 'safety.maxDuration', hint: 'move it under `safety:`: `safety: { maxDuration: 10m }`' },
  { where: 'top', old: 'blastRadius', replacement: 'safety.blastRadius', hint: 'move it under `safety:`' },
  { where: 'top', old: 'allowNamespaces', replacement: 'safety.allowNamespaces', hint: 'move it under `safety:`' },
  { where: 'top', old: 'steps', replacement: 'method' },
  { where: 'step', old: 'continue_on_failure', replacement: 'continueOnFailure' },
  { where: 'step', old: 'continue-on-failure', replacement: 'continueOnFailure' },
  { where: 'step', old: 'wait', replacement: 'pause' },
  { where: 'step', old: 'sleep', replacement: 'pause' },
];

/** The migration message for `key` found in the object at `parent`, when it is a known old name. */
export function renamedKeyMessage(parent: readonly PathSegment[], key: string): { message: string; hint: string } | undefined {
  const where = parent.length === 0 ? 'top' : parent.length === 2 && parent[0] === 'method' ? 'step' : undefined;
  if (!where) return undefined;
  const rename = RENAMES.find((r) => r.where === where && r.old === key);
  if (!rename) return undefined;
  return {
    message: `"${key}" is now "${rename.replacement}"`,
    hint: rename.hint ?? `rename "${key}" to "${rename.replacement}"`,
  };
}
