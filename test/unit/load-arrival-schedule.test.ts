/** The open model's schedule: a constant rate, and ramps with k6's ramping-arrival-rate semantics. */
import { expect } from 'chai';
import { ArrivalSchedule } from '../../src/load/arrival-schedule.js';

/** Scheduled times of the first `count` requests, ms. */
const times = (schedule: ArrivalSchedule, count: number) => Array.from({ length: count }, (_, n) => schedule.at(n));

describe('the arrival schedule', () => {
  it('spaces a constant rate evenly from the start: request n at n / rate', () => {
    expect(times(new ArrivalSchedule(200), 4)).to.deep.equal([0, 5, 10, 15]);
    expect(new ArrivalSchedule(3).at(3)).to.be.closeTo(1000, 1e-9);
  });

  it('ramps linearly like k6: from 0 to 100/s over 10 s schedules 500 requests, request n at √(2n·T/r)', () => {
    const schedule = new ArrivalSchedule(undefined, [{ rate: 100, for: 10_000 }]);
    const all = times(schedule, 520);
    // ∫ rate over the ramp = 100/s · 10 s / 2 = 500: request 499 is the last inside, 500 starts the hold at 100/s.
    expect(all[499]!).to.be.below(10_000);
    expect(all[500]!).to.be.closeTo(10_000, 1e-6);
    expect(all[510]!).to.be.closeTo(10_100, 1e-6);
    for (const n of [1, 50, 200, 450]) expect(all[n]!).to.be.closeTo(Math.sqrt((2 * n * 10_000) / 0.1), 1e-6);
    // Strictly increasing, gaps shrinking as the rate grows.
    for (let n = 2; n < 500; n++) expect(all[n]! - all[n - 1]!).to.be.lessThan(all[n - 1]! - all[n - 2]!);
  });

  it('holds, ramps down and stops: a stage at rate 0 ends the schedule', () => {
    const schedule = new ArrivalSchedule(10, [{ rate: 10, for: 1000 }, { rate: 0, for: 2000 }]);
    const all = times(schedule, 21);
    // 10 in the first second, 10 more while the rate falls from 10/s to 0 over 2 s, then nothing.
    expect(all[9]!).to.be.closeTo(900, 1e-9);
    expect(all[10]!).to.be.closeTo(1000, 1e-9);
    expect(all[19]!).to.be.within(2000, 3000);
    expect(all[20]).to.equal(Infinity);
  });

  it('skips a pause (a stage from 0 to 0) and starts again with the next ramp', () => {
    const schedule = new ArrivalSchedule(undefined, [{ rate: 0, for: 5000 }, { rate: 20, for: 1000 }]);
    expect(schedule.at(0)).to.equal(5000);
    expect(schedule.at(10)).to.be.closeTo(6000, 1e-9);
    expect(schedule.at(30)).to.be.closeTo(7000, 1e-9);
  });
});
