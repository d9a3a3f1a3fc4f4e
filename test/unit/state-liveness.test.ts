/**
 * Judging a runner's liveness from its record (liveness.ts), reading `--state` (state-spec.ts) and the renewal loop
 * (renewal.ts), in-process with a fake clock where time matters.
 */
import { expect } from 'chai';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChaosError } from '../../src/errors.js';
import { LivenessJudge, type LivenessRecord } from '../../src/state/liveness.js';
import { keepRenewing } from '../../src/state/renewal.js';
import { parseStateSpec } from '../../src/state/state-spec.js';

describe('run liveness', () => {
  let now = 0;
  const record = (over: Partial<LivenessRecord> = {}): LivenessRecord => ({
    version: 'v1', host: 'pod-a', pid: 7, pidStartTime: '99', renewedAt: 0, durationMs: 15_000, renewEveryMs: 5_000, ...over,
  });
  const judge = (host = 'pod-b', alivePids: number[] = []) =>
    new LivenessJudge({ host, now: () => now, isPidAlive: (pid) => alivePids.includes(pid) });

  beforeEach(() => (now = 0));

  it('on the holder’s own host, the PID decides at once, whatever the record says', () => {
    now = 1_000;
    expect(judge('pod-a', []).judge('r', record()).state).to.equal('dead');
    now = 60_000;
    expect(judge('pod-a', [7]).judge('r', record()).state).to.equal('alive');
    // No record: the ledger's header names the host and PID.
    expect(judge('pod-a', []).judge('r', null, { host: 'pod-a', pid: 7, pidStartTime: null }).state).to.equal('dead');
  });

  it('elsewhere: alive until the duration passes, then suspect, then dead once unrenewed through two renewals', () => {
    const j = judge();
    now = 14_000;
    expect(j.judge('r', record()).state).to.equal('alive');
    now = 15_001;
    const suspect = j.judge('r', record());
    expect(suspect.state).to.equal('suspect');
    now = 23_999;
    expect(j.judge('r', record()).state, 'watched unrenewed since 14 s: 9.999 s < 10 s').to.equal('suspect');
    now = 24_000;
    expect(j.judge('r', record()).state).to.equal('dead');
  });

  it('never takes a live holder whose clock runs behind for dead: it renews while watched', () => {
    // The holder's clock is 30 s behind ours: every renewal looks 30 s old.
    const j = judge();
    for (let t = 0; t <= 60_000; t += 2_000) {
      now = 100_000 + t;
      const renewedAt = 100_000 + Math.floor(t / 5_000) * 5_000 - 30_000;
      const verdict = j.judge('r', record({ version: `v${Math.floor(t / 5_000)}`, renewedAt }));
      expect(verdict.state, `at +${t} ms`).to.not.equal('dead');
    }
  });

  it('knows at once when it watched the record stay unrenewed past its expiry', () => {
    const j = judge();
    now = 1_000;
    expect(j.judge('r', record()).state).to.equal('alive');
    now = 16_000;
    expect(j.judge('r', record()).state, 'unrenewed for 15 s, watched').to.equal('dead');
  });

  it('cannot judge a run of another host without a record: unknown, which callers treat as alive', () => {
    expect(judge().judge('r', null, { host: 'pod-a', pid: 7, pidStartTime: null }).state).to.equal('unknown');
  });
});

describe('--state', () => {
  it('reads file:, kubernetes://NAMESPACE and kubernetes:// with their lease options', () => {
    expect(parseStateSpec('file:.chaos', '/work')).to.deep.equal({ kind: 'file', dir: '/work/.chaos', timing: { durationMs: 15_000, renewEveryMs: 5_000 } });
    expect(parseStateSpec('kubernetes://chaos', '/w')).to.deep.equal({ kind: 'kubernetes', namespace: 'chaos', timing: { durationMs: 15_000, renewEveryMs: 5_000 } });
    expect(parseStateSpec('kubernetes://?context=prod&lease=2s&renew=500ms', '/w')).to.deep.equal({
      kind: 'kubernetes', namespace: null, context: 'prod', timing: { durationMs: 2_000, renewEveryMs: 500 },
    });
    expect(parseStateSpec('file:/shared/chaos?lease=9s', '/w')).to.deep.equal({ kind: 'file', dir: '/shared/chaos', timing: { durationMs: 9_000, renewEveryMs: 3_000 } });
  });

  it('refuses what it cannot use, as invalid input (exit 2)', () => {
    for (const [text, why] of [
      ['s3://bucket', 'unknown state backend'],
      ['kubernetes://Chaos_NS', 'not a namespace name'],
      ['kubernetes://chaos?lease=1500ms', 'whole seconds'],
      ['file:.chaos?lease=10s&renew=6s', 'at most half of lease'],
      ['file:.chaos?ttl=3s', 'unknown option "ttl"'],
      ['file:', 'no directory'],
    ] as const) {
      let error: unknown;
      try {
        parseStateSpec(text, '/w');
      } catch (e) {
        error = e;
      }
      expect(error, text).to.be.instanceOf(ChaosError).with.property('exitCode', 2);
      expect((error as Error).message, text).to.include(why);
    }
  });
});

describe('renewal', () => {
  it('says once that the record was lost when renewals fail for longer than its duration', async () => {
    const lost: string[] = [];
    let errors = 0;
    const renewal = keepRenewing({
      everyMs: 10, durationMs: 60,
      renew: () => Promise.reject(new Error('API server unreachable')),
      onError: () => errors++,
      onLost: (reason) => lost.push(reason),
    });
    await sleep(200);
    await renewal.stop();
    expect(lost).to.have.length(1);
    expect(lost[0]).to.match(/not renewed for .* \(longer than its 0.06 s duration\): API server unreachable/);
    // Every 10 ms for 200 ms, but a busy machine delays timers: what matters is one loss, after several errors.
    expect(errors).to.be.at.least(3);
  });

  it('says at once that it was taken over, and stops renewing', async () => {
    let calls = 0;
    const lost: string[] = [];
    const renewal = keepRenewing({
      everyMs: 10, durationMs: 1_000,
      renew: async () => (++calls >= 3 ? { renewed: false, lost: 'taken over by recover@pod-b/1' } : { renewed: true }),
      onError: () => undefined,
      onLost: (reason) => lost.push(reason),
    });
    await sleep(100);
    await renewal.stop();
    expect(calls).to.equal(3);
    expect(lost).to.deep.equal(['taken over by recover@pod-b/1']);
  });
});
