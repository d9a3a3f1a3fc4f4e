/**
 * Connecting the experiment's targets, and the identity (key) of each target for locks and the ledger.
 */
import { ChaosError, ExitCode, messageOf } from '../errors.js';
import type { ResolvedExperiment, ResolvedTarget } from '../experiment/types.js';
import type { ChaosPlugin, Connection, ConnectPurpose, Logger, PluginMetadata, ResourceTracker, TargetAttributes } from '../plugins/api.js';
import type { LoadedPlugins } from '../plugins/registry.js';
import { canonicalJson } from '../os/canonical-json.js';

export interface ConnectedTarget {
  target: ResolvedTarget;
  plugin: ChaosPlugin;
  key: string;
  connection: Connection<unknown>;
}

export function pluginOf<Plugin extends PluginMetadata>(plugins: { plugins: ReadonlyMap<string, Plugin> }, target: ResolvedTarget): Plugin {
  const plugin = plugins.plugins.get(target.type);
  if (!plugin) {
    throw new ChaosError(`target "${target.name}" has type "${target.type}", which no plugin provides`, {
      code: 'E_UNKNOWN_PLUGIN',
      exitCode: ExitCode.InvalidInput,
    });
  }
  return plugin;
}

/**
 * The identity of the real thing a target points at: the plugin's own, or its name and canonical config. Lock
 * files and every ledger line carry it, so it is built from the config as written, with `${secrets.NAME}` left in
 * place (the configTemplate): a secret in a process's argv or a URL's password must not become part of a name
 * written to disk. A template the plugin's schema cannot read (a secret where a number goes) falls back to the
 * canonical template.
 */
export function targetKey(plugins: { plugins: ReadonlyMap<string, PluginMetadata> }, target: ResolvedTarget): string {
  const plugin = pluginOf(plugins, target);
  const template = target.configTemplate;
  if (plugin.targetKey) {
    const parsed = plugin.config ? plugin.config.safeParse(template) : { success: true as const, data: template };
    if (parsed.success) return plugin.targetKey(parsed.data);
  }
  return `${plugin.name}:${canonicalJson(template)}`;
}

export interface ConnectOptions {
  purpose: ConnectPurpose;
  workDir: string;
  stateDir?: string;
  logger: Logger;
  signal: AbortSignal;
  resources: (target: ResolvedTarget, key: string) => ResourceTracker;
}

/**
 * Connects every target in declaration order. On the first failure, closes what was connected and throws a
 * ChaosError with ExitCode.Infrastructure naming the target.
 */
export async function connectTargets(
  plugins: LoadedPlugins,
  experiment: ResolvedExperiment,
  options: ConnectOptions,
): Promise<Map<string, ConnectedTarget>> {
  const connected = new Map<string, ConnectedTarget>();
  for (const target of Object.values(experiment.targets)) {
    const plugin = pluginOf(plugins, target);
    const key = targetKey(plugins, target);
    try {
      const connection: Connection<unknown> = plugin.connect
        ? await plugin.connect(target.config, {
            targetName: target.name,
            purpose: options.purpose,
            workDir: options.workDir,
            ...(options.stateDir === undefined ? {} : { stateDir: options.stateDir }),
            logger: options.logger,
            signal: options.signal,
            resources: options.resources(target, key),
            safety: { allowNamespaces: experiment.safety.allowNamespaces, blastRadius: experiment.safety.blastRadius },
            uses: typesUsing(experiment, target.name),
          })
        : { session: undefined, attributes: {} };
      connected.set(target.name, { target, plugin, key, connection });
    } catch (error) {
      await closeTargets(connected, options.logger);
      if (error instanceof ChaosError) throw error;
      throw new ChaosError(`cannot connect target "${target.name}" (${target.type}): ${messageOf(error)}`, {
        code: 'E_TARGET_UNREACHABLE',
        exitCode: ExitCode.Infrastructure,
        hint: 'check that the target is running and its settings are right; nothing was injected',
        cause: error,
      });
    }
  }
  return connected;
}

/** The fault, probe and action types that name the target, in the order they appear. */
export function typesUsing(experiment: ResolvedExperiment, targetName: string): string[] {
  const steps = [...experiment.steadyState, ...experiment.method, ...experiment.rollbacks];
  return [...new Set(steps.flatMap((s) => (s.kind !== 'pause' && s.target === targetName ? [s.type] : [])))];
}

/** Closes connections newest first; failures are logged, never thrown. */
export async function closeTargets(connected: Map<string, ConnectedTarget>, logger: Logger): Promise<void> {
  for (const { target, connection } of [...connected.values()].reverse()) {
    try {
      await connection.close?.();
    } catch (error) {
      logger.warn(`closing target "${target.name}" failed: ${messageOf(error)}`);
    }
  }
  connected.clear();
}

export function attributesOf(connected: Map<string, ConnectedTarget>): Record<string, TargetAttributes> {
  const out: Record<string, TargetAttributes> = {};
  for (const [name, { connection }] of connected) out[name] = connection.attributes;
  return out;
}
