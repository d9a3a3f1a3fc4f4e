/**
 * `chaos init [file]`: scaffolds an experiment for the user's own service from flags, or from questions when stdin
 * is a terminal. What it writes passes the same validation as `chaos validate`; nothing is contacted.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Argv } from 'yargs';
import { ChaosError, ExitCode, InvalidInputError } from '../../errors.js';
import { packageManifest } from '../../package-files.js';
import { loadExperimentText } from '../../experiment/load.js';
import { createRegistry } from '../../plugins/registry.js';
import { Output, type CliIo } from '../io.js';
import { withExamples } from '../examples.js';
import type { GlobalFlags } from '../options.js';
import { reportError } from '../report-error.js';
import { commandBody, type CommandBody } from '../command.js';
import { scaffoldTiming, renderExperiment } from './experiment-template.js';
import { gatherAnswers } from './init-answers.js';
import type { InitFlags } from './init-flags.js';
import { DEFAULTS, type InitAnswers } from './scaffold-choices.js';
import { terminalPrompter } from './prompter.js';

interface InitCommandFlags extends GlobalFlags, InitFlags {
  file?: string;
  force: boolean;
}


export function initCommand(io: CliIo, setExit: (code: ExitCode) => void): CommandBody {
  return commandBody(
    (y: Argv<GlobalFlags>) =>
      withExamples(y, [
        ['chaos init --url http://127.0.0.1:8080/healthz --command "node server.js"', 'a process the run starts, frozen for 10 s (--fault kill: killed)'],
        ['chaos init --url http://127.0.0.1:8080/healthz --load-url http://127.0.0.1:8080/orders --pid-file /run/app.pid', 'health checks on /healthz, the load on /orders'],
        ['chaos init --url http://127.0.0.1:8080/ --pid-file /run/app.pid --fault kill --rto 45s', 'a running process, killed: its supervisor must restart it within 45 s'],
        ['chaos init --url http://127.0.0.1:8666/ --toxiproxy-url http://127.0.0.1:8474 --proxy app', '300 ms more latency through a Toxiproxy proxy (--fault partition: the link cut)'],
        ['chaos init experiments/web.yaml --url https://shop.example/ --namespace shop -l app=web', 'a pod of a Kubernetes Deployment killed'],
        ['chaos init', 'on a terminal: asks for every answer the flags do not give'],
      ])
        .positional('file', { type: 'string', describe: 'the file to write (default: experiments/<name>.yaml)' })
        .option('url', { type: 'string', describe: "your service's health endpoint (200 while healthy): steady state and RTO probe, and the load unless --load-url" })
        .option('load-url', { type: 'string', describe: 'an endpoint your users call, for the load (default: --url)' })
        .option('command', { type: 'string', describe: 'fault target: a process the run starts, e.g. "node server.js" (no shell)' })
        .option('pid-file', { type: 'string', describe: 'fault target: a running process, by its PID file' })
        .option('toxiproxy-url', { type: 'string', describe: 'fault target: a Toxiproxy API, e.g. http://127.0.0.1:8474 (with --proxy)' })
        .option('proxy', { type: 'string', describe: 'with --toxiproxy-url: the proxy your service is reached through' })
        .option('namespace', { type: 'string', describe: 'fault target: a Kubernetes namespace (with --selector)' })
        .option('selector', { alias: 'l', type: 'string', describe: 'with --namespace: the label selector of the pods, e.g. app=web' })
        .option('context', { type: 'string', describe: 'with --namespace: the kubeconfig context (default: the current one)' })
        .option('target', { choices: ['process', 'toxiproxy', 'kubernetes'] as const, describe: 'the kind of fault target (implied by the flags above)' })
        .option('fault', { type: 'string', describe: 'pause | kill (process), latency | partition (toxiproxy), pod-kill (kubernetes); default the first' })
        .option('name', { type: 'string', describe: `the experiment's name (default: the file's name, else ${DEFAULTS.name})` })
        .option('duration', { type: 'string', describe: `how long the fault lasts (default ${DEFAULTS.duration})` })
        .option('rate', { type: 'string', describe: `requests per second of load (default ${DEFAULTS.rate})` })
        .option('rto', { type: 'string', describe: 'the RTO budget (default: the fault duration + 20s)' })
        .option('availability', { type: 'string', describe: `the availability SLO outside the fault (default ${DEFAULTS.availability})` })
        .option('p95', { type: 'string', describe: `the p95 latency SLO outside the fault (default ${DEFAULTS.p95})` })
        .option('force', { type: 'boolean', default: false, describe: 'overwrite the file if it exists' }),
    async (flags: InitCommandFlags) => {
      const out = new Output(io, flags);
      try {
        setExit(await scaffold(io, out, flags));
      } catch (error) {
        setExit(reportError(out, error));
      }
    },
  );
}

async function scaffold(io: CliIo, out: Output, flags: InitCommandFlags): Promise<ExitCode> {
  const nameFromFile = flags.file === undefined || flags.name !== undefined ? undefined : nameOf(flags.file);
  if (flags.file !== undefined) await refuseExisting(io, flags.file, flags.force);
  const prompter = io.stdin?.isTTY === true ? terminalPrompter(io.stdin, out.json ? io.stderr : io.stdout, io.signal) : undefined;
  let answers: InitAnswers;
  try {
    answers = await gatherAnswers(flags, prompter, nameFromFile);
  } finally {
    prompter?.close();
  }
  const file = flags.file ?? `experiments/${answers.name}.yaml`;
  if (flags.file === undefined) await refuseExisting(io, file, flags.force);
  const path = resolve(io.cwd, file);
  // The package's JSON Schema, named in the file for editors when the project holds it (as this repository does).
  const schemaFile = resolve(packageManifest().root, 'schema', 'experiment.schema.json');
  const schemaInProject = !relative(io.cwd, schemaFile).startsWith('..') && !isAbsolute(relative(io.cwd, schemaFile));
  const schemaPath = schemaInProject ? relative(dirname(path), schemaFile).split(sep).join('/') : undefined;
  const text = renderExperiment(answers, { file, schemaPath });
  try {
    await loadExperimentText(text, file, { registry: createRegistry(), env: io.env });
  } catch (error) {
    if (error instanceof InvalidInputError) out.error(`the experiment these answers make would not be valid, so nothing was written:`);
    throw error;
  }
  await mkdir(dirname(path), { recursive: true });
  try {
    await writeFile(path, text, { flag: flags.force ? 'w' : 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw existsError(file);
    throw new ChaosError(`cannot write ${file}: ${(error as Error).message}`, { code: 'E_INIT_WRITE', exitCode: ExitCode.InvalidInput, cause: error });
  }
  const next = [
    [`npx chaos validate ${file}`, 'check it again after you edit it; contacts nothing'],
    [`npx chaos plan ${file}`, 'connect to the target and show what would be injected; injects nothing'],
    [`npx chaos run ${file}`, 'the drill: exit 0 when every objective held, 1 when one failed'],
  ] as const;
  out.result(`${out.green('wrote')} ${file}: ${answers.fault} on ${targetSummary(answers)}, ${answers.rate} req/s of load, RTO ≤ ${answers.rto}; it validates`);
  out.result('Next:');
  const width = Math.max(...next.map(([command]) => command.length));
  for (const [command, why] of next) out.result(`  ${command.padEnd(width)}   ${out.dim(why)}`);
  for (const warning of await warningsFor(io, answers)) out.error(out.yellow(`warning: ${warning}`));
  out.data({ ok: true, file, path, experiment: answers.name, fault: answers.fault, target: answers.target.kind, next: next.map(([command]) => command) });
  return ExitCode.Ok;
}

/** `experiments/Orders API.yaml` → `orders-api`: a valid experiment name from a file name. */
function nameOf(file: string): string {
  const base = basename(file, extname(file)).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '');
  return base === '' ? DEFAULTS.name : base;
}

async function refuseExisting(io: CliIo, file: string, force: boolean): Promise<void> {
  if (force) return;
  if ((await stat(resolve(io.cwd, file)).catch(() => null)) !== null) throw existsError(file);
}

function existsError(file: string): ChaosError {
  return new ChaosError(`${file} exists; chaos init does not overwrite a file`, {
    code: 'E_INIT_EXISTS',
    exitCode: ExitCode.InvalidInput,
    hint: `name another file (chaos init experiments/other.yaml …), or add --force to replace ${file}`,
  });
}

function targetSummary({ target }: InitAnswers): string {
  switch (target.kind) {
    case 'command':
      return `the process \`${target.command.join(' ')}\` (started by the run)`;
    case 'pid-file':
      return `the process in ${target.pidFile}`;
    case 'toxiproxy':
      return `proxy ${target.proxy} of ${target.apiUrl}`;
    case 'kubernetes':
      return `pods ${target.selector} in namespace ${target.namespace}`;
  }
}

/** What is legal but probably not meant: said once, after writing, since the file is still the right start. */
async function warningsFor(io: CliIo, answers: InitAnswers): Promise<string[]> {
  const warnings: string[] = [];
  const { target } = answers;
  if (target.kind === 'pid-file' && (await stat(resolve(io.cwd, target.pidFile)).catch(() => null)) === null) {
    warnings.push(`${target.pidFile} does not exist (yet); \`chaos plan\` says whether the run will find the process`);
  }
  const { faultMs, rtoMs } = scaffoldTiming(answers);
  const outage = answers.fault !== 'toxiproxy.latency' && answers.fault !== 'kubernetes.pod-kill';
  if (outage && rtoMs <= faultMs) {
    warnings.push(`the RTO budget (${answers.rto}) is not longer than the fault (${answers.duration}), which the outage lasts at least: every run will fail its RTO`);
  }
  return warnings;
}
