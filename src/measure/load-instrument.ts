/**
 * How the load that SLOs are measured from was produced (DESIGN.md §3, "load is an instrument"): every latency and
 * availability result says which model produced it, how many requests were dropped, and the intended against the
 * achieved rate, because a closed model's latency hides exactly the stalls a fault causes.
 */
export interface LoadInstrument {
  /** `http`, `autocannon` or `k6`. */
  driver: string;
  /** `open`: requests on a schedule whatever is outstanding; `closed`: each connection waits for its answer. */
  model: 'open' | 'closed' | 'set by the k6 script';
  /** How a latency was measured. */
  latency: 'from the scheduled send time' | 'corrected for coordinated omission' | 'uncorrected' | 'as k6 reports it';
  /** The open model schedules every request, so sent + dropped on the timeline is the intended count. */
  countsIntended: boolean;
  /** Requests per second a closed model was limited to (its intended rate); null: none, or counted (open model). */
  configuredRate: number | null;
  /** A timed-out request counts at this latency; null when the driver does not say. */
  timeoutMs: number | null;
  /** Share of intended requests a window may drop and still be measured. */
  allowDropped: number;
}

/** "open model (http), latency from the scheduled send time", for messages. */
export function describeInstrument(instrument: LoadInstrument): string {
  const model = instrument.model === 'set by the k6 script' ? `k6, model set by the script's executor` : `${instrument.model} model (${instrument.driver})`;
  if (instrument.latency === 'uncorrected') return `${model}, latency uncorrected: stalls are under-reported (coordinated omission)`;
  return `${model}, latency ${instrument.latency}`;
}
