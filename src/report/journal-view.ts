/**
 * The journal folded into what reports need. Renderers read only this view: they format, they never measure. The
 * view tolerates an incomplete journal (a run that crashed has no `run-finished`, perhaps no `measurements`).
 */
import { RUN_STATUSES, type ActivityRecord, type RunStatus } from '../engine/events.js';
import type { JournalDocument } from '../state/journal.js';
import type { ResolvedExperiment } from '../experiment/types.js';
import type { Json } from '../json.js';
import type { ObjectiveResult } from '../measure/objective-result.js';
import type { TimelineJournal } from '../measure/timeline.js';
import type { WindowName } from '../experiment/objectives-schema.js';

export interface FaultView {
  name: string;
  type: string;
  target: string;
  injectedAt: string;
  /** Null when the journal has no revert for it (the run crashed, or the revert never ran). */
  revertedAt: string | null;
  revertOk: boolean | null;
  revertError: string | null;
}

export interface SteadyStateView {
  held: boolean;
  probes: ActivityRecord[];
}

export interface MeasurementsView {
  timeline: TimelineJournal;
  windows: Partial<Record<WindowName, Array<{ from: string; to: string }>>>;
  load: Json;
  /** The load per window (src/measure/load-windows.ts); absent in journals written before it existed. */
  loadByWindow?: Json;
}

export interface JournalView {
  runId: string;
  startedAt: string;
  /** When `run-finished` was written; null for a run that did not finish. */
  endedAt: string | null;
  /** `unfinished` when the journal ends without `run-finished`. */
  status: RunStatus | 'unfinished';
  exitCode: number | null;
  reason: string;
  experiment: ResolvedExperiment;
  source: { path: string; sha256: string };
  invocation: { user: string; host: string; version: string; argv: string[] };
  steadyState: { before: SteadyStateView | null; after: SteadyStateView | null };
  /** Method steps, rollbacks and reverts, in the order they ended. */
  activities: ActivityRecord[];
  faults: FaultView[];
  objectives: ObjectiveResult[];
  measurements: MeasurementsView | null;
  abort: { reason: string; kind: string; at: string } | null;
  guardrailTrips: Json[];
  warnings: string[];
}

type Data = Record<string, Json>;

/** An entry's data, or a field of it, as an object to read fields from ({} when it is not one). */
function dataOf(value: Json | undefined): Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

/**
 * An entry's data as the type the run recorded it from. The journal is JSON read from disk (its hash chain
 * checked when it was read): its writer recorded these types, so they are read back as such, not parsed again.
 */
function recorded<T>(data: Json | undefined): T {
  return data as unknown as T;
}

const str = (value: Json | undefined, fallback = ''): string => (typeof value === 'string' ? value : fallback);

/** Folds a journal's entries into a JournalView. Throws a plain Error when the journal lacks `run-started`. */
export function viewJournal(doc: JournalDocument): JournalView {
  const started = doc.entries.find((e) => e.kind === 'run-started');
  if (!started) throw new Error('the journal has no run-started entry');
  const head = dataOf(started.data);
  const invocation = dataOf(head.invocation);
  const source = dataOf(head.source);
  const view: JournalView = {
    runId: str(head.runId),
    startedAt: str(head.startedAt, started.at),
    endedAt: null,
    status: 'unfinished',
    exitCode: null,
    reason: 'the journal ends before the run finished (the runner was stopped or crashed; run `chaos recover`)',
    experiment: recorded<ResolvedExperiment>(head.experiment),
    source: { path: str(source.path), sha256: str(source.sha256) },
    invocation: {
      user: str(invocation.user),
      host: str(invocation.host),
      version: str(invocation.version),
      argv: Array.isArray(invocation.argv) ? invocation.argv.map((a) => String(a)) : [],
    },
    steadyState: { before: null, after: null },
    activities: [],
    faults: [],
    objectives: [],
    measurements: null,
    abort: null,
    guardrailTrips: [],
    warnings: [],
  };
  const steadyProbes: Record<'before' | 'after', ActivityRecord[]> = { before: [], after: [] };

  for (const entry of doc.entries) {
    const data = dataOf(entry.data);
    switch (entry.kind) {
      case 'activity': {
        const activity = recorded<ActivityRecord>(entry.data);
        if (activity.section === 'steadyState.before') steadyProbes.before.push(activity);
        else if (activity.section === 'steadyState.after') steadyProbes.after.push(activity);
        else view.activities.push(activity);
        break;
      }
      case 'steady-state': {
        const when = data.when === 'after' ? 'after' : 'before';
        view.steadyState[when] = { held: data.held === true, probes: steadyProbes[when] };
        break;
      }
      case 'fault-injected':
        view.faults.push({
          name: str(data.name),
          type: str(data.type),
          target: str(data.target),
          injectedAt: str(data.at, entry.at),
          revertedAt: null,
          revertOk: null,
          revertError: null,
        });
        break;
      case 'fault-reverted': {
        // The newest open fault of that name: a step name is unique, but be exact about repeats anyway.
        const open = [...view.faults].reverse().find((f) => f.name === data.name && f.revertedAt === null);
        if (open) {
          open.revertedAt = str(data.at, entry.at);
          open.revertOk = data.ok === true;
          open.revertError = typeof data.error === 'string' ? data.error : null;
        }
        break;
      }
      case 'measurements':
        if (entry.data !== null) view.measurements = recorded<MeasurementsView>(entry.data);
        break;
      case 'objectives':
        view.objectives = recorded<ObjectiveResult[]>(entry.data);
        break;
      case 'abort':
        view.abort ??= { reason: str(data.reason), kind: str(data.kind), at: str(data.at, entry.at) };
        break;
      case 'guardrail-tripped':
        view.guardrailTrips.push(entry.data);
        break;
      case 'log':
        if (data.level === 'warn' || data.level === 'error') view.warnings.push(str(data.message));
        break;
      case 'run-finished':
        view.endedAt = str(data.at, entry.at);
        view.status = RUN_STATUSES.find((status) => status === data.status) ?? 'unfinished';
        view.exitCode = typeof data.exitCode === 'number' ? data.exitCode : null;
        view.reason = str(data.reason);
        break;
    }
  }
  // A steady state whose verdict entry is missing (crash mid-check) still shows the probes that ran.
  for (const when of ['before', 'after'] as const) {
    if (view.steadyState[when] === null && steadyProbes[when].length > 0) {
      view.steadyState[when] = { held: steadyProbes[when].every((p) => p.status === 'succeeded'), probes: steadyProbes[when] };
    }
  }
  return view;
}

/** The revert activities (one per fault reverted, in order). */
export function revertsOf(view: JournalView): ActivityRecord[] {
  return view.activities.filter((a) => a.kind === 'revert');
}
