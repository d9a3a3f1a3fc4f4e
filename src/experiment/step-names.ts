/**
 * Step names: explicit names are kept (validation already rejected duplicates); generated names that collide get
 * " #2", " #3" in document order. Resolution names the steps with it, and validation uses it to know the names a
 * run will have (a runbook step's id must be one of them).
 */
import { isPlainObject } from './document-path.js';

export class StepNames {
  readonly #used = new Set<string>();

  constructor(tree: Record<string, unknown>) {
    for (const section of STEP_SECTIONS) {
      for (const step of asList(tree[section])) {
        if (isPlainObject(step) && typeof step.name === 'string') this.#used.add(step.name);
      }
    }
  }

  take(explicit: string | undefined, generated: string): string {
    if (explicit !== undefined) return explicit;
    let name = generated;
    for (let n = 2; this.#used.has(name); n++) name = `${generated} #${n}`;
    this.#used.add(name);
    return name;
  }
}

/** The sections whose entries are steps, in the order they are named. */
export const STEP_SECTIONS = ['steadyState', 'method', 'rollbacks'] as const;

/** The name a step gets when it has none: `<type> <target>`, `<type>`, or `pause <duration>`. */
export function generatedStepName(step: Record<string, unknown>): string {
  if ('pause' in step) return `pause ${String(step.pause)}`;
  for (const kind of ['fault', 'action', 'probe'] as const) {
    const spec = step[kind];
    if (isPlainObject(spec)) return typeof spec.target === 'string' ? `${String(spec.type)} ${spec.target}` : String(spec.type);
  }
  return '?';
}

/** The names of every step of the document, as a run will name them, in document order. */
export function stepNamesOf(tree: Record<string, unknown>): string[] {
  const names = new StepNames(tree);
  const out: string[] = [];
  for (const section of STEP_SECTIONS) {
    for (const step of asList(tree[section])) {
      if (isPlainObject(step)) out.push(names.take(typeof step.name === 'string' ? step.name : undefined, generatedStepName(step)));
    }
  }
  return out;
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
