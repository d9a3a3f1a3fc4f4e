/**
 * What `chaos init` needs to know, gathered from flags first, then from questions on a terminal. Every flag is checked
 * before anything is asked, and all problems are reported together; without a terminal, a missing answer is an
 * input error that names the flags to give.
 */
import { ChaosError, ExitCode } from '../../errors.js';
import { formatDuration, parseDuration } from '../../units/duration.js';
import { checkCommand, checkDuration, checkHttpUrl, checkName, checkNamespace, checkPath, checkPercent, checkProxyName, checkSelector } from './answer-checks.js';
import { checkFlags, missingFlags, type CheckedFlags, type InitFlags } from './init-flags.js';
import type { AnswerCheck, Prompter } from './prompter.js';
import { DEFAULTS, FAULTS_BY_TARGET, type FaultTarget, type InitAnswers, type ScaffoldedFault, type TargetKind } from './scaffold-choices.js';

const TARGET_CHOICES: ReadonlyArray<{ key: TargetKind; label: string }> = [
  { key: 'command', label: 'a process chaosdrill starts for the run (you give the command)' },
  { key: 'pid-file', label: 'a process that is already running (you give its PID file)' },
  { key: 'toxiproxy', label: 'the network in front of the service: a Toxiproxy proxy' },
  { key: 'kubernetes', label: 'pods in a Kubernetes namespace (a label selector)' },
];

const MISSING_HINT =
  'for example: chaos init --url http://127.0.0.1:8080/healthz --command "node server.js"; instead of --command: ' +
  '--pid-file /run/app.pid, or --toxiproxy-url http://127.0.0.1:8474 --proxy app, or --namespace shop --selector app=web';

/** Resolves every answer; `prompter` is absent when there is no terminal to ask on. */
export async function gatherAnswers(flags: InitFlags, prompter: Prompter | undefined, nameFromFile: string | undefined): Promise<InitAnswers> {
  const checked = checkFlags(flags);
  const kind = checked.kind;
  if (prompter === undefined) {
    const missing = missingFlags(flags, checked);
    if (missing.length > 0) {
      throw new ChaosError(`chaos init needs ${missing.join(' and ')} (stdin is not a terminal, so nothing can be asked)`, {
        code: 'E_INIT_MISSING',
        exitCode: ExitCode.InvalidInput,
        hint: MISSING_HINT,
      });
    }
  }
  const answer = async <T>(given: T | undefined, question: string, check: AnswerCheck<T>, fallback?: string): Promise<T> => {
    if (given !== undefined) return given;
    if (prompter === undefined) {
      const value = fallback === undefined ? undefined : check(fallback);
      if (value?.ok) return value.value;
      throw new Error(`no answer for "${question}"`); // unreachable: missingFlags named it
    }
    return prompter.ask(question, check, fallback);
  };

  const name = nameFromFile ?? (await answer(checked.name, 'Experiment name (also the file name)', checkName, DEFAULTS.name));
  const url = await answer(checked.url, "URL of your service's health endpoint (it answers 200 while the service is healthy)", checkHttpUrl);
  const processOnly = checked.family === 'process' || checked.fault?.startsWith('process.') === true;
  const choices = processOnly ? TARGET_CHOICES.filter((c) => c.key === 'command' || c.key === 'pid-file') : TARGET_CHOICES;
  const targetKind = kind ?? (await prompter!.choose('What should the fault act on?', choices, 'command'));
  const target = await answerTarget(targetKind, checked, answer);
  const faults: readonly ScaffoldedFault[] = FAULTS_BY_TARGET[targetKind];
  const fault =
    checked.fault ??
    (prompter === undefined || faults.length === 1
      ? faults[0]
      : await prompter.choose('Which fault?', faults.map((f) => ({ key: f, label: faultLabel(f, targetKind) })), faults[0]));
  const duration = await answer(checked.duration, 'How long the fault lasts', checkDuration, DEFAULTS.duration);
  const rto = await answer(checked.rto, 'RTO: the longest acceptable time from the fault until the service answers again', checkDuration, defaultRto(duration));
  const availability = await answer(checked.availability, 'SLO: availability outside the fault (share of requests that succeed)', checkPercent, DEFAULTS.availability);
  const p95 = await answer(checked.p95, 'SLO: p95 latency outside the fault', checkDuration, DEFAULTS.p95);
  return { name, url, loadUrl: checked.loadUrl ?? url, target, fault, duration, rate: checked.rate ?? Number(DEFAULTS.rate), rto, availability, p95 };
}

function faultLabel(fault: ScaffoldedFault, kind: TargetKind): string {
  switch (fault) {
    case 'process.pause':
      return 'pause: freeze it (SIGSTOP, SIGCONT on revert), like a hung process or a long GC pause';
    case 'process.kill':
      return kind === 'command' ? 'kill: SIGKILL; the run starts it again on revert' : 'kill: SIGKILL; its supervisor must start it again';
    case 'toxiproxy.latency':
      return 'latency: 300 ms more on every answer';
    case 'toxiproxy.down':
      return 'partition: cut the link (connections refused and cut; restored on revert)';
    case 'kubernetes.pod-kill':
      return 'pod-kill: delete one matching pod; its controller replaces it';
  }
}

/**
 * The RTO budget when none is given: the fault's own length, which an outage lasts at least, plus 20 s to recover.
 * A budget shorter than the fault would fail every run by construction.
 */
export function defaultRto(duration: string): string {
  const parsed = parseDuration(duration);
  return formatDuration((parsed.ok ? parsed.ms : 10_000) + 20_000);
}

type Answer = <T>(given: T | undefined, question: string, check: AnswerCheck<T>, fallback?: string) => Promise<T>;

async function answerTarget(kind: TargetKind, flags: CheckedFlags, answer: Answer): Promise<FaultTarget> {
  switch (kind) {
    case 'command':
      return { kind, command: await answer(flags.command, 'Command that starts the service (run from this directory, without a shell)', checkCommand) };
    case 'pid-file':
      return { kind, pidFile: await answer(flags.pidFile, 'PID file of the running service', checkPath) };
    case 'toxiproxy':
      return {
        kind,
        apiUrl: await answer(flags.toxiproxyUrl, 'Toxiproxy API URL', checkHttpUrl, 'http://127.0.0.1:8474'),
        proxy: await answer(flags.proxy, 'Name of the Toxiproxy proxy your service is reached through', checkProxyName),
      };
    case 'kubernetes':
      return {
        kind,
        namespace: await answer(flags.namespace, 'Kubernetes namespace', checkNamespace),
        selector: await answer(flags.selector, 'Label selector of the pods to kill (e.g. app=web)', checkSelector),
        context: flags.context,
      };
  }
}

