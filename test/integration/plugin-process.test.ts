import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identifyProcess, isProcessAlive, processState } from '../../src/os/process-identity.js';
import type { Connection } from '../../src/plugins/api.js';
import { processConfigSchema } from '../../src/plugins/process/config.js';
import { killFault } from '../../src/plugins/process/faults/kill.js';
import { pauseFault } from '../../src/plugins/process/faults/pause.js';
import { restartFault } from '../../src/plugins/process/faults/restart.js';
import { processPlugin } from '../../src/plugins/process/index.js';
import { managedProcessResource } from '../../src/plugins/shared/managed-resource.js';
import { runningProbe } from '../../src/plugins/process/probes/running.js';
import { connectProcess, type ProcessSession } from '../../src/plugins/process/session.js';
import { activityContext, injectContext, pluginContext, recordingLogger } from '../support/contexts.js';
import { ECHO_SERVER, freePort, spawnEchoServer, tryGet } from '../support/servers.js';

describe('process plugin', function () {
  this.timeout(30_000);
  let workDir: string;
  const connections: Connection<ProcessSession>[] = [];
  const children: ChildProcess[] = [];

  beforeEach(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'chaosdrill-process-'));
  });

  afterEach(async () => {
    for (const c of connections.splice(0)) await c.close?.();
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGCONT');
        child.kill('SIGKILL');
      }
    }
    await rm(workDir, { recursive: true, force: true });
  });

  async function connectManaged(purpose: 'run' | 'plan' | 'recover' = 'run') {
    const port = await freePort();
    const config = processConfigSchema.parse({
      command: [process.execPath, ECHO_SERVER],
      env: { PORT: String(port) },
      ready: { port, timeout: '10s' },
    });
    const ctx = pluginContext({ workDir, purpose });
    const connection = await connectProcess(config, ctx);
    connections.push(connection);
    return { connection, session: connection.session as ProcessSession, ctx, url: `http://127.0.0.1:${port}/` };
  }

  async function connectPid(pid: number) {
    const config = processConfigSchema.parse({ pid });
    const connection = await connectProcess(config, pluginContext({ workDir }));
    return connection.session as ProcessSession;
  }

  async function plainChild() {
    const { child, port } = await spawnEchoServer();
    children.push(child);
    return { child, pid: child.pid as number, url: `http://127.0.0.1:${port}/` };
  }

  describe('config', () => {
    it('needs exactly one of command, pid and pidFile', () => {
      const none = processConfigSchema.safeParse({});
      expect(none.error?.issues[0]?.message).to.match(/exactly one of `command`/);
      const both = processConfigSchema.safeParse({ pid: 1, pidFile: '/run/x.pid' });
      expect(both.error?.issues[0]?.message).to.match(/not `pid` and `pidFile`/);
    });

    it('rejects cwd, env and ready on a pid target', () => {
      const result = processConfigSchema.safeParse({ pid: 1, ready: { port: 80 } });
      expect(result.error?.issues[0]?.path).to.deep.equal(['ready']);
    });

    it('keys targets by what they point at', () => {
      expect(processPlugin.targetKey!(processConfigSchema.parse({ pid: 42 }))).to.equal('process:pid:42');
      expect(processPlugin.targetKey!(processConfigSchema.parse({ pidFile: '/run/app.pid' }))).to.equal(
        'process:pidFile:/run/app.pid',
      );
      const key = processPlugin.targetKey!(processConfigSchema.parse({ command: ['node', 'server.js'], cwd: '/srv' }));
      expect(key).to.equal('process:command:["node","server.js"]+/srv');
    });
  });

  describe('managed command', () => {
    it('starts the command, waits until it listens, and publishes its pid', async () => {
      const { connection, ctx, url } = await connectManaged();
      const pid = connection.attributes.pid as number;
      expect(await tryGet(url)).to.equal(`ok ${pid}`);
      expect(ctx.resources.held().map((r) => [r.type, r.state.pid])).to.deep.equal([['process.managed', pid]]);
      expect(await readFile(join(workDir, 'app.log'), 'utf8')).to.match(/listening \d+/);
    });

    it('close() stops the process and releases its ledger entry, leaving nothing behind', async () => {
      const { connection, ctx } = await connectManaged();
      const identity = identifyProcess(connection.attributes.pid as number);
      await pauseFault.inject(connection.session, {}, injectContext()); // a stopped process must still be stopped
      await connection.close!();
      expect(isProcessAlive(identity)).to.equal(false);
      expect(ctx.resources.held()).to.deep.equal([]);
    });

    it('does not start anything when connected for plan, and plans with the command line', async () => {
      const { connection, ctx } = await connectManaged('plan');
      expect(connection.attributes).to.deep.equal({});
      expect(ctx.resources.entries).to.deep.equal([]);
      const plan = await pauseFault.plan!(connection.session, {}, activityContext());
      expect(plan[0]?.action).to.match(/^SIGSTOP process started by the run \(.*echo-server\.mjs\)$/);
    });

    it('fails to connect with the output of a command that exits before it listens', async () => {
      const config = processConfigSchema.parse({
        command: [process.execPath, '-e', 'console.error("boom: no config"); process.exit(3)'],
        ready: { port: await freePort(), timeout: '5s' },
      });
      const ctx = pluginContext({ workDir });
      try {
        await connectProcess(config, ctx);
        expect.fail('connect should have failed');
      } catch (err) {
        expect((err as { code?: string }).code).to.equal('E_PROCESS_START');
        expect((err as Error).message).to.match(/exited before it listened.*boom: no config/);
      }
      expect(ctx.resources.held()).to.deep.equal([]);
    });
  });

  describe('process.pause', () => {
    it('stops the process (state T, no answers) and revert resumes it', async () => {
      const { session, url, connection } = await connectManaged();
      const pid = connection.attributes.pid as number;
      const ctx = injectContext<{ pid: number; startTime: string | null; group: boolean }>({
        // The state must reach the ledger before the process is touched.
        onRecord: () => expect(processState(pid)).to.not.equal('T'),
      });
      const state = await pauseFault.inject(session, {}, ctx);
      expect(ctx.recorded[0]).to.deep.equal(state);
      expect(state.pid).to.equal(pid);
      expect(processState(pid)).to.equal('T');
      expect(await tryGet(url, 300)).to.equal(null);
      const probe = await runningProbe.run(session, { running: true }, activityContext());
      expect(probe.ok).to.equal(false);
      expect(probe.message).to.equal(`process ${pid} is stopped (state T), expected running`);

      await pauseFault.revert(session, state, activityContext());
      expect(await tryGet(url, 2_000)).to.equal(`ok ${pid}`);
      await pauseFault.revert(session, state, activityContext()); // idempotent
      expect((await runningProbe.run(session, { running: true }, activityContext())).ok).to.equal(true);
    });

    it('pauses a pid target and revert from recorded state alone resumes it', async () => {
      const { pid, url } = await plainChild();
      const session = await connectPid(pid);
      const state = await pauseFault.inject(session, {}, injectContext());
      expect(await tryGet(url, 300)).to.equal(null);
      // As `chaos recover` would: a fresh session connected for recover, and the recorded JSON.
      const recoverConnection = await connectProcess(
        processConfigSchema.parse({ pid }),
        pluginContext({ workDir, purpose: 'recover' }),
      );
      await pauseFault.revert(recoverConnection.session, JSON.parse(JSON.stringify(state)), activityContext());
      expect(await tryGet(url, 2_000)).to.equal(`ok ${pid}`);
    });

    it('revert does not signal a process whose PID now belongs to another process', async () => {
      const { pid } = await plainChild();
      const session = await connectPid(pid);
      process.kill(pid, 'SIGSTOP');
      await pauseFault.revert(session, { pid, startTime: 'not-the-same', group: false }, activityContext());
      await new Promise((r) => setTimeout(r, 100));
      expect(processState(pid)).to.equal('T');
      process.kill(pid, 'SIGCONT');
    });

    it('plans with the pid and command line of a pid target', async () => {
      const { pid } = await plainChild();
      const plan = await pauseFault.plan!(await connectPid(pid), {}, activityContext());
      expect(plan[0]?.action).to.equal(`SIGSTOP process ${pid} (${process.execPath} ${ECHO_SERVER})`);
    });
  });

  describe('process.kill', () => {
    it('kills a managed process, and revert starts it again', async () => {
      const { session, url, connection, ctx } = await connectManaged();
      const pid = connection.attributes.pid as number;
      const state = await killFault.inject(session, { signal: 'SIGKILL' }, injectContext());
      expect(state).to.include({ pid, managed: true, signal: 'SIGKILL' });
      expect(isProcessAlive({ pid, startTime: state.startTime })).to.equal(false);
      expect(await tryGet(url, 300)).to.equal(null);
      expect((await runningProbe.run(session, { running: false }, activityContext())).ok).to.equal(true);

      await killFault.revert(session, state, activityContext());
      const answer = await tryGet(url, 2_000);
      expect(answer).to.match(/^ok \d+$/);
      expect(answer).to.not.equal(`ok ${pid}`);
      await killFault.revert(session, state, activityContext()); // idempotent: no second process
      expect(ctx.resources.held()).to.have.length(1);
      expect(ctx.resources.entries.filter((e) => e.released).map((e) => e.state.pid)).to.deep.equal([pid]);
    });

    it('does not start a managed process again when reverting under recover', async () => {
      const { connection, ctx } = await connectManaged('recover');
      expect(ctx.resources.entries).to.deep.equal([]);
      const revertCtx = activityContext();
      await killFault.revert(connection.session, { pid: 999_999, startTime: null, signal: 'SIGKILL', managed: true }, revertCtx);
      expect(ctx.resources.entries).to.deep.equal([]);
      expect(revertCtx.logger.lines.join('\n')).to.match(/not restarting it during recover/);
    });

    it('kills a pid target and leaves restarting it to its supervisor', async () => {
      const { pid, child } = await plainChild();
      const session = await connectPid(pid);
      const exited = new Promise((r) => child.once('exit', r));
      const state = await killFault.inject(session, { signal: 'SIGTERM' }, injectContext());
      await exited;
      const ctx = activityContext();
      await killFault.revert(session, state, ctx);
      expect(ctx.logger.lines.join('\n')).to.match(/supervisor must/);
      const probe = await runningProbe.run(session, { running: true }, activityContext());
      expect(probe.ok).to.equal(false);
      expect(probe.output).to.deep.equal({ pid, alive: false, stopped: false, state: null });
    });
  });

  describe('process.restart', () => {
    it('stops a managed process and starts a new one', async () => {
      const { session, url, connection } = await connectManaged();
      const pid = connection.attributes.pid as number;
      const state = await restartFault.inject(session, { signal: 'SIGTERM', grace: 2_000 }, injectContext());
      expect(state.pid).to.equal(pid);
      expect(state.newPid).to.be.a('number').and.not.equal(pid);
      expect(await tryGet(url, 2_000)).to.equal(`ok ${state.newPid}`);
      await restartFault.revert(session, state, activityContext());
      expect(await tryGet(url, 2_000)).to.equal(`ok ${state.newPid}`);
    });

    it('refuses a pid target with a clear error', async () => {
      const { pid } = await plainChild();
      const session = await connectPid(pid);
      const ctx = injectContext();
      try {
        await restartFault.inject(session, { signal: 'SIGTERM', grace: 1_000 }, ctx);
        expect.fail('restart of a pid target should fail');
      } catch (err) {
        expect((err as { code?: string }).code).to.equal('E_PROCESS_UNMANAGED');
        expect((err as Error).message).to.equal(`process.restart needs a process the run started; target app points at pid ${pid}`);
      }
      expect(ctx.recorded).to.deep.equal([]);
      expect(isProcessAlive(identifyProcess(pid))).to.equal(true);
    });

    it('plans the restart of a managed target with its signal and grace period', async () => {
      const { session } = await connectManaged('plan');
      const plan = await restartFault.plan!(session, { signal: 'SIGTERM', grace: 5_000 }, activityContext());
      expect(plan[0]?.action).to.match(/^restart process started by the run \(.*\) \(SIGTERM, SIGKILL after 5s\)$/);
    });
  });

  describe('pidFile targets', () => {
    it('re-reads the pid file on every use', async () => {
      const first = await plainChild();
      const second = await plainChild();
      const pidFile = join(workDir, 'app.pid');
      await writeFile(pidFile, `${first.pid}\n`);
      const connection = await connectProcess(processConfigSchema.parse({ pidFile }), pluginContext({ workDir }));
      const session = connection.session as ProcessSession;
      expect((await runningProbe.run(session, { running: true }, activityContext())).output).to.include({ pid: first.pid });
      await writeFile(pidFile, `${second.pid}\n`);
      expect((await runningProbe.run(session, { running: true }, activityContext())).output).to.include({ pid: second.pid });
    });

    it('fails to connect, saying why, when the pid file is missing', async () => {
      const pidFile = join(workDir, 'missing.pid');
      try {
        await connectProcess(processConfigSchema.parse({ pidFile }), pluginContext({ workDir }));
        expect.fail('connect should have failed');
      } catch (err) {
        expect((err as { code?: string }).code).to.equal('E_TARGET_UNREACHABLE');
        expect((err as Error).message).to.equal(`target app: cannot read pid file ${pidFile}: ENOENT`);
      }
    });
  });

  describe('process.managed resource', () => {
    function orphan(): ChildProcess {
      // Started the way the plugin starts a managed command: its own process group.
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
      children.push(child);
      return child;
    }

    it('stops a process left behind by a crashed run, from its recorded state', async () => {
      const child = orphan();
      await new Promise((r) => child.once('spawn', r));
      const identity = identifyProcess(child.pid as number);
      process.kill(identity.pid, 'SIGSTOP'); // even when a pause fault had stopped it
      await managedProcessResource.release(
        { pid: identity.pid, startTime: identity.startTime, command: ['node'] },
        recordingLogger(),
      );
      expect(isProcessAlive(identity)).to.equal(false);
    });

    it('leaves alone a process whose PID was reused (start time differs), and a process already gone', async () => {
      const child = orphan();
      await new Promise((r) => child.once('spawn', r));
      const pid = child.pid as number;
      await managedProcessResource.release({ pid, startTime: '1', command: ['node'] }, recordingLogger());
      expect(isProcessAlive(identifyProcess(pid))).to.equal(true);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      await managedProcessResource.release({ pid, startTime: null, command: ['node'] }, recordingLogger());
    });
  });
});
