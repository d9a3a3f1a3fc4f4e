/**
 * The installed package's own files (package.json, schema/, the lab's process entry points), found from its root.
 * A module cannot reach them by a path relative to itself: the CLI runs bundled (dist/bin.js and dist/chunks/), the
 * library and the lab's processes run as tsc emitted them (dist/…), and tests run src/ through tsx, each at another
 * depth.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NAME = 'chaosdrill';

export interface PackageManifest {
  /** The folder holding package.json. */
  root: string;
  version: string;
}

let found: PackageManifest | undefined;

/** The nearest package.json named chaosdrill above this module, read once. */
export function packageManifest(): PackageManifest {
  if (found !== undefined) return found;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const manifest: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (isOurs(manifest)) return (found = { root: dir, version: manifest.version });
    }
    if (dirname(dir) === dir) throw new Error(`no package.json named ${NAME} above ${start}: the installation is incomplete`);
  }
}

function isOurs(manifest: unknown): manifest is { name: string; version: string } {
  return typeof manifest === 'object' && manifest !== null && 'name' in manifest && manifest.name === NAME && 'version' in manifest && typeof manifest.version === 'string';
}

/** Whether this code runs from the TypeScript sources (tests, through tsx) rather than the build. */
export function runningFromSources(): boolean {
  return import.meta.url.endsWith('.ts');
}
