/**
 * The toxiproxy plugin through the built binary against a standalone `chaos proxy serve` process, driven as a real
 * Toxiproxy would be (through its URL): faults are reverted on success, on SIGTERM, and after kill -9 by
 * `chaos recover`. Also: the sample experiments pass with the embedded, in-process proxy.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { Toxiproxy } from 'toxiproxy-node-client';
import { runChaos, startChaos, stopAllChaos, tempDir, waitFor, writeExperiment, type RunningChaos } from '../support/cli.js';
import { startEchoServer, type TcpServer } from '../support/proxy-net.js';
import { freePort } from '../support/servers.js';

interface ProxyState {
  enabled: boolean;
  toxics: { name: string; type: string }[];
}

describe('toxiproxy plugin against a standalone `chaos proxy serve` (the built binary)', function () {
  this.timeout(60_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let echo: TcpServer;
  let serve: RunningChaos;
  let url: string;
  let client: Toxiproxy;

  beforeEach(async () => {
    dir = await tempDir();
    echo = await startEchoServer();
    serve = startChaos(['proxy', 'serve', '--listen', '127.0.0.1:0'], { cwd: dir.path, timeoutMs: 120_000 });
    url = await waitFor('the proxy server to listen', () => /listening on (http:\/\/\S+)/.exec(serve.stdout())?.[1]);
    client = new Toxiproxy(url);
    // A proxy that exists before the run: the run must leave it, clean, where it found it.
    await client.createProxy({ name: 'pre', listen: '127.0.0.1:0', upstream: echo.address });
  });
  afterEach(async () => {
    await stopAllChaos();
    await echo.close();
    await dir.cleanup();
  });

  const stateArgs = () => ['--state-dir', join(dir.path, 'state')];

  async function proxies(): Promise<Record<string, ProxyState>> {
    return (await (await fetch(`${url}/proxies`)).json()) as Record<string, ProxyState>;
  }

  function experiment(method: string): string {
    return `version: 1
name: net-faults
targets:
  net:
    type: toxiproxy
    url: ${url}
    proxies:
      - { name: pre, upstream: "${echo.address}" }
      - { name: made, upstream: "${echo.address}" }
method:
${method}
`;
  }

  const faultsThatStay = `  - name: slow link
    fault: { type: toxiproxy.latency, target: net, proxy: pre, latency: 100ms, stream: upstream, toxicity: 50% }
  - name: cut link
    fault: { type: toxiproxy.down, target: net, proxy: pre }
  - name: made is reset
    fault: { type: toxiproxy.reset-peer, target: net, proxy: made, timeout: 1s }
  - pause: 60s`;

  it('reverts every toxic it added and removes only the proxies it created, on success', async () => {
    const file = await writeExperiment(
      dir.path,
      'ok.yaml',
      experiment(`  - name: latency
    fault: { type: toxiproxy.latency, target: net, proxy: pre, latency: 200ms, jitter: 10ms }
    duration: 300ms
    background: true
  - name: limit
    fault: { type: toxiproxy.limit-data, target: net, proxy: made, bytes: 10 }
  - name: both toxics are there
    probe: { type: toxiproxy.proxy, target: net, proxy: pre, toxics: 1 }
  - pause: 500ms
  - name: the latency toxic is gone after its duration
    probe: { type: toxiproxy.proxy, target: net, proxy: pre, toxics: 0, enabled: true }`),
    );
    const out = await runChaos(['run', file, ...stateArgs(), '-o', join(dir.path, 'run')], { cwd: dir.path });
    expect(out.code, out.stdout + out.stderr).to.equal(0);
    const after = await proxies();
    expect(Object.keys(after)).to.deep.equal(['pre']);
    expect(after.pre).to.include({ enabled: true });
    expect(after.pre!.toxics).to.deep.equal([]);
  });

  it('reverts the toxics and re-enables the proxy on SIGTERM (exit 3)', async () => {
    const file = await writeExperiment(dir.path, 'abort.yaml', experiment(faultsThatStay));
    const runner = startChaos(['run', file, ...stateArgs(), '-o', join(dir.path, 'run')], { cwd: dir.path });
    await waitFor('the faults to be injected', async () => {
      const p = await proxies();
      return p.pre?.enabled === false && p.made?.toxics.length === 1;
    });
    expect((await proxies()).pre!.toxics.map((t) => t.type)).to.deep.equal(['latency']);
    runner.child.kill('SIGTERM');
    const out = await runner.exited;
    expect(out.code, out.stdout + out.stderr).to.equal(3);
    const after = await proxies();
    expect(Object.keys(after)).to.deep.equal(['pre']);
    expect(after.pre).to.deep.include({ enabled: true, toxics: [] });
  });

  it('after kill -9, refuses to run until `chaos recover` removed the toxics, re-enabled the proxy and removed what it created', async () => {
    const file = await writeExperiment(dir.path, 'crash.yaml', experiment(faultsThatStay));
    const runner = startChaos(['run', file, ...stateArgs(), '-o', join(dir.path, 'run1')], { cwd: dir.path });
    await waitFor('the faults to be injected', async () => {
      const p = await proxies();
      return p.pre?.enabled === false && p.made?.toxics.length === 1;
    });
    runner.child.kill('SIGKILL');
    await runner.exited;
    const left = await proxies();
    expect(left.pre).to.include({ enabled: false });
    expect(left.pre!.toxics).to.have.length(1);
    expect(left.made!.toxics).to.have.length(1);

    const refused = await runChaos(['run', file, ...stateArgs(), '-o', join(dir.path, 'run2')], { cwd: dir.path });
    expect(refused.code, refused.stdout + refused.stderr).to.equal(5);
    expect(refused.stdout + refused.stderr).to.match(/E_UNRECOVERED_FAULTS/);

    const recovered = await runChaos(['recover', ...stateArgs()], { cwd: dir.path });
    expect(recovered.code, recovered.stdout + recovered.stderr).to.equal(0);
    expect(recovered.stdout).to.match(/reverted.*toxiproxy\.down/);
    expect(recovered.stdout).to.match(/released.*toxiproxy\.proxy/);
    const after = await proxies();
    expect(Object.keys(after)).to.deep.equal(['pre']);
    expect(after.pre).to.deep.include({ enabled: true, toxics: [] });

    const again = await runChaos(['recover', ...stateArgs()], { cwd: dir.path });
    expect(again.code).to.equal(0);
    expect(again.stdout).to.match(/nothing to recover/);
  });
});

describe('sample network experiments (embedded proxy, the built binary)', function () {
  this.timeout(60_000);
  let dir: { path: string; cleanup(): Promise<void> };

  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await stopAllChaos();
    await dir.cleanup();
  });

  it('a crashed run with the embedded proxy leaves nothing to revert: recover treats its toxics as gone', async () => {
    const port = await freePort();
    const file = await writeExperiment(
      dir.path,
      'embedded-crash.yaml',
      `version: 1
name: embedded-crash
targets:
  net:
    type: toxiproxy
    proxies: [{ name: db, listen: "127.0.0.1:${port}", upstream: "127.0.0.1:9" }]
method:
  - fault: { type: toxiproxy.latency, target: net, proxy: db, latency: 1s }
  - pause: 60s
`,
    );
    const state = ['--state-dir', join(dir.path, 'state')];
    const runner = startChaos(['run', file, ...state, '-o', join(dir.path, 'run')], { cwd: dir.path });
    await waitFor('the fault to be injected', () => /injected toxiproxy\.latency/.test(runner.stdout()));
    runner.child.kill('SIGKILL');
    await runner.exited;
    const recovered = await runChaos(['recover', ...state], { cwd: dir.path });
    expect(recovered.code, recovered.stdout + recovered.stderr).to.equal(0);
    expect(recovered.stdout).to.match(/reverted.*toxiproxy\.latency/);
  });
});
