/**
 * The open-model driver's wake timer: it never wakes before the time it was given (a request sent early would be
 * measured from a time it did not wait for), wakes once per time set, and a new time or a cancel replaces the old.
 * How late it wakes depends on the machine; the bound here only says it does wake (see bench/load-overhead.ts for
 * its precision).
 */
import { expect } from 'chai';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { WakeTimer } from '../../src/load/wake-timer.js';

/** Wakes at each of `offsets` (ms from now) in turn, precise or not; answers how early (< 0) or late each was. */
async function lateness(offsets: number[], precise: boolean): Promise<number[]> {
  const late: number[] = [];
  await new Promise<void>((resolve) => {
    let due = 0;
    let i = 0;
    const timer = new WakeTimer(() => {
      late.push(performance.now() - due);
      if (++i === offsets.length) return resolve();
      due = performance.now() + offsets[i]!;
      timer.set(due, precise);
    });
    due = performance.now() + offsets[0]!;
    timer.set(due, precise);
  });
  return late;
}

/** Waits with fractions of a millisecond, whole ones, under and over the spin stretch, and none. */
const OFFSETS = Array.from({ length: 200 }, (_, i) => [0.05, 0.3, 0.45, 0.9, 1, 1.2, 1.5, 2.7, 3, 0][i % 10]!);

describe('the wake timer of the open-model driver', function () {
  this.timeout(20_000);

  for (const precise of [true, false]) {
    it(`never wakes before the time set, and wakes for every time set (${precise ? 'a send: spins the last stretch' : 'a deadline: whole milliseconds'})`, async () => {
      const late = await lateness(OFFSETS, precise);
      expect(late).to.have.length(OFFSETS.length);
      expect(Math.min(...late)).to.be.at.least(0);
      // Generous: a busy 2-core machine may hold the process off the CPU for tens of ms.
      expect(Math.max(...late)).to.be.below(1000);
    });
  }

  it('replaces the time set before, and wakes no more once cancelled', async () => {
    let woken = 0;
    const timer = new WakeTimer(() => woken++);
    timer.set(performance.now() + 5, true);
    timer.set(performance.now() + 60, true);
    await sleep(30);
    expect(woken).to.equal(0);
    await sleep(60);
    expect(woken).to.equal(1);
    timer.set(performance.now() + 0.2, true);
    timer.cancel();
    timer.set(performance.now() + 20, false);
    timer.cancel();
    await sleep(50);
    expect(woken).to.equal(1);
  });
});
