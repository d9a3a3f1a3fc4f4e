/**
 * docs/reference/plugins/<name>.md: one page per built-in plugin, from the same catalog `chaos list` prints (the
 * registry: each type's description and zod parameter schema).
 */
import { listCatalog } from '../../src/cli/list.js';
import { builtinPlugins } from '../../src/plugins/registry.js';
import { GENERATED_NOTICE, cell } from './markdown.js';

type Catalog = ReturnType<typeof listCatalog>;
type Item = Catalog['faults'][number];

function paramsTable(params: Item['params']): string[] {
  if (params.length === 0) return ['No parameters.', ''];
  return [
    '| parameter | type | required | default | description |',
    '|---|---|---|---|---|',
    ...params.map((p) => `| \`${p.name}\` | ${cell(p.type)} | ${p.required ? 'yes' : 'no'} | ${p.default === undefined ? '' : `\`${cell(JSON.stringify(p.default))}\``} | ${cell(p.description ?? '')} |`),
    '',
  ];
}

function section(title: string, kind: string, items: readonly Item[]): string[] {
  if (items.length === 0) return [];
  const lines = [`## ${title}`, ''];
  for (const item of items) lines.push(`### \`${item.type}\` (${kind})`, '', cell(item.description), '', ...paramsTable(item.params));
  return lines;
}

/** File name (under docs/reference/plugins/) → page. */
export function renderPluginPages(): Map<string, string> {
  const catalog = listCatalog();
  const pages = new Map<string, string>();
  for (const plugin of builtinPlugins()) {
    const mine = <T extends { type: string }>(items: readonly T[]) => items.filter((i) => i.type === plugin.name || i.type.startsWith(`${plugin.name}.`));
    const target = catalog.targets.find((t) => t.type === plugin.name);
    const lines = [`# The \`${plugin.name}\` plugin`, '', GENERATED_NOTICE, '', cell(plugin.description), ''];
    if (target) {
      lines.push('## Target', '', `\`type: ${plugin.name}\` under \`targets:\`.`, '', ...paramsTable(target.params));
      if (target.attributes.length > 0) {
        lines.push(`Attributes once connected (\`\${targets.NAME.ATTRIBUTE}\`): ${target.attributes.map((a) => `\`${a}\``).join(', ')}.`, '');
      }
    }
    lines.push(...section('Faults', 'fault', mine(catalog.faults)), ...section('Probes', 'probe', mine(catalog.probes)), ...section('Actions', 'action', mine(catalog.actions)));
    pages.set(`${plugin.name}.md`, `${lines.join('\n').trimEnd()}\n`);
  }
  return pages;
}
