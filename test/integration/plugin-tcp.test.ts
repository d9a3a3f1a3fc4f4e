import { expect } from 'chai';
import { tcpProbe } from '../../src/plugins/tcp/probes/tcp.js';
import { tcpSpec } from '../../src/plugins/tcp/specs.js';
import { activityContext } from '../support/contexts.js';
import { freePort, startCountingServer, type CountingServer } from '../support/servers.js';

const params = (raw: Record<string, unknown>) => tcpSpec.params.parse(raw);

describe('tcp plugin', () => {
  let server: CountingServer;

  before(async () => {
    server = await startCountingServer();
  });

  after(async () => {
    await server.close();
  });

  it('passes when the port is open (on 127.0.0.1 by default)', async () => {
    const outcome = await tcpProbe.run(undefined, params({ port: server.port }), activityContext());
    expect(outcome.ok).to.equal(true);
    expect(outcome.message).to.equal(`127.0.0.1:${server.port} is open`);
    expect(outcome.output).to.include({ open: true, error: null });
  });

  it('fails on a closed port, saying it was refused', async () => {
    const port = await freePort();
    const outcome = await tcpProbe.run(undefined, params({ port }), activityContext());
    expect(outcome.ok).to.equal(false);
    expect(outcome.message).to.equal(`127.0.0.1:${port} is closed (connection refused), expected open`);
  });

  it('with state: closed, passes on a closed port and fails on an open one', async () => {
    const port = await freePort();
    expect((await tcpProbe.run(undefined, params({ port, state: 'closed' }), activityContext())).ok).to.equal(true);
    const open = await tcpProbe.run(undefined, params({ port: server.port, state: 'closed' }), activityContext());
    expect(open.ok).to.equal(false);
    expect(open.message).to.equal(`127.0.0.1:${server.port} is open, expected closed`);
  });

  it('rejects a port out of range', () => {
    expect(tcpProbe.params.safeParse({ port: 70000 }).success).to.equal(false);
  });
});
