/**
 * The explicit list of built-in plugins, and the lookup tables built from a list of plugins. Nothing registers
 * itself on import: a run, the schema and `chaos list` each get a Registry from the list they are given.
 *
 * The registry holds what every command needs from the start: each plugin's metadata and the specs of its types
 * (names, descriptions, parameter schemas). Implementations, and their heavy dependencies, are imported only by
 * `load`, when a run, a plan or a recover first needs them (as ESLint loads a rule only when a config turns it on).
 */
import { ChaosError, ExitCode, messageOf } from '../errors.js';
import type {
  ActionSpec,
  ActionType,
  ChaosPlugin,
  FaultSpec,
  FaultType,
  PluginImplementation,
  PluginManifest,
  PluginMetadata,
  ProbeSpec,
  ProbeType,
  ResourceSpec,
  ResourceType,
} from './api.js';
import { commandPlugin } from './command/index.js';
import { httpPlugin } from './http/index.js';
import { kubernetesPlugin } from './kubernetes/index.js';
import { labPlugin } from './lab/index.js';
import { postgresPlugin } from './postgres/index.js';
import { processPlugin } from './process/index.js';
import { prometheusPlugin } from './prometheus/index.js';
import { tcpPlugin } from './tcp/index.js';
import { toxiproxyPlugin } from './toxiproxy/index.js';

/** A plugin as a registry takes it: a manifest whose implementation loads on demand, or a plugin in one piece. */
export type PluginEntry = PluginManifest | ChaosPlugin;

/** The plugins chaosdrill ships with, in the order `chaos list` shows them. */
export function builtinPlugins(): PluginManifest[] {
  return [processPlugin, httpPlugin, tcpPlugin, commandPlugin, toxiproxyPlugin, labPlugin, kubernetesPlugin, prometheusPlugin, postgresPlugin];
}

export interface Registered<T, Plugin = PluginMetadata> {
  plugin: Plugin;
  def: T;
}

/** The lookup tables of a set of plugins, by plugin name and by full type name. */
interface Tables<Plugin extends PluginMetadata, Fault, Probe, Action, Resource> {
  plugins: ReadonlyMap<string, Plugin>;
  faults: ReadonlyMap<string, Registered<Fault, Plugin>>;
  probes: ReadonlyMap<string, Registered<Probe, Plugin>>;
  actions: ReadonlyMap<string, Registered<Action, Plugin>>;
  resources: ReadonlyMap<string, Registered<Resource, Plugin>>;
}

/** Every plugin's metadata and type specs; `load` gives the implementations. */
export interface Registry extends Tables<PluginMetadata, FaultSpec, ProbeSpec, ActionSpec, ResourceSpec> {
  /**
   * The named plugins, implementations loaded: imported on first use, then kept for the registry's life. Throws a
   * ChaosError (exit 5) when an implementation cannot be imported (a dependency missing from the installation).
   */
  load(names: Iterable<string>): Promise<LoadedPlugins>;
}

/** Plugins with their implementations loaded: what the engine calls. */
export type LoadedPlugins = Tables<ChaosPlugin, FaultType, ProbeType, ActionType, ResourceType>;

/** Builds the lookup tables; throws on a duplicate or badly named type (a programming error, not user input). */
export function createRegistry(plugins: readonly PluginEntry[] = builtinPlugins()): Registry {
  const entries = new Map(plugins.map((plugin) => [plugin.name, plugin]));
  const loading = new Map<string, Promise<ChaosPlugin>>();
  const loadOne = (name: string): Promise<ChaosPlugin> => {
    const entry = entries.get(name);
    if (entry === undefined) throw new Error(`no plugin named "${name}" is registered`);
    let loaded = loading.get(name);
    if (loaded === undefined) {
      loaded = 'load' in entry ? loadImplementation(entry) : Promise.resolve(entry);
      loading.set(name, loaded);
    }
    return loaded;
  };
  return {
    ...tablesOf<PluginMetadata, FaultSpec, ProbeSpec, ActionSpec, ResourceSpec>(plugins),
    load: async (names) => tablesOf<ChaosPlugin, FaultType, ProbeType, ActionType, ResourceType>(await Promise.all([...new Set(names)].map(loadOne))),
  };
}

interface PluginTypes<Fault, Probe, Action, Resource> {
  faults?: readonly Fault[];
  probes?: readonly Probe[];
  actions?: readonly Action[];
  resources?: readonly Resource[];
}

type Named = { type: string };

function tablesOf<Plugin extends PluginMetadata & PluginTypes<Fault, Probe, Action, Resource>, Fault extends Named, Probe extends Named, Action extends Named, Resource extends Named>(
  plugins: readonly Plugin[],
): Tables<Plugin, Fault, Probe, Action, Resource> {
  const byName = new Map<string, Plugin>();
  const faults = new Map<string, Registered<Fault, Plugin>>();
  const probes = new Map<string, Registered<Probe, Plugin>>();
  const actions = new Map<string, Registered<Action, Plugin>>();
  const resources = new Map<string, Registered<Resource, Plugin>>();

  const add = <T extends Named>(table: Map<string, Registered<T, Plugin>>, plugin: Plugin, def: T) => {
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

/** Imports a manifest's implementation and joins the two into one plugin, once it is sure they match. */
async function loadImplementation(manifest: PluginManifest): Promise<ChaosPlugin> {
  let implementation: PluginImplementation;
  try {
    implementation = await manifest.load();
  } catch (error) {
    throw new ChaosError(`cannot load the ${manifest.name} plugin: ${messageOf(error)}`, {
      code: 'E_PLUGIN_LOAD',
      exitCode: ExitCode.Infrastructure,
      hint: 'a dependency of the plugin may be missing from the installation: reinstall chaosdrill (npm ci)',
      cause: error,
    });
  }
  checkMatches(manifest, 'fault', manifest.faults, implementation.faults);
  checkMatches(manifest, 'probe', manifest.probes, implementation.probes);
  checkMatches(manifest, 'action', manifest.actions, implementation.actions);
  checkMatches(manifest, 'resource', manifest.resources, implementation.resources);
  checkCapabilities(manifest, implementation);
  const { name, description, config, attributes, targetKey } = manifest;
  return { name, description, config, attributes, targetKey, ...implementation };
}

/**
 * The implementation provides exactly the types its manifest declares, as declared (a programming error otherwise,
 * found by the registry's tests). Each implementation spreads its spec from the manifest's specs.ts, so its
 * parameter schema is the one the experiment was validated with; the objects are not compared, because a loader
 * may hand the implementation its own copy of specs.ts (tsx's CommonJS transform does, in the tests).
 */
function checkMatches(
  manifest: PluginManifest,
  kind: string,
  declared: readonly (ResourceSpec & Partial<ProbeSpec>)[] = [],
  provided: readonly (ResourceSpec & Partial<ProbeSpec>)[] = [],
): void {
  const byType = new Map(provided.map((def) => [def.type, def]));
  const mismatched = declared.filter((spec) => {
    const def = byType.get(spec.type);
    return def === undefined || def.needsTarget !== spec.needsTarget || def.description !== spec.description;
  });
  const undeclared = provided.filter((def) => !declared.some((spec) => spec.type === def.type));
  if (mismatched.length > 0 || undeclared.length > 0) {
    const names = [...mismatched, ...undeclared].map((def) => def.type).join(', ');
    throw new Error(`plugin ${manifest.name}: its implementation does not provide the ${kind} types its manifest declares, as declared: ${names}`);
  }
}

/** The implementation has exactly the capabilities its manifest declares (validate trusted the declaration). */
function checkCapabilities(manifest: PluginManifest, implementation: PluginImplementation): void {
  const differ = [
    (manifest.metricsSource === true) !== (implementation.metricsSource !== undefined) ? 'metricsSource' : null,
    (manifest.rpoStore !== undefined) !== (implementation.rpoStore !== undefined) ? 'rpoStore' : null,
  ].filter((name) => name !== null);
  if (differ.length > 0) {
    throw new Error(`plugin ${manifest.name}: its implementation's capabilities differ from its manifest's: ${differ.join(', ')}`);
  }
}
