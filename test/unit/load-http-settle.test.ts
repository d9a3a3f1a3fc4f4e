/**
 * How the open-model driver settles a request: once, and never as an answer slower than its timeout. The driver
 * notices a deadline when its timer fires, which may be a little after the deadline itself; an answer that arrives
 * in between was still not there in time, so it is a timeout, recorded at the timeout like every other.
 */
import { expect } from 'chai';
import { performance } from 'node:perf_hooks';
import { httpDriver } from '../../src/load/http-driver.js';
import { httpLoadSchema } from '../../src/experiment/load-schema.js';
import { ScheduledRequest } from '../../src/load/scheduled-request.js';
import type { OutcomeKind } from '../../src/measure/request-outcome.js';
import type { LoadRecorder } from '../../src/measure/timeline.js';

function recordingDriver() {
  const recorded: { kind: OutcomeKind; latencyMs: number | null }[] = [];
  const recorder: LoadRecorder = {
    record: (_atMs, kind, latencyMs) => recorded.push({ kind, latencyMs }),
    recordDropped: () => undefined,
  };
  // Never started: the test plays undici's part and calls the request's handler itself.
  const driver = httpDriver(httpLoadSchema.parse({ type: 'http', url: 'http://127.0.0.1:9/', rate: 1, timeout: '200ms' }), recorder);
  return { driver, recorded };
}

describe('the open-model driver settling a request', () => {
  it('records an answer that came after the deadline, before the driver noticed it, as a timeout at the timeout', async () => {
    const { driver, recorded } = recordingDriver();
    const late = new ScheduledRequest(driver, performance.now() - 250);
    late.onResponseStart(null!, 200);
    late.onResponseEnd();
    expect(recorded).to.deep.equal([{ kind: 'timeout', latencyMs: 200 }]);
    expect(await driver.stop()).to.deep.include({ answered: 0, timeouts: 1, errors: 0 });
  });

  it('records an answer within the deadline as answered, at its latency from the scheduled send time', async () => {
    const { driver, recorded } = recordingDriver();
    const prompt = new ScheduledRequest(driver, performance.now() - 50);
    prompt.onResponseStart(null!, 200);
    prompt.onResponseEnd();
    expect(recorded).to.have.length(1);
    expect(recorded[0]!.kind).to.equal('2xx');
    expect(recorded[0]!.latencyMs).to.be.within(50, 200);
    expect(await driver.stop()).to.deep.include({ answered: 1, timeouts: 0 });
  });

  it('settles once: an error after the answer (undici aborting a finished request) changes nothing', () => {
    const { driver, recorded } = recordingDriver();
    const request = new ScheduledRequest(driver, performance.now() - 10);
    request.onResponseStart(null!, 503);
    request.onResponseEnd();
    request.onResponseError(null!, new Error('aborted'));
    expect(recorded.map((r) => r.kind)).to.deep.equal(['5xx']);
  });
});
