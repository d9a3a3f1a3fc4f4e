/**
 * `chaos list --format md`: one reference page per plugin, from the catalog. The docs are generated from it, so the
 * output depends on the registry alone (its order, the schemas' property order) and never on time or machine.
 */
import { escapeMarkdown, markdownCode, markdownTable } from '../report/markdown-escape.js';
import type { Catalog, CatalogEntry, ParamInfo } from './list-catalog.js';

const SECTIONS = [
  ['faults', 'Faults'],
  ['probes', 'Probes'],
  ['actions', 'Actions'],
] as const;

/** Pages in the catalog's plugin order, separated by a blank line; each starts with `# <plugin>`. */
export function catalogMarkdown(catalog: Catalog, pluginDescriptions: ReadonlyMap<string, string>): string {
  const all = [...catalog.targets, ...catalog.faults, ...catalog.probes, ...catalog.actions];
  const plugins = [...pluginDescriptions.keys()].filter((name) => all.some((e) => e.plugin === name));
  return plugins.map((name) => pluginPage(name, pluginDescriptions.get(name) ?? '', catalog)).join('\n');
}

function pluginPage(plugin: string, description: string, catalog: Catalog): string {
  const mine = (entries: CatalogEntry[]) => entries.filter((e) => e.plugin === plugin);
  const parts = [`# ${plugin}`, '', proseMarkdown(description), ''];
  const [target] = mine(catalog.targets);
  if (target) {
    parts.push('## Target settings', '', `A target \`{ type: ${plugin} }\` takes:`, '', paramsTable(target.params), '');
    if (target.attributes && target.attributes.length > 0) {
      parts.push(`Attributes, once connected: ${target.attributes.map((a) => markdownCode(`\${targets.<name>.${a}}`)).join(', ')}.`, '');
    }
  }
  for (const [key, title] of SECTIONS) {
    const entries = mine(catalog[key]);
    if (entries.length === 0) continue;
    parts.push(`## ${title}`, '');
    for (const entry of entries) parts.push(`### \`${entry.type}\``, '', proseMarkdown(entry.description), '', paramsTable(entry.params), '');
  }
  return `${parts.join('\n').trimEnd()}\n`;
}

/**
 * Descriptions come from the plugins' own schemas and mark code with backticks: those spans stay code (their `|`
 * escaped, as a table cell needs), and the rest is escaped as text.
 */
function proseMarkdown(text: string): string {
  return text
    .split(/(`[^`]+`)/)
    .map((part, i) => (i % 2 === 1 ? part.replace(/\|/g, '\\|') : escapeMarkdown(part)))
    .join('');
}

function paramsTable(params: readonly ParamInfo[]): string {
  if (params.length === 0) return 'No parameters.';
  return markdownTable(
    ['parameter', 'type', 'required', 'default', 'description'],
    params.map((p) => [
      markdownCode(p.name),
      markdownCode(p.type),
      p.required ? 'yes' : 'no',
      p.default === undefined ? '' : markdownCode(JSON.stringify(p.default)),
      p.description === null ? '' : proseMarkdown(p.description),
    ]),
  );
}
