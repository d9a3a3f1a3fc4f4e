/**
 * SLOs over the timeline: a timed-out request counts at its timeout (a latency SLO cannot pass while most requests
 * time out), a window with too many dropped requests is "not measured", and every result says which load model
 * produced it, what was dropped and the intended against the achieved rate.
 */
import { expect } from 'chai';
import type { Slo } from '../../src/experiment/types.js';
import { instrumentOf } from '../../src/load/instrument.js';
import { httpLoadSchema, autocannonLoadSchema } from '../../src/experiment/load-schema.js';
import { evaluateSlo } from '../../src/measure/slo.js';
import { Timeline } from '../../src/measure/timeline.js';

type LoadSlo = Exclude<Slo, { kind: 'promql' }>;
const p95Below = (ms: number): LoadSlo => ({ name: 'p95', window: 'run', failStatus: 500, kind: 'latency', p: 95, belowMs: ms });
const availability = (atLeast: number): LoadSlo => ({ name: 'availability', window: 'run', failStatus: 500, kind: 'availability', atLeast });
const open = instrumentOf(httpLoadSchema.parse({ type: 'http', url: 'http://127.0.0.1:1/', rate: 100, timeout: '1s' }));

describe('SLOs over the timeline', () => {
  it('counts a timed-out request at its timeout: p95 fails when most requests time out, and the result says so', () => {
    const t = new Timeline({ startMs: 0 });
    for (let i = 0; i < 100; i++) {
      if (i % 10 === 0) t.record(i * 10, '2xx', 5);
      else t.record(i * 10, 'timeout', 1000);
    }
    const result = evaluateSlo(t, [[0, 1000]], p95Below(100), open);
    expect(result.passed, result.message).to.equal(false);
    expect(result.value).to.be.closeTo(1000, 1);
    expect(result.message).to.contain('90 of 100 requests timed out and count at their timeout (1s)');
    expect(result.evidence).to.deep.include({ latencySamples: 100, timeoutsCountedAtTimeout: 90 });
  });

  it('fails an SLO as "not measured" when more than allowDropped of the intended requests were dropped', () => {
    const t = new Timeline({ startMs: 0 });
    for (let i = 0; i < 95; i++) t.record(i * 10, '2xx', 5);
    t.recordDropped(960, 5);
    const result = evaluateSlo(t, [[0, 1000]], availability(0.99), open);
    expect(result.passed).to.equal(false);
    expect(result.value).to.equal(null);
    expect(result.message).to.contain('5 of 100 intended requests (5%) were dropped');
    expect(result.message).to.contain('cannot be measured');
    // Allowed by the experiment: measured, and the drops are stated.
    const lenient = instrumentOf(httpLoadSchema.parse({ type: 'http', url: 'http://127.0.0.1:1/', rate: 100, allowDropped: '10%' }));
    const measured = evaluateSlo(t, [[0, 1000]], availability(0.99), lenient);
    expect(measured.passed).to.equal(true);
    expect(measured.message).to.contain('5 dropped, 95.0 req/s achieved of 100.0 intended');
  });

  it('says which model produced a result: open, closed corrected (with a rate) or closed uncorrected', () => {
    const t = new Timeline({ startMs: 0 });
    for (let i = 0; i < 100; i++) t.record(i * 10, '2xx', 5);
    const of = (instrument: ReturnType<typeof instrumentOf>) => evaluateSlo(t, [[0, 1000]], p95Below(100), instrument);
    const openResult = of(open);
    expect(openResult.message).to.contain('open model (http), latency from the scheduled send time; 0 dropped, 100.0 req/s achieved of 100.0 intended');
    expect(openResult.evidence).to.deep.include({ load: { driver: 'http', model: 'open', latency: 'from the scheduled send time', sent: 100, dropped: 0, intended: 100,
      intendedRate: 100, achievedRate: 100, droppedShare: 0, timeouts: 0, timeoutMs: 1000 } });
    const corrected = of(instrumentOf(autocannonLoadSchema.parse({ type: 'autocannon', url: 'http://127.0.0.1:1/', rate: 120 })));
    expect(corrected.message).to.contain('closed model (autocannon), latency corrected for coordinated omission; 0 dropped, 100.0 req/s achieved of 120.0 intended');
    const uncorrected = of(instrumentOf(autocannonLoadSchema.parse({ type: 'autocannon', url: 'http://127.0.0.1:1/' })));
    expect(uncorrected.message).to.contain('closed model (autocannon), latency uncorrected: stalls are under-reported (coordinated omission)');
  });

  it('corrects a closed model for coordinated omission: a 1 s stall on a connection meant to send every 100 ms stands for ten requests', () => {
    const t = new Timeline({ startMs: 0 });
    for (let i = 0; i < 89; i++) t.record(i * 10, '2xx', 2, 100);
    t.record(900, '2xx', 1000, 100);
    const stats = t.summarize(0, 1000);
    // One answer counted; the histogram also holds the 900, 800 … 100 ms the connection would have seen.
    expect(stats.total).to.equal(90);
    expect(stats.histogram.totalCount).to.equal(99);
    expect(stats.histogram.getValueAtPercentile(95) / 1000).to.be.closeTo(600, 1);
  });
});
