/**
 * Reading k6's JSON output (`k6 run --out json=FILE`): one JSON object per line, either a `Metric` declaration or a
 * `Point` sample `{ "type": "Point", "metric": "http_req_duration", "data": { "time", "value", "tags" } }`, where
 * times are RFC 3339 with nanoseconds and durations are in ms. Each HTTP request yields one point of each of
 * `http_reqs` (value 1), `http_req_duration` (ms) and `http_req_failed` (0/1), with the same tags. An arrival-rate
 * executor (k6's open model) that has no VU free when an iteration is due emits `dropped_iterations` instead.
 */
import type { OutcomeKind } from '../measure/request-outcome.js';
import { statusKind } from '../measure/request-outcome.js';

export interface K6Request {
  /** Epoch ms when it was sent: k6 stamps a point when the request ended, so its duration is taken off. */
  at: number;
  kind: OutcomeKind;
  latencyMs: number | null;
}

export type K6Line =
  | { metric: 'http_req_duration'; request: K6Request }
  | { metric: 'http_reqs' | 'http_req_failed'; value: number }
  | { metric: 'dropped_iterations'; at: number; value: number }
  | null;

/**
 * k6's error codes (k6 docs "Error codes"; lib/netext/httpext/error_codes.go): 1050 request timeout, 1211 dial
 * timeout, 1212 dial: connection refused, 1220 connection reset by peer. Other codes fall back to the `error` tag.
 */
function transportKind(errorCode: string | undefined, error: string | undefined): OutcomeKind {
  switch (errorCode) {
    case '1050':
    case '1211':
      return 'timeout';
    case '1212':
      return 'refused';
    case '1220':
      return 'reset';
  }
  const text = error ?? '';
  if (/refused/i.test(text)) return 'refused';
  if (/reset|broken pipe|EOF/i.test(text)) return 'reset';
  if (/timeout|deadline/i.test(text)) return 'timeout';
  return 'error';
}

/** Parses one line of k6 JSON output; null for lines this driver does not use (metric declarations, other metrics). */
export function parseK6Line(line: string): K6Line {
  if (line.trim() === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { type, metric, data } = parsed as { type?: unknown; metric?: unknown; data?: { time?: unknown; value?: unknown; tags?: Record<string, unknown> | null } };
  if (type !== 'Point' || typeof metric !== 'string' || !data || typeof data.value !== 'number') return null;
  if (metric === 'http_reqs' || metric === 'http_req_failed') return { metric, value: data.value };
  if ((metric !== 'http_req_duration' && metric !== 'dropped_iterations') || typeof data.time !== 'string') return null;
  const at = Date.parse(data.time);
  if (Number.isNaN(at)) return null;
  if (metric === 'dropped_iterations') return { metric, at, value: data.value };
  const tags = data.tags ?? {};
  const status = Number(tags.status ?? 0);
  const sentAt = at - Math.max(0, data.value);
  if (Number.isFinite(status) && status >= 100) return { metric, request: { at: sentAt, kind: statusKind(status), latencyMs: data.value } };
  const kind = transportKind(typeof tags.error_code === 'string' ? tags.error_code : undefined, typeof tags.error === 'string' ? tags.error : undefined);
  // A timeout's duration is how long k6 waited: the request counts at it (DESIGN.md §3).
  return { metric, request: { at: sentAt, kind, latencyMs: kind === 'timeout' ? data.value : null } };
}
