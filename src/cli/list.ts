/**
 * `chaos list`: the catalog of target, fault, probe and action types and their parameters, from the registry.
 */
import { z } from 'zod';
import { ExitCode } from '../errors.js';
import type { ParamsSchema } from '../plugins/api.js';
import { createRegistry } from '../plugins/registry.js';
import { Output, type CliIo } from './io.js';
import type { GlobalFlags } from './options.js';
import type { CommandBody } from './command.js';

interface ParamInfo {
  name: string;
  type: string;
  required: boolean;
  default: unknown;
  description: string | null;
}

function describeParams(schema: ParamsSchema): ParamInfo[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, { type?: string | string[]; default?: unknown; description?: string; anyOf?: unknown[]; enum?: unknown[] }>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, p]) => ({
    name,
    type: p.enum ? p.enum.map((v) => JSON.stringify(v)).join('|') : Array.isArray(p.type) ? p.type.join('|') : (p.type ?? (p.anyOf ? 'one of several' : 'any')),
    required: (json.required ?? []).includes(name) && p.default === undefined,
    default: p.default,
    description: p.description ?? null,
  }));
}

export function listCatalog() {
  const registry = createRegistry();
  const section = (kind: string, table: ReadonlyMap<string, { def: { description: string; params: ParamsSchema } }>) =>
    [...table.entries()].map(([type, { def }]) => ({ kind, type, description: def.description, params: describeParams(def.params) }));
  return {
    targets: [...registry.plugins.values()]
      .filter((p) => p.config)
      .map((p) => ({ kind: 'target', type: p.name, description: p.description, params: describeParams(p.config!), attributes: [...(p.attributes ?? [])] })),
    faults: section('fault', registry.faults),
    probes: section('probe', registry.probes),
    actions: section('action', registry.actions),
  };
}

export function listCommand(io: CliIo, setExit: (code: ExitCode) => void): CommandBody {
  return {
    handler: (argv: unknown) => {
      const out = new Output(io, argv as GlobalFlags);
      const catalog = listCatalog();
      out.data(catalog);
      for (const [title, items] of [
        ['Targets', catalog.targets],
        ['Faults', catalog.faults],
        ['Probes', catalog.probes],
        ['Actions', catalog.actions],
      ] as const) {
        out.result(out.bold(title));
        for (const item of items) {
          out.result(`  ${item.type} — ${item.description}`);
          for (const p of item.params) {
            const def = p.default === undefined ? '' : ` (default ${JSON.stringify(p.default)})`;
            out.result(`      ${p.name}${p.required ? '' : '?'}: ${p.type}${def}${p.description ? ` — ${p.description}` : ''}`);
          }
        }
      }
      setExit(ExitCode.Ok);
    },
  };
}
