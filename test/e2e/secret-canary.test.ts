/**
 * Canary secrets, put where people really put secrets (a token in a probe URL's query, a password in a Prometheus
 * URL, an Authorization header, a managed process's argv and environment), must appear in no byte chaosdrill
 * writes: stdout, stderr, `--json`, the run folder (journal, reports, logs) and the state directory (ledger,
 * locks), for runs that fail at each phase (connect, steady state, inject, objective), and in validation messages.
 * One secret comes from the environment, one from a file next to the experiment.
 */
import { expect } from 'chai';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, startCountingServer, type CountingServer } from '../support/servers.js';
import { runChaos, stopAllChaos, tempDir } from '../support/cli.js';

// A space makes the URL-encoded forms (%20, +) differ from the raw value, so those are checked too.
const ENV_CANARY = 'CanaryEnv 7f3a9c';
const FILE_CANARY = 'CanaryFile 51d2e8';

function forms(secret: string): string[] {
  return [secret, encodeURIComponent(secret), secret.replace(/ /g, '+')];
}

/** Every file under `dir`, recursively, as [path, bytes]. */
async function filesUnder(dir: string): Promise<Array<[string, Buffer]>> {
  const out: Array<[string, Buffer]> = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push([path, await readFile(path)]);
  }
  return out;
}

function expectNoCanary(where: string, bytes: Buffer | string): void {
  const text = Buffer.isBuffer(bytes) ? bytes.toString('latin1') : bytes;
  for (const secret of [ENV_CANARY, FILE_CANARY]) {
    for (const form of forms(secret)) {
      const at = text.indexOf(form);
      expect(at, `${where} holds the secret (as ${JSON.stringify(form)}): …${text.slice(Math.max(0, at - 80), at + 40)}…`).to.equal(-1);
    }
  }
}

describe('secrets never leak: a canary secret in no byte of any output, at every phase a run can fail', function () {
  this.timeout(120_000);
  let dir: { path: string; cleanup(): Promise<void> };
  let prometheus: CountingServer;
  let closedPort: number;

  before(async () => {
    dir = await tempDir('chaos-canary-');
    // A stand-in for a Prometheus server: it answers /-/ready (and everything else) with 200.
    prometheus = await startCountingServer();
    closedPort = await freePort();
    await mkdir(join(dir.path, 'exp'));
    await writeFile(join(dir.path, 'exp', 'db-password.txt'), `${FILE_CANARY}\n`);
  });
  after(async () => {
    await stopAllChaos();
    await prometheus.close();
    await dir.cleanup();
  });

  const header = (name: string, workerCode: string) => `version: 1
name: canary-${name}
secrets:
  apiToken: { env: CHAOS_CANARY_TOKEN }
  dbPassword: { file: db-password.txt }
targets:
  worker:
    type: process
    command: [node, -e, "${workerCode}", "--", "--token=\${secrets.apiToken}"]
    env: { DB_PASSWORD: "\${secrets.dbPassword}", API_TOKEN: "Bearer \${secrets.apiToken}" }
`;
  const probeUrl = () => `http://127.0.0.1:${closedPort}/health?token=\${secrets.apiToken}`;
  const promTarget = (port: number) => `  prom:
    type: prometheus
    url: "http://chaos:\${secrets.dbPassword}@127.0.0.1:${port}"
    headers: { authorization: "Bearer \${secrets.apiToken}" }
`;

  const experiments: Record<string, { yaml: () => string; exitCode: number; reason: string }> = {
    connect: {
      // The worker starts (its argv and environment hold secrets), then the Prometheus target cannot be reached.
      yaml: () => `${header('connect', 'setInterval(() => {}, 1000)')}${promTarget(closedPort)}method:
  - pause: 1s
`,
      exitCode: 5,
      reason: 'E_TARGET_UNREACHABLE',
    },
    'steady-state': {
      yaml: () => `${header('steady', 'setInterval(() => {}, 1000)')}${promTarget(prometheus.port)}steadyState:
  - name: api answers
    probe: { type: http, url: "${probeUrl()}", headers: { authorization: "Bearer \${secrets.dbPassword}" }, timeout: 1s }
method:
  - pause: 1s
`,
      exitCode: 1,
      reason: 'the steady state did not hold before the method',
    },
    inject: {
      // The worker exits after 300 ms, so pausing it fails.
      yaml: () => `${header('inject', 'setTimeout(() => {}, 300)')}method:
  - pause: 1s
  - fault: { type: process.pause, target: worker }
    duration: 1s
`,
      exitCode: 1,
      reason: 'method step "process.pause worker" failed',
    },
    objective: {
      // The RTO probe never succeeds: "not recovered", with the first failure (the probe URL) as evidence.
      yaml: () => `${header('objective', 'setInterval(() => {}, 1000)')}method:
  - fault: { type: process.pause, target: worker }
    duration: 500ms
  - pause: 500ms
objectives:
  rto: { max: 1s, interval: 100ms, timeout: 500ms, probe: { type: http, url: "${probeUrl()}" } }
`,
      exitCode: 1,
      reason: 'objective "rto" not met: not recovered',
    },
  };

  async function runAndScan(phase: string, args: string[], expectedExit: number): Promise<{ stdout: string; out: string }> {
    const out = join(dir.path, 'out', `${phase}-${args.join('').replace(/\W/g, '')}`);
    const file = join(dir.path, 'exp', `${phase}.yaml`);
    await writeFile(file, experiments[phase]!.yaml());
    const result = await runChaos(['run', file, '--state-dir', join(out, 'state'), '-o', join(out, 'run'), ...args], {
      cwd: dir.path,
      env: { CHAOS_CANARY_TOKEN: ENV_CANARY },
    });
    expect(result.code, `${result.stdout}\n${result.stderr}`).to.equal(expectedExit);
    expectNoCanary(`stdout of ${phase} ${args.join(' ')}`, result.stdout);
    expectNoCanary(`stderr of ${phase} ${args.join(' ')}`, result.stderr);
    const files = await filesUnder(out);
    expect(files.map(([p]) => p).some((p) => p.endsWith('journal.json')), 'a journal was written').to.equal(true);
    expect(files.map(([p]) => p).some((p) => p.includes(join('state', 'ledger'))), 'a ledger was written').to.equal(true);
    for (const [path, bytes] of files) expectNoCanary(path, bytes);
    return { stdout: result.stdout, out };
  }

  for (const phase of Object.keys(experiments)) {
    it(`a run failing at ${phase}: nothing in stdout, stderr, --json, the run folder or the state directory`, async () => {
      const { stdout, out } = await runAndScan(phase, ['--json'], experiments[phase]!.exitCode);
      const result = JSON.parse(stdout) as { reason: string };
      expect(result.reason).to.include(experiments[phase]!.reason);
      // Lock files and ledger lines name a target by its config as written: the reference, never the value.
      const ledger = (await filesUnder(join(out, 'state', 'ledger'))).map(([, bytes]) => bytes.toString()).join('');
      expect(ledger).to.include('--token=${secrets.apiToken}');
      // And the human output, with debug lines.
      await runAndScan(phase, ['--verbose'], experiments[phase]!.exitCode);
      if (phase === 'objective') {
        const journal = JSON.parse(await readFile(join(out, 'run', 'journal.json'), 'utf8')) as { entries: Array<{ kind: string; data: any }> };
        const rto = journal.entries.find((e) => e.kind === 'objectives')?.data.find((o: { name: string }) => o.name === 'rto');
        // The evidence is kept, with the token hidden.
        expect(rto.evidence.firstFailure).to.include('token=[redacted]');
      }
    });
  }

  it('validation messages and `chaos validate --json` of a valid file do not print substituted values', async () => {
    const invalid = join(dir.path, 'exp', 'invalid.yaml');
    await writeFile(invalid, `${header('invalid', 'setInterval(() => {}, 1000)')}method:
  - pause: 1s
    background: "\${secrets.apiToken}"
  - pause: "\${secrets.dbPassword}"
`);
    const env = { CHAOS_CANARY_TOKEN: ENV_CANARY };
    for (const args of [['validate', invalid], ['validate', invalid, '--json'], ['run', invalid, '--state-dir', 'state-invalid']]) {
      const result = await runChaos(args, { cwd: dir.path, env });
      expect(result.code, result.stderr).to.equal(2);
      expect(result.stderr + result.stdout).to.include('[redacted]');
      expectNoCanary(`${args.join(' ')} stdout`, result.stdout);
      expectNoCanary(`${args.join(' ')} stderr`, result.stderr);
    }
    const valid = join(dir.path, 'exp', 'steady-state.yaml');
    await writeFile(valid, experiments['steady-state']!.yaml());
    const result = await runChaos(['validate', valid, '--json'], { cwd: dir.path, env });
    expect(result.code, result.stderr).to.equal(0);
    expectNoCanary('validate --json stdout', result.stdout);
  });
});
