/**
 * The result of one objective, as the journal and the reports carry it: the value measured, the threshold, the
 * verdict, how precise the value is, and the evidence a person can check it against.
 */
import type { Json } from '../json.js';

export interface ObjectiveResult {
  name: string;
  /** `slo`, `rto` or `rpo`. */
  kind: string;
  passed: boolean;
  /**
   * The measured value (ms for times, a fraction for ratios, req/s for throughput, a plain number for a PromQL
   * value, whose unit only the query knows); null when not measurable.
   */
  value: number | null;
  unit: 'ms' | 'ratio' | 'req/s' | 'value';
  threshold: Json;
  /** e.g. "± 100 ms (one probe interval)". */
  uncertainty: string | null;
  /** One sentence for people. */
  message: string;
  evidence: Json;
}
