/**
 * The experiment file `chaos init` writes: YAML with comments that say why each part is there and what to change.
 * Values that come from the user are written as JSON strings (valid YAML double-quoted scalars), so no answer can
 * change the document's structure.
 */
import { formatDuration, parseDuration } from '../../units/duration.js';
import type { FaultTarget, InitAnswers, ScaffoldedFault } from './scaffold-choices.js';
import { note, q, steadyStateLines, TARGET_NAME, targetLines } from './target-lines.js';

/** The latency `toxiproxy.latency` adds in a scaffold: noticeable, and far from any timeout. */
const SCAFFOLD_LATENCY_MS = 300;
/** Load and watching before the fault: the `before` window the SLOs judge. */
const BASELINE_MS = 5_000;
/** Watching after the revert, at least: the `after` window. */
const MIN_AFTER_MS = 5_000;


export interface TemplateContext {
  /** Where the file goes, as the user will type it in commands. */
  file: string;
  /**
   * The JSON Schema, relative to the file's folder, for editors (yaml-language-server); undefined when chaosdrill is
   * not installed inside the project, where a path would only hold on this machine.
   */
  schemaPath: string | undefined;
}

const ms = (text: string) => {
  const parsed = parseDuration(text);
  if (!parsed.ok) throw new Error(`unchecked duration ${text}`);
  return parsed.ms;
};

/** The method's timing: the fault, then watching until the RTO budget is spent, so a late recovery is still seen. */
export function scaffoldTiming(answers: InitAnswers) {
  const faultMs = ms(answers.duration);
  const rtoMs = ms(answers.rto);
  // Latency is no outage: nothing to wait for after the revert but the `after` window itself.
  const afterMs = answers.fault === 'toxiproxy.latency' ? MIN_AFTER_MS : Math.max(MIN_AFTER_MS, rtoMs - faultMs);
  // Room for starting the target, the steady state before and after, and stopping: a minute, rounded up to minutes.
  const maxDurationMs = Math.ceil((BASELINE_MS + faultMs + afterMs + 60_000) / 60_000) * 60_000;
  return { faultMs, rtoMs, afterMs, maxDurationMs };
}

export function renderExperiment(answers: InitAnswers, context: TemplateContext): string {
  const { target, fault } = answers;
  const timing = scaffoldTiming(answers);
  const stepName = STEP_NAME[fault];
  const lines = [
    ...(context.schemaPath === undefined
      ? [
          '# For completion and checks in your editor (yaml-language-server): npx chaos schema > experiment.schema.json,',
          '# then make the first line of this file: # yaml-language-server: $schema=<its path from this folder>',
        ]
      : [`# yaml-language-server: $schema=${context.schemaPath}`]),
    '#',
    `# ${titleOf(answers)}.`,
    '# Scaffolded by `chaos init`: the comments say why each part is there and what to change for your service.',
    '#',
    ...commandLines(context.file, fault),
    'version: 1',
    `name: ${answers.name}`,
    `title: ${q(titleOf(answers))}`,
    `tags: [scaffolded, ${fault.split('.')[0]}]`,
    '',
    ...targetLines(target, answers.url),
    '',
    '# Hard limits. A run still going after maxDuration is aborted, and every fault is reverted (exit 3).',
    'safety:',
    `  maxDuration: ${formatDuration(timing.maxDurationMs)}`,
    ...(target.kind === 'kubernetes'
      ? [
          note(`  allowNamespaces: [${q(target.namespace)}]`, 'destructive Kubernetes faults run only in the namespaces listed here'),
          note('  blastRadius: { maxPods: 1 }', 'refuse to kill more than one pod, whatever the selector matches'),
        ]
      : []),
    '  # Guardrails stop the drill early when it hurts more than planned, for example:',
    '  # abortWhen:',
    '  #   - { errorRate: { above: 50% }, over: 5s, for: 2s }',
    '',
    '# Load for the whole method, judged by the SLOs below. `type: http` is the open model: each request leaves at',
    '# its scheduled time whatever is still outstanding, and its latency counts from then, so a stalled service shows',
    '# in the numbers instead of being hidden. Point `url` at an endpoint your users call (`chaos init --load-url`);',
    '# set `rate` to a share of your real traffic.',
    'load:',
    '  type: http',
    `  url: ${q(answers.loadUrl)}`,
    note(`  rate: ${answers.rate}`, 'requests per second'),
    note('  timeout: 5s', 'a request unanswered 5 s after its scheduled time counts as a timeout'),
    '',
    '# The steady-state hypothesis: what "healthy" means. It is checked before anything is injected (if it does not',
    '# hold, nothing is injected: the system was not healthy to begin with) and again after every fault was reverted.',
    'steadyState:',
    '  - name: the service answers',
    '    probe:',
    '      type: http',
    `      url: ${q(answers.url)}`,
    '      expect: { status: 200 }',
    '      timeout: 2s',
    ...steadyStateLines(target),
    '',
    '# The method: the steps, in order. A fault is reverted when its `duration` ends, and always: when a step fails,',
    '# on Ctrl-C or SIGTERM, and after a crash of the runner with `npx chaos recover`.',
    'method:',
    note(`  - pause: ${formatDuration(BASELINE_MS)}`, 'load on the healthy service: the `before` window'),
    `  - name: ${stepName}`,
    faultLine(answers),
    note(`    duration: ${answers.duration}`, DURATION_NOTE[fault]),
    note(
      `  - pause: ${formatDuration(timing.afterMs)}`,
      fault === 'toxiproxy.latency' ? 'the `after` window: latency back to normal?' : 'keep watching until the RTO budget is spent: a recovery after the run is not seen',
    ),
    '',
    '# Objectives decide the exit code: 0 when every one holds, 1 when one fails. Each result states its precision.',
    'objectives:',
    note('  rto:', 'from the fault to the first of `recoveredAfter` good probes in a row'),
    `    max: ${answers.rto}`,
    `    from: ${stepName}`,
    `    probe: { type: http, url: ${q(answers.url)}, expect: { status: 200 } }`,
    note('    interval: 200ms', 'the RTO is measured to ± one interval'),
    note('    timeout: 1s', 'a probe unanswered this long failed'),
    '    recoveredAfter: 3',
    note('  slo:', "over the load's requests in a window: before, during or after the fault, or run"),
    ...sloLines(answers),
    '',
  ];
  return lines.join('\n');
}

/** The commands to try, aligned, in the file's header. */
function commandLines(file: string, fault: ScaffoldedFault): string[] {
  const lines = [
    [`npx chaos validate ${file}`, 'checks the file, every problem at once; contacts nothing'],
    [`npx chaos plan ${file}`, 'connects to the target and shows what would be injected; injects nothing'],
    [`npx chaos run ${file}`, 'the drill: exit 0 when every objective held, 1 when one failed'],
    [`npx chaos list ${fault}`, 'every parameter of a type used here, with its default'],
  ];
  const width = Math.max(...lines.map(([command]) => command.length));
  return lines.map(([command, why]) => `#   ${command.padEnd(width)}   ${why}`);
}

function titleOf({ name, fault, duration, rto, target }: InitAnswers): string {
  switch (fault) {
    case 'process.pause':
      return `${name} answers again within ${rto} of being frozen for ${duration}`;
    case 'process.kill':
      return target.kind === 'command'
        ? `${name} answers again within ${rto} of being killed and started again after ${duration}`
        : `${name} answers again within ${rto} of being killed (its supervisor restarts it)`;
    case 'toxiproxy.latency':
      return `${name} keeps its SLOs with ${SCAFFOLD_LATENCY_MS} ms more latency for ${duration}`;
    case 'toxiproxy.down':
      return `${name} answers again within ${rto} of its network link being cut for ${duration}`;
    case 'kubernetes.pod-kill':
      return `${name} answers again within ${rto} of one of its pods being killed`;
  }
}

const STEP_NAME: Record<ScaffoldedFault, string> = {
  'process.pause': 'freeze the service',
  'process.kill': 'kill the service',
  'toxiproxy.latency': 'slow the network down',
  'toxiproxy.down': 'cut the network link',
  'kubernetes.pod-kill': 'kill a pod',
};

const DURATION_NOTE: Record<ScaffoldedFault, string> = {
  'process.pause': 'frozen this long, then SIGCONT',
  'process.kill': 'reverted after this long',
  'toxiproxy.latency': 'then the toxic is removed',
  'toxiproxy.down': 'then the proxy is enabled again',
  'kubernetes.pod-kill': 'a pod kill has nothing to revert; this marks the `during` window',
};

function faultLine({ fault, target }: InitAnswers): string {
  const on = `target: ${TARGET_NAME[target.kind]}`;
  switch (fault) {
    case 'process.pause':
      return note(`    fault: { type: process.pause, ${on} }`, 'SIGSTOP: it holds its sockets and answers nothing');
    case 'process.kill':
      return target.kind === 'command'
        ? note(`    fault: { type: process.kill, ${on} }`, 'SIGKILL; the revert starts the command again')
        : note(`    fault: { type: process.kill, ${on} }`, 'SIGKILL; chaosdrill never restarts what it did not start: your supervisor must');
    case 'toxiproxy.latency':
      return `    fault: { type: toxiproxy.latency, ${on}, proxy: ${q(proxyOf(target))}, latency: ${SCAFFOLD_LATENCY_MS}ms, jitter: 30ms }`;
    case 'toxiproxy.down':
      return note(`    fault: { type: toxiproxy.down, ${on}, proxy: ${q(proxyOf(target))} }`, 'the proxy is disabled: connections refused and cut');
    case 'kubernetes.pod-kill':
      return note(`    fault: { type: kubernetes.pod-kill, ${on}, labelSelector: ${q(selectorOf(target))} }`, 'one matching pod, at random (the seed is recorded)');
  }
}

function proxyOf(target: FaultTarget): string {
  if (target.kind !== 'toxiproxy') throw new Error(`a toxiproxy fault on a ${target.kind} target`);
  return target.proxy;
}

function selectorOf(target: FaultTarget): string {
  if (target.kind !== 'kubernetes') throw new Error(`a kubernetes fault on a ${target.kind} target`);
  return target.selector;
}

function sloLines({ fault, target, availability, p95 }: InitAnswers): string[] {
  const before = [
    `    - { name: availability before the fault, availability: { atLeast: ${availability} }, window: before }`,
    `    - { name: p95 before the fault, latency: { p: 95, below: ${p95} }, window: before }`,
  ];
  if (fault === 'toxiproxy.latency') {
    const budget = formatDuration(ms(p95) + SCAFFOLD_LATENCY_MS);
    before.push(note(`    - { name: p95 while latency is injected, latency: { p: 95, below: ${budget} }, window: during }`, `your budget plus the ${SCAFFOLD_LATENCY_MS} ms added`));
  }
  // After a kill that chaosdrill does not undo, the service is back when its supervisor says so: the RTO judges
  // that, and an `after` window starting at the (empty) revert would fail for a recovery still within budget.
  const revertEndsOutage = !(fault === 'kubernetes.pod-kill' || (fault === 'process.kill' && target.kind === 'pid-file'));
  if (!revertEndsOutage) return before;
  return [
    ...before,
    `    - { name: availability after the revert, availability: { atLeast: ${availability} }, window: after }`,
    `    - { name: p95 after the revert, latency: { p: 95, below: ${p95} }, window: after }`,
  ];
}
