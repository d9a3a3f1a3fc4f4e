import { expect } from 'chai';
import { EventBus, type RunSubscriber } from '../../src/engine/events.js';

const at = new Date(0).toISOString();

describe('EventBus', () => {
  it('delivers to every subscriber in order even when one throws, and reports the failure', async () => {
    const seen: string[] = [];
    const errors: string[] = [];
    const bus = new EventBus((name, event, error) => errors.push(`${name}/${event}: ${(error as Error).message}`));
    bus.subscribe({ name: 'first', log: (e) => void seen.push(`first:${e.message}`) });
    bus.subscribe({
      name: 'broken',
      log: () => {
        throw new Error('boom');
      },
    });
    bus.subscribe({ name: 'async-broken', log: async () => Promise.reject(new Error('async boom')) });
    bus.subscribe({ name: 'last', log: (e) => void seen.push(`last:${e.message}`) });
    await bus.emit('log', { level: 'info', message: 'hi', at });
    expect(seen).to.deep.equal(['first:hi', 'last:hi']);
    expect(errors).to.deep.equal(['broken/log: boom', 'async-broken/log: async boom']);
  });

  it('stops waiting for a subscriber that hangs, and skips it from then on', async () => {
    const errors: string[] = [];
    const bus = new EventBus((name) => errors.push(name), 50);
    const seen: string[] = [];
    const hanging: RunSubscriber = { name: 'hanging', log: () => new Promise<void>(() => undefined) };
    bus.subscribe(hanging);
    bus.subscribe({ name: 'after', log: (e) => void seen.push(e.message) });
    const started = Date.now();
    await bus.emit('log', { level: 'info', message: 'one', at });
    await bus.emit('log', { level: 'info', message: 'two', at });
    expect(Date.now() - started).to.be.below(1_000);
    expect(seen).to.deep.equal(['one', 'two']);
    expect(errors).to.deep.equal(['hanging']);
  });
});
