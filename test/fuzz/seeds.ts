/**
 * The files the fuzzer mutates: every experiment and game-day plan in the repository, the experiments the game-day
 * tests use, and every invalid-input fixture. Each is copied, with the folders it refers to, into a scratch
 * directory, so that mutated files are written next to the files their relative paths name (a plan's
 * `../experiments/…`, a `{ file: … }` secret) and never into the repository.
 */
import { cp, readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../support/cli.js';

export interface Seed {
  /** Relative to the repository (and to the scratch copy). */
  path: string;
  kind: 'experiment' | 'plan';
  text: string;
  /** The parsed document, when the seed is YAML at all (a syntax-error fixture is not). */
  tree: unknown;
}

/** Top-level folders holding seeds and what they refer to; copied whole into the scratch directory. */
const COPIED = ['experiments', 'scenarios', 'test/fixtures'];

async function yamlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await yamlFiles(path)));
    else if (entry.name.endsWith('.yaml')) out.push(path);
  }
  return out;
}

/**
 * The document as a plain tree; null when it is not YAML, or not a plain tree (an alias of an enclosing node,
 * bytes from !!binary): those seeds get text mutations only.
 */
function parsedOrNull(text: string): unknown {
  try {
    const value: unknown = parse(text, { maxAliasCount: 100, logLevel: 'silent' });
    return isTree(value, new Set()) ? value : null;
  } catch {
    return null;
  }
}

function isTree(value: unknown, ancestors: Set<unknown>): boolean {
  if (value === null || typeof value !== 'object') return true;
  const plain = Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype;
  if (!plain || ancestors.has(value)) return false;
  ancestors.add(value);
  const ok = Object.values(value).every((item) => isTree(item, ancestors));
  ancestors.delete(value);
  return ok;
}

export async function loadSeeds(): Promise<Seed[]> {
  const files = [
    ...(await yamlFiles(join(ROOT, 'experiments'))),
    ...(await yamlFiles(join(ROOT, 'scenarios'))),
    ...(await yamlFiles(join(ROOT, 'test/fixtures/gameday'))),
    ...(await yamlFiles(join(ROOT, 'test/fixtures/invalid'))),
  ].sort();
  const seeds: Seed[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    const tree = parsedOrNull(text);
    const isPlan = tree !== null && typeof tree === 'object' && !Array.isArray(tree) && 'experiments' in tree && !('method' in tree);
    seeds.push({ path: relative(ROOT, file), kind: isPlan ? 'plan' : 'experiment', text, tree });
  }
  return seeds;
}

/** Copies the seeds' folders into `scratch`. */
export async function prepareScratch(scratch: string): Promise<void> {
  for (const dir of COPIED) await cp(join(ROOT, dir), join(scratch, dir), { recursive: true });
}
