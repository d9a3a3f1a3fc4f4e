/**
 * `chaos list [plugin|type] [--format text|md|json]`: the catalog of target, fault, probe and action types and
 * their parameters, from the registry; narrowed to a plugin or a type; as text, a Markdown reference page per
 * plugin, or JSON.
 */
import type { Argv } from 'yargs';
import { ChaosError, ExitCode } from '../errors.js';
import { createRegistry } from '../plugins/registry.js';
import { withExamples } from './examples.js';
import { Output, type CliIo } from './io.js';
import { filterCatalog, listCatalog, type Catalog } from './list-catalog.js';
import { catalogMarkdown } from './list-markdown.js';
import type { GlobalFlags } from './options.js';
import { reportError } from './report-error.js';
import { commandBody, type CommandBody } from './command.js';

const LIST_FORMATS = ['text', 'md', 'json'] as const;

interface ListFlags extends GlobalFlags {
  name?: string;
  format?: (typeof LIST_FORMATS)[number];
}

export function listCommand(io: CliIo, setExit: (code: ExitCode) => void): CommandBody {
  return commandBody(
    (y: Argv<GlobalFlags>) =>
      withExamples(y, [
        ['chaos list', 'every type, with its parameters'],
        ['chaos list toxiproxy', 'the toxiproxy target and every fault and probe it brings'],
        ['chaos list process.pause', 'one type'],
        ['chaos list kubernetes --format md', 'the reference page of a plugin, in Markdown'],
        ['chaos list --format json', 'the whole catalog, for tools'],
      ])
        .positional('name', { type: 'string', describe: 'a plugin (toxiproxy) or a type (toxiproxy.latency)' })
        .option('format', { alias: 'f', choices: LIST_FORMATS, describe: 'text, md (a reference page per plugin) or json', defaultDescription: 'text' }),
    (flags: ListFlags) => {
      const out = new Output(io, flags);
      try {
        if (flags.json && flags.format !== undefined && flags.format !== 'json') {
          throw new ChaosError(`--json and --format ${flags.format} ask for two different outputs`, {
            code: 'E_FLAG_CONFLICT',
            exitCode: ExitCode.InvalidInput,
            hint: `drop one: chaos list --format ${flags.format}, or chaos list --format json`,
          });
        }
        const registry = createRegistry();
        const all = listCatalog(registry);
        const catalog = flags.name === undefined ? all : filterCatalog(all, registry, flags.name);
        const format = flags.json ? 'json' : (flags.format ?? 'text');
        if (format === 'json') io.stdout.write(`${JSON.stringify(catalog, null, 2)}\n`);
        else if (format === 'md') io.stdout.write(catalogMarkdown(catalog, new Map([...registry.plugins.values()].map((p) => [p.name, p.description]))));
        else printText(out, catalog);
        setExit(ExitCode.Ok);
      } catch (error) {
        setExit(reportError(out, error));
      }
    },
  );
}

function printText(out: Output, catalog: Catalog): void {
  for (const [title, items] of [
    ['Targets', catalog.targets],
    ['Faults', catalog.faults],
    ['Probes', catalog.probes],
    ['Actions', catalog.actions],
  ] as const) {
    if (items.length === 0) continue;
    out.result(out.bold(title));
    for (const item of items) {
      out.result(`  ${item.type} — ${item.description}`);
      for (const p of item.params) {
        const def = p.default === undefined ? '' : ` (default ${JSON.stringify(p.default)})`;
        out.result(`      ${p.name}${p.required ? '' : '?'}: ${p.type}${def}${p.description ? ` — ${p.description}` : ''}`);
      }
    }
  }
}
