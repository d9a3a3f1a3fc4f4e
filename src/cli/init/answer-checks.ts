/**
 * The checks `chaos init` applies to every answer, whether it came from a flag or a question: each says what is
 * wrong in words a person can act on, so a question can be asked again and a flag refused with the same message.
 */
import { parse as parseShellWords } from 'shell-quote';
import { parseDuration } from '../../units/duration.js';
import { parsePercent } from '../../units/percent.js';
import { NAME_PATTERN } from '../../experiment/schema.js';
import type { AnswerCheck } from './prompter.js';

const fail = (message: string) => ({ ok: false as const, message });
const pass = <T>(value: T) => ({ ok: true as const, value });

export const checkName: AnswerCheck<string> = (answer) =>
  NAME_PATTERN.test(answer) ? pass(answer) : fail(`"${answer}" is not a name: use lowercase letters, digits, ".", "_" or "-", e.g. orders-api`);

/** An http(s) URL: the service's health endpoint, or a Toxiproxy API. */
export const checkHttpUrl: AnswerCheck<string> = (answer) => {
  let url: URL;
  try {
    url = new URL(answer);
  } catch {
    return fail(`"${answer}" is not a URL: write it whole, e.g. http://127.0.0.1:8080/healthz`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fail(`"${answer}" is not an http or https URL`);
  return pass(answer);
};

/** A duration above zero, as experiment files write it ("10s"). */
export const checkDuration: AnswerCheck<string> = (answer) => {
  const parsed = parseDuration(answer);
  if (!parsed.ok) return fail(`${parsed.message} (${parsed.hint})`);
  return parsed.ms > 0 ? pass(answer) : fail(`"${answer}" is no time at all: write e.g. 10s`);
};

export const checkPercent: AnswerCheck<string> = (answer) => {
  const parsed = parsePercent(answer);
  return parsed.ok ? pass(answer) : fail(`${parsed.message} (${parsed.hint})`);
};

/** Requests per second of the load: enough to measure, bounded so a typo does not become a load test. */
export const checkRate: AnswerCheck<number> = (answer) => {
  const rate = Number(answer);
  return Number.isFinite(rate) && rate > 0 && rate <= 10_000 ? pass(rate) : fail(`"${answer}" is not a rate: write requests per second, from 1 to 10000, e.g. 20`);
};

/**
 * A command line split into the argv a process target runs without a shell. Shell features cannot be honoured
 * there, so they are refused with the way out rather than passed along as literal words.
 */
export const checkCommand: AnswerCheck<string[]> = (answer) => {
  const variables: string[] = [];
  const words = parseShellWords(answer, (name) => {
    variables.push(name);
    return '';
  });
  if (variables.length > 0) {
    return fail(`"${answer}" uses $${variables[0]}: the command runs without a shell, so write the value itself (or put it in a script)`);
  }
  const special = words.find((w) => typeof w !== 'string');
  if (special !== undefined) {
    const what = 'op' in special ? special.op === 'glob' ? `the pattern ${special.pattern}` : `"${special.op}"` : 'a comment';
    return fail(`"${answer}" uses ${what}: the command runs without a shell; put the pipeline in a script and name the script`);
  }
  const argv = words as string[];
  return argv.length > 0 ? pass(argv) : fail('the command is empty: write how you start the service, e.g. node server.js');
};

export const checkPath: AnswerCheck<string> = (answer) => (answer !== '' ? pass(answer) : fail('write a path, e.g. /run/orders.pid'));

export const checkProxyName: AnswerCheck<string> = (answer) =>
  /^[A-Za-z0-9._-]+$/.test(answer) ? pass(answer) : fail(`"${answer}" is not a proxy name: letters, digits, ".", "_" or "-"`);

export const checkNamespace: AnswerCheck<string> = (answer) =>
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(answer) ? pass(answer) : fail(`"${answer}" is not a namespace name (lowercase letters, digits and "-")`);

/** A label selector as kubectl takes it (`app=web`, `tier in (web, api)`); the API server has the last word on it. */
export const checkSelector: AnswerCheck<string> = (answer) => (answer.trim() !== '' ? pass(answer.trim()) : fail('write a label selector, e.g. app=web'));

export const checkContext: AnswerCheck<string> = (answer) => (answer !== '' ? pass(answer) : fail('write a kubeconfig context name'));
