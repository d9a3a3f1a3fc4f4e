/**
 * A small client of the Prometheus HTTP API (https://prometheus.io/docs/prometheus/latest/querying/api/): instant
 * and range queries, and the readiness check. Errors carry Prometheus's own error text, because that is what a
 * person fixing a PromQL typo needs to read.
 */
import { basicAuthorization, withoutCredentials } from '../shared/url-credentials.js';
import type { PrometheusConfig } from './config.js';
// fetch goes through undici 7's pool, not Node's bundled one (see there).
import '../../os/fetch-dispatcher.js';
import { causeOf, errnoCode, messageOf } from '../../errors.js';

/** One series of an instant (vector) or range (matrix) result; values as Prometheus sends them: [seconds, "text"]. */
export interface PromSeries {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

export type PromResult =
  | { resultType: 'vector'; result: PromSeries[] }
  | { resultType: 'matrix'; result: PromSeries[] }
  | { resultType: 'scalar' | 'string'; result: [number, string] };

/** A query Prometheus rejected (bad PromQL, a timeout on its side): `errorType` and `error` are its own words. */
export class PromQueryError extends Error {
  constructor(
    readonly query: string,
    readonly errorType: string,
    readonly detail: string,
  ) {
    super(`Prometheus rejected the query ${JSON.stringify(query)}: ${errorType}: ${detail}`);
    this.name = 'PromQueryError';
  }
}

export class PrometheusClient {
  readonly #base: string;
  readonly #headers: Record<string, string>;

  readonly #config: PrometheusConfig;

  /**
   * `user:password@` in the URL becomes HTTP basic authentication (fetch refuses URLs with credentials), unless
   * `headers` sets an Authorization of its own; the URL kept for requests and messages has no credentials.
   */
  constructor(config: PrometheusConfig) {
    this.#config = config;
    this.#base = withoutCredentials(config.url).replace(/\/+$/, '');
    const basic = basicAuthorization(config.url);
    const explicit = Object.keys(config.headers ?? {}).some((name) => name.toLowerCase() === 'authorization');
    this.#headers = { ...(basic !== null && !explicit ? { authorization: basic } : {}), ...config.headers };
  }

  get url(): string {
    return this.#base;
  }

  /** Resolves when the server answers /-/ready with 200; throws with what it saw otherwise. */
  async checkReady(signal: AbortSignal): Promise<void> {
    const response = await this.#fetch('/-/ready', undefined, signal);
    if (!response.ok) {
      throw new Error(`${this.#base}/-/ready answered ${response.status} ${(await response.text()).trim().slice(0, 200)}`);
    }
  }

  /** An instant query evaluated at `time` (default: now). */
  instantQuery(query: string, signal: AbortSignal, time?: Date): Promise<PromResult> {
    const form = new URLSearchParams({ query });
    if (time) form.set('time', String(time.getTime() / 1000));
    return this.#query('/api/v1/query', query, form, signal);
  }

  /** A range query from `start` to `end` (inclusive) every `stepMs`. */
  rangeQuery(query: string, start: Date, end: Date, stepMs: number, signal: AbortSignal): Promise<PromResult> {
    const form = new URLSearchParams({
      query,
      start: String(start.getTime() / 1000),
      end: String(end.getTime() / 1000),
      step: String(stepMs / 1000),
    });
    return this.#query('/api/v1/query_range', query, form, signal);
  }

  async #query(path: string, query: string, form: URLSearchParams, signal: AbortSignal): Promise<PromResult> {
    const response = await this.#fetch(path, form, signal);
    const text = await response.text();
    let body: { status?: string; data?: PromResult; errorType?: string; error?: string };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new Error(`${this.#base}${path} answered ${response.status} with something that is not JSON: ${text.trim().slice(0, 200)}`);
    }
    if (body.status !== 'success' || !body.data) {
      throw new PromQueryError(query, body.errorType ?? `HTTP ${response.status}`, body.error ?? text.trim().slice(0, 200));
    }
    return body.data;
  }

  /** POST with a form for queries (long PromQL does not fit a URL), GET otherwise; bounded by the target's timeout. */
  async #fetch(path: string, form: URLSearchParams | undefined, signal: AbortSignal): Promise<Response> {
    const timeout = AbortSignal.timeout(this.#config.timeout);
    const headers: Record<string, string> = { ...this.#headers };
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    try {
      return await fetch(`${this.#base}${path}`, {
        method: form ? 'POST' : 'GET',
        headers,
        ...(form ? { body: form.toString() } : {}),
        signal: AbortSignal.any([signal, timeout]),
      });
    } catch (error) {
      if (timeout.aborted && !signal.aborted) throw new Error(`${this.#base}${path} did not answer within ${this.#config.timeout} ms`);
      const cause = causeOf(error);
      throw new Error(`${this.#base}${path}: ${errnoCode(cause) ?? (cause instanceof Error ? cause.message : undefined) ?? messageOf(error)}`);
    }
  }
}
