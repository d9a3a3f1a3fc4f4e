/**
 * The runner's Prometheus metrics (prom-client), one Registry per run: never prom-client's global default, so two
 * runs in one process (tests, the API) never share a series. Fed by engine events and the live load figures.
 *
 *   chaos_fault_active{fault,target}        1 while a fault is injected, 0 once reverted
 *   chaos_experiment_runs_total{result}     1 for this run's result when it ends (passed, failed, aborted, …)
 *   chaos_rto_seconds, chaos_rpo_seconds    the measured RTO / RPO (absent until measured)
 *   chaos_objective_passed{objective,kind}  1 met, 0 not met
 *   chaos_load_requests_per_second, chaos_load_errors_per_second   over the last second of load
 *   chaos_load_errors_total                 failed requests so far
 * Every series carries the `experiment` label.
 */
import { Counter, Gauge, Registry } from 'prom-client';
import type { RunStatus, RunSubscriber } from '../engine/events.js';
import type { LiveProgress } from '../engine/observers/live-progress.js';

export const RUN_RESULTS: readonly RunStatus[] = ['passed', 'failed', 'aborted', 'revert-failed', 'infrastructure-error', 'invalid-input'];

export class RunMetrics {
  readonly registry = new Registry();
  readonly #faultActive: Gauge<'fault' | 'target'>;
  readonly #runs: Counter<'result'>;
  readonly #rto: Gauge;
  readonly #rpo: Gauge;
  readonly #objectivePassed: Gauge<'objective' | 'kind'>;
  readonly #loadRate: Gauge;
  readonly #errorRate: Gauge;
  readonly #errorsTotal: Counter;

  constructor(experiment: string) {
    this.registry.setDefaultLabels({ experiment });
    const registers = [this.registry];
    this.#faultActive = new Gauge({ name: 'chaos_fault_active', help: 'Whether a fault is injected (1) or reverted (0)', labelNames: ['fault', 'target'], registers });
    this.#runs = new Counter({ name: 'chaos_experiment_runs_total', help: 'Experiment runs by result', labelNames: ['result'], registers });
    this.#rto = new Gauge({ name: 'chaos_rto_seconds', help: 'Measured recovery time (RTO) of the run', registers });
    this.#rpo = new Gauge({ name: 'chaos_rpo_seconds', help: 'Measured data loss window (RPO) of the run', registers });
    this.#objectivePassed = new Gauge({ name: 'chaos_objective_passed', help: 'Whether an objective was met (1) or not (0)', labelNames: ['objective', 'kind'], registers });
    this.#loadRate = new Gauge({ name: 'chaos_load_requests_per_second', help: 'Load requests completed over the last second', registers });
    this.#errorRate = new Gauge({ name: 'chaos_load_errors_per_second', help: 'Failed load requests over the last second', registers });
    this.#errorsTotal = new Counter({ name: 'chaos_load_errors_total', help: 'Failed load requests so far', registers });
    // Every result starts at 0, so rate() and increase() see the first run too.
    for (const result of RUN_RESULTS) this.#runs.labels(result).inc(0);
  }

  readonly subscriber: RunSubscriber = {
    name: 'metrics',
    'fault:injected': (e) => this.#faultActive.labels(e.name, e.target).set(1),
    'fault:reverted': (e) => {
      if (e.ok) this.#faultActive.labels(e.name, e.target).set(0);
    },
    'objectives:evaluated': (e) => {
      for (const o of e.results) {
        this.#objectivePassed.labels(o.name, o.kind).set(o.passed ? 1 : 0);
        if (o.kind === 'rto' && o.value !== null) this.#rto.set(o.value / 1000);
        if (o.kind === 'rpo' && o.value !== null) this.#rpo.set(o.value / 1000);
      }
    },
    'run:end': (e) => {
      this.#runs.labels(e.status).inc();
    },
  };

  /** Called with the live load figures (about once a second while load runs). */
  readonly onProgress = (progress: LiveProgress): void => {
    this.#loadRate.set(progress.requestsPerSecond);
    this.#errorRate.set(progress.errorsPerSecond);
    this.#errorsTotal.inc(progress.errorsPerSecond);
  };
}
