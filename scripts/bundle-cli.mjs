#!/usr/bin/env node
/**
 * Bundles the `chaos` command (src/bin.ts) into dist/bin.js and dist/chunks/, over tsc's dist/bin.js. Run by
 * `npm run build`, after tsc (which type-checks and emits the library, the lab's processes and the declarations).
 *
 * Why: Node loads an ES module file by file, and the CLI's start reached ~220 of them (zod alone is 95); one file per
 * command, plus the chunks they share, starts in about two thirds of the time. The dynamic imports stay dynamic
 * (each a chunk): commands and plugins still load on demand.
 *
 * What goes in: our code and the packages the CLI's start and `chaos validate` need (BUNDLED, with what they import).
 * Every other dependency stays in node_modules, imported at run time as before: the heavy ones (pg,
 * @kubernetes/client-node, autocannon…) load only when a run needs them, and a native addon cannot be bundled.
 */
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLED = ['zod', 'yaml', 'yargs', 'ms', 'croner', 'fastest-levenshtein'];

const { dependencies } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const unknown = BUNDLED.filter((name) => !(name in dependencies));
if (unknown.length > 0) throw new Error(`scripts/bundle-cli.mjs bundles ${unknown.join(', ')}, which package.json no longer depends on`);
const external = Object.keys(dependencies)
  .filter((name) => !BUNDLED.includes(name))
  .flatMap((name) => [name, `${name}/*`]);

rmSync(join(ROOT, 'dist', 'chunks'), { recursive: true, force: true });
await build({
  absWorkingDir: ROOT,
  entryPoints: { bin: 'src/bin.ts' },
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  external,
  sourcemap: 'linked',
  // Bundled CommonJS (yaml, ms) may require() Node's builtins; an ES module has no require() of its own.
  banner: { js: "import { createRequire as __chaosdrillRequire } from 'node:module'; const require = __chaosdrillRequire(import.meta.url);" },
  logLevel: 'warning',
});
