import { expect } from 'chai';
import { measureRpo, type WriteRecord } from '../../src/measure/rpo.js';
import { measureRto, type ProbeSample } from '../../src/measure/rto.js';

describe('RTO and RPO at their edges', () => {
  const spec = { maxMs: 1000, intervalMs: 100, recoveredAfter: 3 };

  it('RTO with no probe sent after t0 fails as not measured, never "no outage observed"', () => {
    // Probes ran before the fault only (the probe stopped, or the run ended right after the inject).
    const before: ProbeSample[] = [0, 100, 200].map((t) => ({ startedAt: t, endedAt: t + 5, ok: true, message: 'ok' }));
    const r = measureRto(before, 500, spec, 600, 'outage');
    expect(r.passed).to.equal(false);
    expect(r.value).to.equal(null);
    expect(r.message).to.match(/^not measured: no RTO probe was sent after t0/);
    expect(r.evidence).to.include({ probesAfterT0: 0 });
  });

  it('RPO over 200,000 writes (no spread into Math.min/Math.max, which overflows the stack past ~100k)', () => {
    const writes: WriteRecord[] = [];
    const reads = new Map<number, boolean>();
    for (let id = 1; id <= 200_000; id++) {
      writes.push({ id, sentAt: 1_000 + id, ackAt: 1_005 + id });
      // Every write survives except the first 10: nothing acknowledged before them, so the anchor is the first send.
      reads.set(id, id > 10);
    }
    const r = measureRpo(writes, reads, { maxMs: 1000, intervalMs: 1 });
    expect(r.evidence).to.include({ written: 200_000, acknowledged: 200_000, lost: 10 });
    // Newest lost (id 10) acked at 1015; anchor = the writer's first send, 1001.
    expect(r.value).to.equal(14);
  });
});
