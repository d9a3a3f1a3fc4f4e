/**
 * `npm run docs`: writes the generated reference pages under docs/reference/. The unit test
 * test/unit/docs-reference.test.ts generates them in memory and fails, with a diff, when a committed page is stale.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findErrorCodes } from './error-codes.js';
import { renderErrorsPage } from './errors-page.js';
import { renderPluginPages } from './plugin-pages.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const PLUGIN_PAGES_DIR = join('docs', 'reference', 'plugins');

/** Path relative to the repository root → content, for every generated page. */
export function generatedDocs(root = ROOT): Map<string, string> {
  const pages = new Map<string, string>();
  pages.set(join('docs', 'reference', 'errors.md'), renderErrorsPage(findErrorCodes(join(root, 'src'), root), root));
  for (const [name, page] of renderPluginPages()) pages.set(join(PLUGIN_PAGES_DIR, name), page);
  return pages;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // A plugin that was removed leaves no page behind.
  rmSync(join(ROOT, PLUGIN_PAGES_DIR), { recursive: true, force: true });
  for (const [path, content] of generatedDocs()) {
    mkdirSync(dirname(join(ROOT, path)), { recursive: true });
    writeFileSync(join(ROOT, path), content);
    console.log(`wrote ${path}`);
  }
}
