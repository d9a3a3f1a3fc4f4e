import { expect } from 'chai';
import { countFor, describeSelection, selectionSchema, selectNames } from '../../src/plugins/shared/selection.js';

describe('choosing victims: select one | all | n | "P%"', () => {
  const pods = ['web-a', 'web-b', 'web-c', 'web-d', 'web-e', 'web-f', 'web-g'];

  it('picks the same names for the same seed, whatever order the API listed them in', () => {
    const first = selectNames(pods, { count: 3 }, 42);
    expect(selectNames([...pods].reverse(), { count: 3 }, 42)).to.deep.equal(first);
    expect(first).to.have.length(3);
    expect(pods).to.include.members(first);
  });

  it('picks different names for different seeds', () => {
    const picks = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => selectNames(pods, 'one', seed)[0]));
    expect(picks.size).to.be.greaterThan(2);
  });

  it('counts one, all, a count capped at the total, and a percentage rounded up', () => {
    expect(countFor('one', 7)).to.equal(1);
    expect(countFor('one', 0)).to.equal(0);
    expect(countFor('all', 7)).to.equal(7);
    expect(countFor({ count: 10 }, 7)).to.equal(7);
    expect(countFor({ fraction: 0.3 }, 7)).to.equal(3);
    expect(countFor({ fraction: 1 }, 7)).to.equal(7);
    // 3 × 100% / 3 is 100%: no rounding error makes it 4 of 3.
    expect(countFor(selectionSchema.parse('33.3333%'), 3)).to.equal(1);
    expect(countFor(selectionSchema.parse('1%'), 7)).to.equal(1);
  });

  it('reads what users write, and describes it the same way', () => {
    for (const [written, parsed, shown] of [
      ['one', 'one', 'one'],
      ['all', 'all', 'all'],
      [3, { count: 3 }, '3'],
      ['30%', { fraction: 0.3 }, '30%'],
    ] as const) {
      expect(selectionSchema.parse(written), String(written)).to.deep.equal(parsed);
      expect(describeSelection(selectionSchema.parse(written))).to.equal(shown);
    }
  });

  it('refuses what selects nothing or is not a selection, with the spellings it takes', () => {
    for (const bad of [0, -1, 1.5, '0%', '150%', 'some', { percent: 25 }]) {
      const result = selectionSchema.safeParse(bad);
      expect(result.success, JSON.stringify(bad)).to.equal(false);
      expect(JSON.stringify(result.error?.issues), JSON.stringify(bad)).to.match(/one, all, a count such as 3, or a percentage such as ..30%|selects nothing|outside/);
    }
  });
});
