/**
 * Questions on a terminal, one line each, for `chaos init`. Lines are read in cooked mode (readline without its
 * terminal handling), so the terminal echoes and edits the line, and answers typed ahead are kept, not lost.
 */
import { createInterface } from 'node:readline';
import { ChaosError, ExitCode } from '../../errors.js';
import type { InputSource, TextSink } from '../io.js';

/** Checks an answer: the value to keep, or a message saying what is wrong (the question is asked again). */
export type AnswerCheck<T> = (answer: string) => { ok: true; value: T } | { ok: false; message: string };

export interface Prompter {
  /** Asks until `check` accepts the answer; an empty answer takes `fallback` when there is one. */
  ask<T>(question: string, check: AnswerCheck<T>, fallback?: string): Promise<T>;
  /** Asks to pick one of `choices` by number or by name. */
  choose<K extends string>(question: string, choices: ReadonlyArray<{ key: K; label: string }>, fallback?: K): Promise<K>;
  close(): void;
}

export function terminalPrompter(stdin: InputSource, stdout: TextSink, signal: AbortSignal): Prompter {
  const rl = createInterface({ input: stdin.stream(), terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const cancelled = new Promise<never>((_, reject) => {
    const abort = () => reject(new ChaosError('cancelled; nothing was written', { code: 'E_INIT_CANCELLED', exitCode: ExitCode.Aborted }));
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
  });
  cancelled.catch(() => undefined);

  const readLine = async (): Promise<string> => {
    const next = await Promise.race([lines.next(), cancelled]);
    if (next.done === true) {
      throw new ChaosError('the input ended before every question was answered; nothing was written', {
        code: 'E_INIT_INPUT_ENDED',
        exitCode: ExitCode.InvalidInput,
        hint: 'answer on a terminal, or give every answer as a flag: chaos init --help',
      });
    }
    return String(next.value).trim();
  };

  const ask = async <T>(question: string, check: AnswerCheck<T>, fallback?: string): Promise<T> => {
    for (;;) {
      stdout.write(`${question}${fallback === undefined ? '' : ` [${fallback}]`}: `);
      const typed = await readLine();
      const answer = typed === '' && fallback !== undefined ? fallback : typed;
      const checked = check(answer);
      if (checked.ok) return checked.value;
      stdout.write(`  ${checked.message}\n`);
    }
  };

  return {
    ask,
    choose: (question, choices, fallback) => {
      const menu = choices.map((c, i) => `  ${i + 1}) ${c.label}`).join('\n');
      const fallbackNumber = fallback === undefined ? undefined : String(choices.findIndex((c) => c.key === fallback) + 1);
      return ask(
        `${question}\n${menu}\nchoose 1-${choices.length}`,
        (answer) => {
          const picked = choices[Number(answer) - 1] ?? choices.find((c) => c.key === answer);
          return picked ? { ok: true, value: picked.key } : { ok: false, message: `answer a number from 1 to ${choices.length}` };
        },
        fallbackNumber,
      );
    },
    close: () => rl.close(),
  };
}
