/**
 * The explicit list of built-in plugins, and the lookup tables built from a list of plugins. Nothing registers
 * itself on import: a run, the schema and `chaos list` each get a Registry from the list they are given.
 */
import type { ActionType, ChaosPlugin, FaultType, ProbeType, ResourceType } from './api.js';
import { commandPlugin } from './command/index.js';
import { httpPlugin } from './http/index.js';
import { kubernetesPlugin } from './kubernetes/index.js';
import { labPlugin } from './lab/index.js';
import { postgresPlugin } from './postgres/index.js';
import { processPlugin } from './process/index.js';
import { prometheusPlugin } from './prometheus/index.js';
import { tcpPlugin } from './tcp/index.js';
import { toxiproxyPlugin } from './toxiproxy/index.js';

/** The plugins chaosdrill ships with, in the order `chaos list` shows them. */
export function builtinPlugins(): ChaosPlugin[] {
  return [processPlugin, httpPlugin, tcpPlugin, commandPlugin, toxiproxyPlugin, labPlugin, kubernetesPlugin, prometheusPlugin, postgresPlugin];
}

export interface Registered<T> {
  plugin: ChaosPlugin;
  def: T;
}

export interface Registry {
  plugins: ReadonlyMap<string, ChaosPlugin>;
  faults: ReadonlyMap<string, Registered<FaultType<any, any, any>>>;
  probes: ReadonlyMap<string, Registered<ProbeType<any, any>>>;
  actions: ReadonlyMap<string, Registered<ActionType<any, any>>>;
  resources: ReadonlyMap<string, Registered<ResourceType>>;
}

/** Builds the lookup tables; throws on a duplicate or badly named type (a programming error, not user input). */
export function createRegistry(plugins: readonly ChaosPlugin[] = builtinPlugins()): Registry {
  const byName = new Map<string, ChaosPlugin>();
  const faults = new Map<string, Registered<FaultType<any, any, any>>>();
  const probes = new Map<string, Registered<ProbeType<any, any>>>();
  const actions = new Map<string, Registered<ActionType<any, any>>>();
  const resources = new Map<string, Registered<ResourceType>>();

  const add = <T extends { type: string }>(table: Map<string, Registered<T>>, plugin: ChaosPlugin, def: T) => {
    if (def.type !== plugin.name && !def.type.startsWith(`${plugin.name}.`)) {
      throw new Error(`plugin ${plugin.name}: type ${def.type} must be "${plugin.name}" or start with "${plugin.name}."`);
    }
    if (table.has(def.type)) throw new Error(`plugin ${plugin.name}: type ${def.type} is registered twice`);
    table.set(def.type, { plugin, def });
  };

  for (const plugin of plugins) {
    if (byName.has(plugin.name)) throw new Error(`plugin ${plugin.name} is registered twice`);
    byName.set(plugin.name, plugin);
    for (const f of plugin.faults ?? []) add(faults, plugin, f);
    for (const p of plugin.probes ?? []) add(probes, plugin, p);
    for (const a of plugin.actions ?? []) add(actions, plugin, a);
    for (const r of plugin.resources ?? []) add(resources, plugin, r);
  }
  return { plugins: byName, faults, probes, actions, resources };
}
