import { expect } from 'chai';
import { countFor, selectNames } from '../../src/plugins/kubernetes/select.js';

describe('kubernetes pod selection', () => {
  const pods = ['web-a', 'web-b', 'web-c', 'web-d', 'web-e', 'web-f', 'web-g'];

  it('picks the same pods for the same seed, whatever order the API listed them in', () => {
    const first = selectNames(pods, { count: 3 }, 42);
    expect(selectNames([...pods].reverse(), { count: 3 }, 42)).to.deep.equal(first);
    expect(first).to.have.length(3);
    expect(pods).to.include.members(first);
  });

  it('picks different pods for different seeds', () => {
    const picks = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => selectNames(pods, 'one', seed)[0]));
    expect(picks.size).to.be.greaterThan(2);
  });

  it('counts one, all, count(n) capped at the total, and percent(n) rounded up', () => {
    expect(countFor('one', 7)).to.equal(1);
    expect(countFor('one', 0)).to.equal(0);
    expect(countFor('all', 7)).to.equal(7);
    expect(countFor({ count: 10 }, 7)).to.equal(7);
    expect(countFor({ percent: 30 }, 7)).to.equal(3);
    expect(countFor({ percent: 100 }, 7)).to.equal(7);
  });
});
