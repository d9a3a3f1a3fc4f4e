/**
 * What a target creates is in the ledger before it exists (issue 13, defect 3): a runner killed between creating a
 * managed process or a Toxiproxy proxy and recording it must not orphan it. Each test stops "the runner" at that
 * instant (its ledger write after the creation never happens) and hands the ledger to `chaos recover`.
 */
import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Ledger, readLedgerRuns, type LedgerTarget } from '../../src/state/ledger.js';
import { identifyProcess, isProcessAlive, type ProcessIdentity } from '../../src/os/process-identity.js';
import { recover } from '../../src/engine/recover.js';
import { resourceTracker } from '../../src/engine/resources.js';
import type { ResourceTracker } from '../../src/plugins/api.js';
import { ManagedProcess } from '../../src/plugins/shared/managed-process.js';
import { createRegistry } from '../../src/plugins/registry.js';
import { connectToxiproxy } from '../../src/plugins/toxiproxy/session.js';
import { startToxiproxyServer, type ToxiproxyServer } from '../../src/proxy/server.js';
import { tempDir, waitFor } from '../support/cli.js';
import { deadProcess } from '../support/processes.js';
import { createRedactor } from '../../src/experiment/redact.js';

const quiet = { debug() {}, info() {}, warn() {} };

/** A tracker that writes the ledger until the resource exists, then "dies": its post-creation write never happens. */
function dyingAfterCreation(tracker: ResourceTracker): { tracker: ResourceTracker; created: Promise<void> } {
  let markCreated: () => void = () => undefined;
  const created = new Promise<void>((resolve) => (markCreated = resolve));
  const hang = () => {
    markCreated();
    return new Promise<never>(() => undefined);
  };
  // Earlier versions wrote their first line in acquired(type, state, description), after creating: hang there too.
  return { tracker: { intend: (tracker as Partial<ResourceTracker>).intend?.bind(tracker), acquired: hang, released: hang } as ResourceTracker, created };
}

describe('resources are recorded before they are created', function () {
  this.timeout(30_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let stateDir: string;
  let dead: ProcessIdentity;
  let ledger: Ledger;
  let server: ToxiproxyServer | null = null;
  const orphans: number[] = [];

  before(async () => {
    dead = await deadProcess();
  });
  beforeEach(async () => {
    dir = await tempDir();
    stateDir = join(dir.path, 'state');
    // The ledger of a runner that is gone (its recorded PID belongs to a process that exited).
    ledger = await Ledger.open(stateDir, {
      runId: 'crashed', pid: dead.pid, pidStartTime: dead.startTime, host: hostname(), user: 'test',
      startedAt: new Date().toISOString(), experiment: 'crash', file: 'crash.yaml', secrets: {},
    });
  });
  afterEach(async () => {
    for (const pid of orphans.splice(0)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone: the test passed
      }
    }
    await server?.close();
    server = null;
    await dir.cleanup();
  });

  const target = (type: string, key: string): LedgerTarget => ({ name: 'app', type, key, configTemplate: {} });

  it('recover stops a managed process whose runner died before it could record the PID', async () => {
    const { tracker, created } = dyingAfterCreation(resourceTracker(ledger, target('process', 'process:worker'), createRedactor([])));
    const pidFile = join(dir.path, 'worker.pid');
    const worker = new ManagedProcess({
      command: [process.execPath, '-e', 'require("fs").writeFileSync(process.argv[1], String(process.pid)); setInterval(() => {}, 1000)', pidFile],
      cwd: undefined, env: undefined, ready: undefined, logFile: join(dir.path, 'worker.log'), resources: tracker, logger: quiet,
    });
    void worker.start(new AbortController().signal);
    await created;
    const pid = Number(await waitFor('the spawned worker', () => readFile(pidFile, 'utf8').catch(() => '')));
    const identity = identifyProcess(pid);
    orphans.push(identity.pid);
    expect(isProcessAlive(identity)).to.equal(true);

    const report = await recover({ stateDir, registry: createRegistry(), env: {}, logger: quiet });
    expect(report.actions.map((a) => `${a.type}: ${a.outcome}`)).to.deep.equal(['process.managed: released']);
    await waitFor('the orphan to be stopped', () => !isProcessAlive(identity), 10_000);
    expect((await readLedgerRuns(stateDir))[0]?.finished).to.equal(true);
  });

  it('recover releases the intent of a managed process that was never started, changing nothing', async () => {
    const id = await ledger.begin('resource', 'process.managed', target('process', 'process:x'), {}, 'start x', { marker: 'never-spawned', command: ['x'] });
    const report = await recover({ stateDir, registry: createRegistry(), env: {}, logger: quiet });
    expect(report.actions.map((a) => `${a.entryId}: ${a.outcome}`)).to.deep.equal([`${id}: released`]);
  });

  it('recover removes a proxy a runner created on a Toxiproxy server and died before recording', async () => {
    server = await startToxiproxyServer({ host: '127.0.0.1', port: 0 });
    const { tracker, created } = dyingAfterCreation(resourceTracker(ledger, target('toxiproxy', `toxiproxy:${server.url}`), createRedactor([])));
    const config = { url: server.url, proxies: [{ name: 'db', listen: '127.0.0.1:0', upstream: '127.0.0.1:9' }] };
    void connectToxiproxy(config, { targetName: 'net', purpose: 'run', workDir: dir.path, logger: quiet, signal: new AbortController().signal, resources: tracker });
    await created;
    await waitFor('the proxy on the server', () => server!.collection.list().some((p) => p.name === 'db'));

    const report = await recover({ stateDir, registry: createRegistry(), env: {}, logger: quiet });
    expect(report.actions.map((a) => `${a.type}: ${a.outcome}`)).to.deep.equal(['toxiproxy.proxy: released']);
    expect(server.collection.list().map((p) => p.name)).to.deep.equal([]);
  });
});
