/**
 * docs/reference/plugins/<name>.md: one page per built-in plugin, exactly what `chaos list <plugin> --format md`
 * prints (the registry: each type's description and zod parameter schema), under the generated-file notice.
 */
import { filterCatalog, listCatalog } from '../../src/cli/list-catalog.js';
import { catalogMarkdown } from '../../src/cli/list-markdown.js';
import { createRegistry } from '../../src/plugins/registry.js';
import { GENERATED_NOTICE } from './markdown.js';

/** File name (under docs/reference/plugins/) → page. */
export function renderPluginPages(): Map<string, string> {
  const registry = createRegistry();
  const catalog = listCatalog(registry);
  const descriptions = new Map([...registry.plugins.values()].map((p) => [p.name, p.description]));
  const pages = new Map<string, string>();
  for (const plugin of registry.plugins.values()) {
    const page = catalogMarkdown(filterCatalog(catalog, registry, plugin.name), descriptions);
    const [title, ...rest] = page.split('\n');
    pages.set(`${plugin.name}.md`, [title, '', GENERATED_NOTICE, ...rest].join('\n'));
  }
  return pages;
}
