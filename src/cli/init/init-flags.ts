/**
 * `chaos init`'s flags, checked before anything is asked: each value with the check its question uses, and how the
 * flags fit together (one kind of target, a fault that kind offers). Every problem is reported at once.
 */
import { ChaosError, ExitCode } from '../../errors.js';
import {
  checkCommand,
  checkContext,
  checkDuration,
  checkHttpUrl,
  checkName,
  checkNamespace,
  checkPath,
  checkPercent,
  checkProxyName,
  checkRate,
  checkSelector,
} from './answer-checks.js';
import type { AnswerCheck } from './prompter.js';
import { FAULT_NAMES, FAULTS_BY_TARGET, type ScaffoldedFault, type TargetKind } from './scaffold-choices.js';

export interface InitFlags {
  name?: string;
  url?: string;
  target?: 'process' | 'toxiproxy' | 'kubernetes';
  command?: string;
  'pid-file'?: string;
  'toxiproxy-url'?: string;
  proxy?: string;
  namespace?: string;
  selector?: string;
  context?: string;
  fault?: string;
  duration?: string;
  rate?: string;
  rto?: string;
  availability?: string;
  p95?: string;
}

/** Which `--target` each target flag belongs to. */
const FLAG_TARGET: ReadonlyArray<[keyof InitFlags, 'process' | 'toxiproxy' | 'kubernetes']> = [
  ['command', 'process'],
  ['pid-file', 'process'],
  ['toxiproxy-url', 'toxiproxy'],
  ['proxy', 'toxiproxy'],
  ['namespace', 'kubernetes'],
  ['selector', 'kubernetes'],
  ['context', 'kubernetes'],
];

export interface CheckedFlags {
  kind: TargetKind | undefined;
  /** What the flags say of the target when they do not say which kind of process: `--target process`. */
  family: string | undefined;
  name?: string;
  url?: string;
  command?: string[];
  pidFile?: string;
  toxiproxyUrl?: string;
  proxy?: string;
  namespace?: string;
  selector?: string;
  context?: string;
  fault?: ScaffoldedFault;
  duration?: string;
  rate?: number;
  rto?: string;
  availability?: string;
  p95?: string;
}

/** Checks every flag given and how they fit together; throws one error listing every problem. */
export function checkFlags(flags: InitFlags): CheckedFlags {
  const problems: string[] = [];
  const checkOne = <T>(flag: keyof InitFlags, check: AnswerCheck<T>): T | undefined => {
    const given = flags[flag];
    if (given === undefined) return undefined;
    const result = check(String(given));
    if (result.ok) return result.value;
    problems.push(`--${flag}: ${result.message}`);
    return undefined;
  };
  const checked: CheckedFlags = {
    kind: undefined,
    family: undefined,
    name: checkOne('name', checkName),
    url: checkOne('url', checkHttpUrl),
    command: checkOne('command', checkCommand),
    pidFile: checkOne('pid-file', checkPath),
    toxiproxyUrl: checkOne('toxiproxy-url', checkHttpUrl),
    proxy: checkOne('proxy', checkProxyName),
    namespace: checkOne('namespace', checkNamespace),
    selector: checkOne('selector', checkSelector),
    context: checkOne('context', checkContext),
    duration: checkOne('duration', checkDuration),
    rate: checkOne('rate', checkRate),
    rto: checkOne('rto', checkDuration),
    availability: checkOne('availability', checkPercent),
    p95: checkOne('p95', checkDuration),
  };

  const families = new Map<string, string>();
  if (flags.target !== undefined) families.set(flags.target, '--target');
  for (const [flag, family] of FLAG_TARGET) {
    if (flags[flag] !== undefined && !families.has(family)) families.set(family, `--${flag}`);
  }
  if (families.size > 1) {
    const named = [...families.entries()].map(([family, flag]) => `${flag} (a ${family} target)`);
    problems.push(`${named.join(' and ')}: one experiment scaffolds one target; give the flags of one kind`);
  }
  if (flags.command !== undefined && flags['pid-file'] !== undefined) {
    problems.push('--command and --pid-file: a process is either started by the run (--command) or already running (--pid-file), not both');
  }
  const family = families.size === 1 ? [...families.keys()][0] : undefined;
  let kind: TargetKind | undefined =
    family === 'process' ? (flags['pid-file'] !== undefined ? 'pid-file' : flags.command !== undefined ? 'command' : undefined) : (family as TargetKind | undefined);

  if (flags.fault !== undefined) {
    const fault = FAULT_NAMES[flags.fault] ?? (Object.values(FAULT_NAMES).includes(flags.fault as ScaffoldedFault) ? (flags.fault as ScaffoldedFault) : undefined);
    const offered = kind === undefined ? Object.values(FAULTS_BY_TARGET).flat() : FAULTS_BY_TARGET[kind];
    if (fault === undefined || !(offered as readonly string[]).includes(fault)) {
      const names = Object.entries(FAULT_NAMES)
        .filter(([, type]) => (offered as readonly string[]).includes(type))
        .map(([short]) => short);
      problems.push(`--fault ${flags.fault}: ${kind === undefined ? 'chaos init scaffolds' : `a ${kind} target takes`} ${names.join(', ')}`);
    } else {
      checked.fault = fault;
      // A fault names its kind of target: --fault latency alone means a Toxiproxy target.
      if (kind === undefined && family === undefined) kind = fault.startsWith('toxiproxy.') ? 'toxiproxy' : fault.startsWith('kubernetes.') ? 'kubernetes' : undefined;
    }
  }
  if (problems.length > 0) {
    throw new ChaosError(`chaos init cannot use these flags:\n  ${problems.join('\n  ')}`, {
      code: 'E_INIT_FLAGS',
      exitCode: ExitCode.InvalidInput,
      hint: 'nothing was written; see chaos init --help',
    });
  }
  checked.kind = kind;
  checked.family = family;
  return checked;
}

/** The flags still needed when nothing can be asked. */
export function missingFlags(flags: InitFlags, { kind, family }: CheckedFlags): string[] {
  const missing: string[] = [];
  if (flags.url === undefined) missing.push('--url');
  if (kind === undefined) {
    missing.push(family === 'process' ? '--command or --pid-file' : 'a fault target (--command, --pid-file, --toxiproxy-url with --proxy, or --namespace with --selector)');
  }
  if (kind === 'toxiproxy') {
    if (flags['toxiproxy-url'] === undefined) missing.push('--toxiproxy-url');
    if (flags.proxy === undefined) missing.push('--proxy');
  }
  if (kind === 'kubernetes') {
    if (flags.namespace === undefined) missing.push('--namespace');
    if (flags.selector === undefined) missing.push('--selector');
  }
  return missing;
}
