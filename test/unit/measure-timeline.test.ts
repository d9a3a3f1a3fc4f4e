/**
 * The timeline: counts by outcome per bucket, latency percentiles that survive the encoding of old buckets,
 * windows from fault timing, and memory that depends on the number of buckets, not of requests.
 */
import { expect } from 'chai';
import { Timeline } from '../../src/measure/timeline.js';
import { percentileMs } from '../../src/measure/latency-histogram.js';
import { summarizeRanges, windowRanges } from '../../src/measure/windows.js';
import { measureRpo } from '../../src/measure/rpo.js';
import { measureRto } from '../../src/measure/rto.js';

describe('the timeline', () => {
  it('counts requests by outcome in 100 ms buckets and computes availability with 5xx and transport errors as failures', () => {
    const t = new Timeline({ startMs: 0 });
    for (let i = 0; i < 100; i++) t.record(i * 10, i % 10 === 0 ? '5xx' : '2xx', 5);
    t.record(999, 'refused', null);
    t.record(999, '4xx', 1);
    expect(t.length).to.equal(10);
    const all = t.summarize(0, 1000);
    expect(all.total).to.equal(102);
    expect(all.byKind).to.include({ '2xx': 90, '5xx': 10, refused: 1, '4xx': 1 });
    expect(all.succeeded).to.equal(91);
    expect(t.summarize(0, 1000, 400).succeeded).to.equal(90);
    // Only answered requests have a latency.
    expect(all.histogram.totalCount).to.equal(101);
  });

  it('keeps exact percentiles after old buckets are encoded', () => {
    const t = new Timeline({ startMs: 0, liveBuckets: 3 });
    for (let i = 0; i < 2000; i++) t.record(i, '2xx', (i % 100) + 1); // 1..100 ms in every bucket
    const stats = t.summarize(0, 2000);
    expect(stats.total).to.equal(2000);
    expect(percentileMs(stats.histogram, 50)).to.be.closeTo(50, 0.1);
    expect(percentileMs(stats.histogram, 99)).to.be.closeTo(99, 0.1);
    // A late sample for an encoded bucket is still counted.
    t.record(5, '2xx', 1000);
    expect(t.summarize(0, 100).histogram.maxValue / 1000).to.be.closeTo(1000, 1);
  });

  it('assigns a bucket to a window by its midpoint (edges exact to one bucket)', () => {
    const t = new Timeline({ startMs: 0 });
    for (let i = 0; i < 10; i++) t.record(i * 100 + 10, '2xx', 1);
    expect(t.summarize(0, 500).total).to.equal(5);
    expect(t.summarize(240, 500).total).to.equal(3);
    expect(t.summarize(260, 500).total).to.equal(2);
  });

  it('holds memory per bucket, not per request: 1 million requests in 10 buckets stay within a few MB', () => {
    globalThis.gc?.();
    const before = process.memoryUsage();
    const t = new Timeline({ startMs: 0 });
    for (let i = 0; i < 1_000_000; i++) t.record(i / 1000, '2xx', 1 + (i % 500));
    // What the timeline retains, not the garbage recording made (mocha runs with --expose-gc, see .mocharc.json).
    globalThis.gc?.();
    const after = process.memoryUsage();
    const grew = after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers;
    expect(t.summarize(0, 1000).total).to.equal(1_000_000);
    expect(grew).to.be.below(20 * 1024 * 1024);
  });

  it('journals compact columns, one entry per bucket, with latency percentiles in ms', () => {
    const t = new Timeline({ startMs: 0 });
    t.record(50, '2xx', 10);
    t.record(250, 'timeout', null);
    t.addEvent({ at: 100, kind: 'fault-injected', name: 'f' });
    const j = t.toJournal();
    expect(j.counts['2xx']).to.deep.equal([1, 0, 0]);
    expect(j.counts.timeout).to.deep.equal([0, 0, 1]);
    expect(j.latencyMs.p95[0]).to.be.closeTo(10, 0.05);
    expect(j.latencyMs.p95[2]).to.equal(null);
    expect(j.events[0]).to.deep.include({ kind: 'fault-injected', at: '1970-01-01T00:00:00.100Z' });
  });
});

describe('windows', () => {
  it('splits the run into before, during (merged overlapping faults) and after', () => {
    const w = windowRanges(0, 10_000, [
      { name: 'a', injectedAt: 2000, revertedAt: 4000 },
      { name: 'b', injectedAt: 3000, revertedAt: 5000 },
      { name: 'c', injectedAt: 7000, revertedAt: 8000 },
    ]);
    expect(w.before).to.deep.equal([[0, 2000]]);
    expect(w.during).to.deep.equal([[2000, 5000], [7000, 8000]]);
    expect(w.after).to.deep.equal([[8000, 10_000]]);
    const t = new Timeline({ startMs: 0 });
    for (let ms = 0; ms < 10_000; ms += 10) t.record(ms, '2xx', 1);
    expect(summarizeRanges(t, w.during).total).to.equal(400);
  });

  it('starts "during" when the inject began, since a fault may act before its inject returns', () => {
    const w = windowRanges(0, 10_000, [{ name: 'a', injectStartedAt: 1900, injectedAt: 2000, revertedAt: 4000 }]);
    expect(w.before).to.deep.equal([[0, 1900]]);
    expect(w.during).to.deep.equal([[1900, 4000]]);
  });

  it('with the bucket size, gives every bucket a fault touched to "during", so failures right after a fault began never count in "before"', () => {
    // The fault starts 58 ms into bucket 20 (past its midpoint) and is reverted 10 ms into bucket 50.
    const start = 1_000;
    const w = windowRanges(start, start + 7_000, [{ name: 'a', injectStartedAt: start + 2_058, injectedAt: start + 2_070, revertedAt: start + 5_010 }], 100);
    expect(w.before).to.deep.equal([[start, start + 2_000]]);
    expect(w.during).to.deep.equal([[start + 2_000, start + 5_100]]);
    expect(w.after).to.deep.equal([[start + 5_100, start + 7_000]]);
    const t = new Timeline({ startMs: start, bucketMs: 100 });
    for (let ms = 0; ms < 7_000; ms += 10) t.record(start + ms, ms >= 2_058 && ms < 5_010 ? '5xx' : '2xx', 1);
    const before = summarizeRanges(t, w.before);
    expect(before.total).to.equal(200);
    expect(before.succeeded, 'no failure of the fault in the baseline').to.equal(200);
    expect(summarizeRanges(t, w.after).succeeded).to.equal(summarizeRanges(t, w.after).total);
    // Without the bucket size the edge bucket (midpoint 2 050 ms < 2 058 ms) counts in "before", failures and all.
    const unsnapped = summarizeRanges(t, windowRanges(start, start + 7_000, [{ name: 'a', injectStartedAt: start + 2_058, injectedAt: start + 2_070, revertedAt: start + 5_010 }]).before);
    expect(unsnapped.total - unsnapped.succeeded).to.equal(4);
  });

  it('has no "after" while a fault is still active, and only "before" without faults', () => {
    expect(windowRanges(0, 100, [{ name: 'a', injectedAt: 50, revertedAt: null }]).after).to.deep.equal([]);
    const none = windowRanges(0, 100, []);
    expect(none.before).to.deep.equal([[0, 100]]);
    expect(none.during).to.deep.equal([]);
  });
});

describe('RTO and RPO arithmetic', () => {
  const probe = (at: number, ok: boolean, took = 1) => ({ startedAt: at, endedAt: at + took, ok, message: ok ? 'ok' : 'down' });

  it('takes recovery from the first success that begins recoveredAfter successes, ignoring a single flap', () => {
    const samples = [probe(0, true), probe(100, false), probe(200, true), probe(300, false), probe(400, true), probe(500, true), probe(600, true)];
    const r = measureRto(samples, 50, { maxMs: 1000, intervalMs: 100, recoveredAfter: 3 }, 700, 'f');
    expect(r.value).to.equal(401 - 50);
    expect((r.evidence as { detectionMs: number }).detectionMs).to.equal(50);
  });

  it('anchors RPO at the writer start when no write survived before the oldest lost one', () => {
    const writes = [1, 2, 3].map((id) => ({ id, sentAt: id * 100 - 5, ackAt: id * 100 }));
    const r = measureRpo(writes, new Map([[1, false], [2, false], [3, true]]), { maxMs: 1000, intervalMs: 100 });
    expect(r.value).to.equal(200 - 95);
    expect((r.evidence as { lostIds: number[] }).lostIds).to.deep.equal([1, 2]);
  });

  it('does not claim an RPO when acknowledged records could not be read back', () => {
    const r = measureRpo([{ id: 1, sentAt: 0, ackAt: 1 }], new Map([[1, null]]), { maxMs: 1000, intervalMs: 100 });
    expect(r.passed).to.equal(false);
    expect(r.message).to.contain('could not be read back');
  });
});
