/**
 * Hand-made plugin contexts for tests: a logger that keeps its lines, an in-memory ResourceTracker, and an
 * InjectContext that keeps every recorded state.
 */
import type {
  ActivityContext,
  ConnectPurpose,
  InjectContext,
  Logger,
  PluginContext,
  ResourceHandle,
  ResourceTracker,
} from '../../src/plugins/api.js';
import type { JsonObject } from '../../src/json.js';

export interface RecordingLogger extends Logger {
  lines: string[];
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  return {
    lines,
    debug: (m) => lines.push(`debug: ${m}`),
    info: (m) => lines.push(`info: ${m}`),
    warn: (m) => lines.push(`warn: ${m}`),
  };
}

export interface TrackedResource {
  id: string;
  type: string;
  state: JsonObject;
  description: string;
  released: boolean;
}

export interface MemoryResourceTracker extends ResourceTracker {
  entries: TrackedResource[];
  /** Resources acquired and not released. */
  held(): TrackedResource[];
}

export function memoryResourceTracker(): MemoryResourceTracker {
  const entries: TrackedResource[] = [];
  return {
    entries,
    held: () => entries.filter((e) => !e.released),
    async intend(type, state, description): Promise<ResourceHandle> {
      const id = `r${entries.length + 1}`;
      entries.push({ id, type, state: structuredClone(state), description, released: false });
      return { id };
    },
    async acquired(handle, state) {
      const entry = entries.find((e) => e.id === handle.id);
      if (entry === undefined) throw new Error(`acquired unknown resource ${handle.id}`);
      entry.state = structuredClone(state);
    },
    async released(handle) {
      const entry = entries.find((e) => e.id === handle.id);
      if (entry === undefined) throw new Error(`released unknown resource ${handle.id}`);
      entry.released = true;
    },
  };
}

export interface TestPluginContext extends PluginContext {
  logger: RecordingLogger;
  resources: MemoryResourceTracker;
}

export function pluginContext(options: {
  workDir: string;
  purpose?: ConnectPurpose;
  targetName?: string;
  signal?: AbortSignal;
}): TestPluginContext {
  return {
    targetName: options.targetName ?? 'app',
    purpose: options.purpose ?? 'run',
    workDir: options.workDir,
    logger: recordingLogger(),
    signal: options.signal ?? new AbortController().signal,
    resources: memoryResourceTracker(),
  };
}

export interface TestActivityContext extends ActivityContext {
  logger: RecordingLogger;
}

export function activityContext(options: { signal?: AbortSignal; targetName?: string | null } = {}): TestActivityContext {
  return {
    runId: 'test-run',
    signal: options.signal ?? new AbortController().signal,
    logger: recordingLogger(),
    targetName: options.targetName === undefined ? 'app' : options.targetName,
  };
}

export interface TestInjectContext<State extends JsonObject> extends InjectContext<State> {
  logger: RecordingLogger;
  /** Every state passed to record(), in order. */
  recorded: State[];
}

export function injectContext<State extends JsonObject = JsonObject>(
  options: { signal?: AbortSignal; targetName?: string | null; onRecord?: (state: State) => void } = {},
): TestInjectContext<State> {
  const recorded: State[] = [];
  return {
    ...activityContext(options),
    recorded,
    async record(state) {
      recorded.push(structuredClone(state));
      options.onRecord?.(state);
    },
  };
}
