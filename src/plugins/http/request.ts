/**
 * One HTTP request and its verdict against `expect`, shared by the probe and the action. Transport errors and
 * timeouts are verdicts too ("connection refused", "timed out after 5s"), never exceptions.
 */
import type { Json, JsonObject } from '../../json.js';
import type { ProbeOutcome } from '../api.js';
import { describeSocketError } from '../shared/try-connect.js';
import { formatDuration } from '../../units/duration.js';
import { checkTolerance } from '../shared/tolerance.js';
import type { Tolerance } from '../../units/tolerance-schema.js';
import type { HttpParams } from './params.js';
import { causeOf, messageOf } from '../../errors.js';
// fetch goes through undici 7's pool, not Node's bundled one (see there).
import '../../os/fetch-dispatcher.js';

/** The body kept in the output (the journal). */
const OUTPUT_BODY_BYTES = 4 * 1024;
/** The body read for checks; beyond this the rest is not read. */
const CHECKED_BODY_BYTES = 1024 * 1024;
const DEFAULT_STATUS: Tolerance = { range: [200, 399] };

interface Response {
  status: number;
  body: string;
  latencyMs: number;
}

type Attempt = { response: Response } | { error: string; latencyMs: number };

export async function runHttpCheck(params: HttpParams, signal: AbortSignal): Promise<ProbeOutcome> {
  const attempt = await send(params, signal);
  if ('error' in attempt) {
    const output: JsonObject = { status: null, latencyMs: attempt.latencyMs, body: null, error: attempt.error };
    return { ok: false, message: `${params.method} ${params.url}: ${attempt.error}`, output };
  }
  const { status, body, latencyMs } = attempt.response;
  const output: JsonObject = { status, latencyMs, body: truncateBody(body) };
  const failures = evaluate(params, attempt.response);
  if (failures.length > 0) return { ok: false, message: failures.join('; '), output };
  return { ok: true, message: `status ${status} in ${latencyMs} ms`, output };
}

function evaluate(params: HttpParams, response: Response): string[] {
  const expect = params.expect ?? {};
  const failures: string[] = [];
  const status = checkTolerance(expect.status ?? DEFAULT_STATUS, response.status);
  if (!status.ok) failures.push(`status ${status.message}`);
  if (expect.body !== undefined) {
    const body = checkTolerance(expect.body, response.body);
    if (!body.ok) failures.push(`body ${body.message}`);
  }
  for (const check of expect.json ?? []) {
    const tolerance: Tolerance = check.value === undefined ? { jsonPath: check.path } : { jsonPath: check.path, value: check.value };
    const result = checkTolerance(tolerance, response.body);
    if (!result.ok) failures.push(`body: ${result.message}`);
  }
  if (expect.latency !== undefined && response.latencyMs > expect.latency) {
    failures.push(`answered in ${response.latencyMs} ms, expected within ${formatDuration(expect.latency)}`);
  }
  return failures;
}

async function send(params: HttpParams, signal: AbortSignal): Promise<Attempt> {
  const timeout = AbortSignal.timeout(params.timeout);
  const headers = new Headers(params.headers);
  let body: string | undefined;
  if (typeof params.body === 'string') {
    body = params.body;
  } else if (params.body !== undefined) {
    body = JSON.stringify(params.body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(params.url, {
      method: params.method,
      headers,
      body,
      redirect: params.followRedirects ? 'follow' : 'manual',
      signal: AbortSignal.any([signal, timeout]),
    });
    const text = await readCapped(response.body, CHECKED_BODY_BYTES);
    return { response: { status: response.status, body: text, latencyMs: elapsed() } };
  } catch (err) {
    if (timeout.aborted) return { error: `timed out after ${formatDuration(params.timeout)}`, latencyMs: elapsed() };
    if (signal.aborted) return { error: 'aborted', latencyMs: elapsed() };
    return { error: describeFetchError(err), latencyMs: elapsed() };
  }
}

async function readCapped(stream: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<string> {
  if (stream === null) return '';
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= maxBytes) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}

function truncateBody(body: string): Json {
  const bytes = Buffer.from(body, 'utf8');
  if (bytes.byteLength <= OUTPUT_BODY_BYTES) return body;
  return `${bytes.subarray(0, OUTPUT_BODY_BYTES).toString('utf8')}…[truncated]`;
}

/** fetch throws `TypeError: fetch failed` with the socket error as its cause. */
function describeFetchError(err: unknown): string {
  const cause = causeOf(err);
  if (cause instanceof Error && 'code' in cause) return describeSocketError(cause as NodeJS.ErrnoException);
  if (cause instanceof Error) return cause.message;
  const message = messageOf(err);
  return /invalid url|failed to parse url/i.test(message) ? `invalid URL` : message;
}
