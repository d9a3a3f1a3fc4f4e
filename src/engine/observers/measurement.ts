/**
 * Everything a run measures (DESIGN.md §3), owned by one run: the timeline, the load driver, the RTO probe, the
 * RPO writer and the guardrails. It learns fault timing from the engine's `fault:injected` / `fault:reverted`
 * events, so windows and RTO's t0 are exactly when the engine says faults were injected and reverted.
 */
import { substituteTargetAttributes } from '../../experiment/substitute.js';
import type { ResolvedExperiment } from '../../experiment/types.js';
import { asJson, type Json, type JsonObject } from '../../json.js';
import { createLoadDriver } from '../../load/create-driver.js';
import { instrumentOf } from '../../load/instrument.js';
import type { LoadDriver } from '../../load/load-driver.js';
import type { ObjectiveResult } from '../../measure/objective-result.js';
import { measureRpo } from '../../measure/rpo.js';
import { measureRto, type ProbeSample } from '../../measure/rto.js';
import { evaluatePromqlSlo } from '../../measure/promql.js';
import { evaluateSlo } from '../../measure/slo.js';
import { DEFAULT_BUCKET_MS, Timeline } from '../../measure/timeline.js';
import { loadWindows } from '../../measure/load-windows.js';
import { WINDOW_NAMES } from '../../experiment/objectives-schema.js';
import { windowRanges, type FaultInterval } from '../../measure/windows.js';
import type { RunSubscriber } from '../events.js';
import type { RunContext } from '../run-context.js';
import { attributesOf } from '../targets.js';
import { Guardrails, type GuardrailTrip } from './guardrails.js';
import { liveProgress, type LiveProgress } from './live-progress.js';
import { queryPromqlSlo } from './promql-slo-query.js';
import { sampleProbe, Ticker } from './probe-sample.js';
import { RpoWriteLog } from './rpo-write-log.js';

export interface MeasurementOptions {
  /** The run folder (k6 writes its points there). */
  runDir: string;
  /** Relative paths (k6 scripts) are resolved from here. */
  cwd: string;
  onTrip(trip: GuardrailTrip): void;
  /** Called about once a second while load runs. */
  onProgress?(progress: LiveProgress): void;
}

/** Whether the experiment asks for any measurement at all. */
export function measures(experiment: ResolvedExperiment): boolean {
  const { load, objectives, safety } = experiment;
  return load !== null || objectives.rto !== null || objectives.rpo !== null || objectives.slo.length > 0 || safety.abortWhen.length > 0;
}

export class Measurement {
  readonly faults: FaultInterval[] = [];
  timeline: Timeline | null = null;
  #startMs = 0;
  #endMs: number | null = null;
  #load: LoadDriver | null = null;
  #loadSummary: Json = null;
  #rtoSamples: ProbeSample[] = [];
  #rtoTicker: Ticker | null = null;
  #rpo: RpoWriteLog | null = null;
  #guardrails: Guardrails | null = null;
  #progressTimer: NodeJS.Timeout | undefined;
  #stopped: Promise<void> | null = null;

  readonly #ctx: RunContext;
  readonly #options: MeasurementOptions;

  constructor(ctx: RunContext, options: MeasurementOptions) {
    this.#ctx = ctx;
    this.#options = options;
  }

  /** Subscribe it to the run's bus: fault timing goes onto the timeline. */
  readonly subscriber: RunSubscriber = {
    name: 'measurement',
    'fault:injected': (e) => {
      const at = Date.parse(e.at);
      this.faults.push({ name: e.name, injectStartedAt: Date.parse(e.startedAt), injectedAt: at, revertedAt: null });
      this.timeline?.addEvent({ at, kind: 'fault-injected', name: e.name, detail: `${e.type} on ${e.target}` });
    },
    'fault:reverted': (e) => {
      const at = Date.parse(e.at);
      const open = [...this.faults].reverse().find((f) => f.name === e.name && f.revertedAt === null);
      if (open) open.revertedAt = at;
      this.timeline?.addEvent({ at, kind: 'fault-reverted', name: e.name, detail: e.ok ? 'ok' : `failed: ${e.error}` });
    },
  };

  /** Starts load, the RTO probe, the RPO writer and guardrails. Throws a ChaosError when load cannot start (k6 missing). */
  async start(): Promise<void> {
    const { experiment } = this.#ctx;
    const attributes = attributesOf(this.#ctx.targets);
    const substitute = <T>(value: T): T => substituteTargetAttributes(value as unknown as JsonObject, attributes) as unknown as T;
    this.#startMs = Date.now();
    const timeline = new Timeline({ startMs: this.#startMs, bucketMs: experiment.load?.bucket ?? DEFAULT_BUCKET_MS });
    this.timeline = timeline;
    const { rto, rpo } = experiment.objectives;
    if (experiment.load) {
      const load = substitute(experiment.load);
      this.#load = await createLoadDriver(load, timeline, { workDir: this.#options.runDir, cwd: this.#options.cwd, logger: this.#ctx.logger });
      await this.#load.start();
    }
    if (rto) {
      this.#rtoTicker = new Ticker(rto.intervalMs, Math.ceil(rto.timeoutMs / rto.intervalMs) + 2, async () => {
        this.#rtoSamples.push(await sampleProbe(this.#ctx, rto.probe, rto.timeoutMs));
      });
      this.#rtoTicker.start();
    }
    if (rpo) {
      this.#rpo = new RpoWriteLog(substitute(rpo), this.#ctx.plugins);
      await this.#rpo.start();
    }
    if (experiment.safety.abortWhen.length > 0) {
      this.#guardrails = new Guardrails(this.#ctx, timeline, experiment.safety.abortWhen, (trip) => {
        timeline.addEvent({ at: Date.parse(trip.at), kind: 'guardrail-tripped', name: trip.condition, detail: trip.observed });
        this.#options.onTrip(trip);
      });
      this.#guardrails.start();
    }
    const onProgress = this.#options.onProgress;
    if (onProgress && this.#load) {
      let errors = 0;
      this.#progressTimer = setInterval(() => {
        const progress = liveProgress(timeline, this.faults, this.#startMs, experiment, errors);
        errors = progress.totalErrors;
        onProgress(progress);
      }, 1000);
      this.#progressTimer.unref();
    }
  }

  /** The method is over: guardrails stop (a revert must not trip one). */
  async endMethod(): Promise<void> {
    await this.#guardrails?.stop();
  }

  /** Stops everything that runs; idempotent, never throws (called again from the run's `finally`). */
  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      clearInterval(this.#progressTimer);
      await this.#guardrails?.stop().catch(() => undefined);
      const [loadSummary] = await Promise.all([
        this.#load?.stop().catch((e: unknown) => ({ error: String(e) })) ?? null,
        this.#rtoTicker?.stop(),
        this.#rpo?.stop(),
      ]);
      this.#loadSummary = loadSummary;
      this.#endMs = Date.now();
    })();
    return this.#stopped;
  }

  /** After a run that ended before evaluate() (an error): removes what the observers created. Never throws. */
  async discard(): Promise<void> {
    await this.#rpo?.discard().catch(() => undefined);
  }

  /** Reads back the RPO ledger and evaluates every objective. Call after stop(). */
  async evaluate(): Promise<ObjectiveResult[]> {
    const { objectives } = this.#ctx.experiment;
    const timeline = this.timeline;
    if (!timeline) return [];
    const end = this.#endMs ?? Date.now();
    const ranges = windowRanges(this.#startMs, end, this.faults, timeline.bucketMs);
    const results: ObjectiveResult[] = [];
    for (const slo of objectives.slo) {
      results.push(
        slo.kind === 'promql'
          ? evaluatePromqlSlo(slo, ranges[slo.window], await queryPromqlSlo(this.#ctx, slo, ranges[slo.window]))
          : evaluateSlo(timeline, ranges[slo.window], slo, this.#ctx.experiment.load ? instrumentOf(this.#ctx.experiment.load) : null),
      );
    }
    if (objectives.rto) {
      const from = objectives.rto.from;
      const fault = from === null ? this.faults[0] : this.faults.find((f) => f.name === from);
      const name = from ?? fault?.name ?? null;
      results.push(measureRto(this.#rtoSamples, fault?.injectedAt ?? null, objectives.rto, end, name));
    }
    if (objectives.rpo && this.#rpo) {
      results.push(measureRpo(this.#rpo.writes, await this.#rpo.readBack(), objectives.rpo));
    }
    return results;
  }

  /** What the journal keeps: the timeline (compact), the windows, the load driver's summary. */
  journal(): Json {
    const timeline = this.timeline;
    if (!timeline) return null;
    const ranges = windowRanges(this.#startMs, this.#endMs ?? Date.now(), this.faults, timeline.bucketMs);
    const windows = Object.fromEntries(
      WINDOW_NAMES.map((w) => [w, ranges[w].map(([from, to]) => ({ from: new Date(from).toISOString(), to: new Date(to).toISOString() }))]),
    );
    const load = this.#ctx.experiment.load;
    const byWindow = load ? loadWindows(timeline, ranges, instrumentOf(load)) : null;
    return { load: this.#loadSummary, loadByWindow: byWindow, windows, timeline: asJson(timeline.toJournal()) };
  }
}
