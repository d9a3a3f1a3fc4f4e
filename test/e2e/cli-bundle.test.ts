/**
 * The built `chaos` command is a bundle (scripts/bundle-cli.mjs): its start and `chaos validate` read the bundle's
 * own files and nothing from node_modules, while a command that needs a heavy dependency still imports it from
 * node_modules, on demand. A loader hook in the child process records every module Node loads.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CHAOS_BIN, ROOT, tempDir } from '../support/cli.js';

/** Runs the built binary with a hook that writes each loaded file module's path (one per line) to `log`. */
async function loadedModules(dir: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; files: string[] }> {
  const hook = join(dir, 'hook.mjs');
  const register = join(dir, 'register.mjs');
  const log = join(dir, `loaded-${args[0]}.txt`);
  await writeFile(
    hook,
    `import { appendFileSync } from 'node:fs';\n` +
      `export async function load(url, context, next) {\n` +
      `  if (url.startsWith('file:')) appendFileSync(${JSON.stringify(log)}, url + '\\n');\n` +
      `  return next(url, context);\n` +
      `}\n`,
  );
  await writeFile(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hook).href)});\n`);
  await writeFile(log, '');
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', pathToFileURL(register).href, CHAOS_BIN, ...args], { cwd: ROOT, stdio: 'ignore', env: { ...process.env, ...env } });
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject).on('exit', (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  const files = (await readFile(log, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((url) => relative(ROOT, fileURLToPath(url)));
  return { code, files };
}

describe('the built chaos command is a bundle', function () {
  this.timeout(30_000);
  let dir: { path: string; cleanup(): Promise<void> };
  before(async () => (dir = await tempDir()));
  after(() => dir.cleanup());

  it('validates an experiment from the bundle alone: no module from node_modules, none of tsc’s dist files', async () => {
    const { code, files } = await loadedModules(dir.path, ['validate', 'experiments/compose/region-failover.yaml']);
    expect(code).to.equal(0);
    expect(files).to.include('dist/bin.js');
    const outside = files.filter((file) => file !== 'dist/bin.js' && !file.startsWith('dist/chunks/'));
    expect(outside, 'modules loaded from outside the bundle').to.deep.equal([]);
  });

  it('imports a heavy dependency from node_modules when a command needs it, and only then', async () => {
    // `chaos list` describes every plugin from its manifest; the Kubernetes client is the implementation's.
    const list = await loadedModules(dir.path, ['list', 'kubernetes']);
    expect(list.code).to.equal(0);
    expect(list.files.filter((file) => file.includes('node_modules/')), 'list loads no dependency').to.deep.equal([]);
    // The state layer's Kubernetes backend is imported by --state kubernetes only, and with it the client.
    // Its API server is a closed port on loopback: the run fails to connect, after the import this is about.
    const kubeconfig = join(dir.path, 'kubeconfig');
    await writeFile(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "http://127.0.0.1:1"}}]\n' +
        'users: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u, namespace: chaos}}]\ncurrent-context: x\n',
    );
    const recover = await loadedModules(dir.path, ['recover', '--state', 'kubernetes://chaos'], { KUBECONFIG: kubeconfig });
    expect(recover.files.some((file) => file.includes('node_modules/@kubernetes/client-node/')), 'recover --state kubernetes loads the client').to.equal(true);
  });
});
