/**
 * Keys that were renamed or removed, or that users bring from other tools (Chaos Toolkit writes
 * `steady-state-hypothesis` and `rollbacks`), each with the message that tells them what to write instead. Inside a
 * fault, probe or action (`where: 'spec'`), a rename applies to the types it names: `expect` is only for tolerances,
 * and every plugin that chooses victims takes `select`.
 */
import type { PathSegment } from './yaml-source.js';

interface Rename {
  /** Where the old key appears: the experiment, a method step, a runbook step, or a spec of one of `types`. */
  where: 'top' | 'step' | 'runbook-step' | 'spec';
  types?: readonly string[];
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
  { where: 'runbook-step', old: 'expect', replacement: 'expected' },
  ...['mode'].map((old) => ({
    where: 'spec' as const,
    types: ['kubernetes.pod-kill', 'kubernetes.node-drain'],
    old,
    replacement: 'select',
    hint: 'mode: one and mode: all are select: one and select: all; mode: { count: 3 } is select: 3; mode: { percent: 25 } is select: "25%"',
  })),
  ...['instances', 'count', 'percent'].map((old) => ({
    where: 'spec' as const,
    types: ['lab.kill-instance'],
    old,
    replacement: 'select',
    hint: 'instances: one and instances: all are select: one and select: all; instances: count with count: 3 is select: 3; instances: percent with percent: 25 is select: "25%"',
  })),
  { where: 'spec', types: ['tcp'], old: 'expect', replacement: 'state', hint: 'write state: open or state: closed' },
  { where: 'spec', types: ['process.running'], old: 'expect', replacement: 'running', hint: 'write running: true or running: false' },
  { where: 'spec', types: ['postgres.is-primary'], old: 'expect', replacement: 'primary', hint: 'write primary: true (a primary) or primary: false (a standby)' },
  { where: 'spec', types: ['lab.deploy'], old: 'expect', replacement: 'outcome', hint: 'write outcome: completed or outcome: rolled-back' },
];

/**
 * The migration message for `key` found in `parentValue`, the object at `parent`, when it is a known old name.
 */
export function renamedKeyMessage(parent: readonly PathSegment[], key: string, parentValue?: unknown): { message: string; hint: string } | undefined {
  const specType = parentValue !== null && typeof parentValue === 'object' && typeof (parentValue as { type?: unknown }).type === 'string' ? (parentValue as { type: string }).type : undefined;
  const where = whereIs(parent, specType);
  if (!where) return undefined;
  const rename = RENAMES.find((r) => r.where === where && r.old === key && (r.types === undefined || (specType !== undefined && r.types.includes(specType))));
  if (!rename) return undefined;
  return {
    message: `"${key}" is now "${rename.replacement}"`,
    hint: rename.hint ?? `rename "${key}" to "${rename.replacement}"`,
  };
}

function whereIs(parent: readonly PathSegment[], specType: string | undefined): Rename['where'] | undefined {
  if (parent.length === 0) return 'top';
  if (parent.length === 2 && parent[0] === 'method') return 'step';
  if (parent.length === 3 && parent[0] === 'runbook' && parent[1] === 'steps') return 'runbook-step';
  return specType === undefined ? undefined : 'spec';
}
