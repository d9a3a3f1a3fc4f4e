/**
 * The options every command shares, and `--var`, as yargs options. Loaded at start with main.ts, so it imports
 * nothing but yargs' types.
 */
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import type { CliIo } from './io.js';

export interface GlobalFlags {
  'state-dir': string;
  state?: string;
  quiet: boolean;
  json: boolean;
  verbose: boolean;
}

export function withGlobalOptions<T>(y: Argv<T>) {
  return y
    .option('state-dir', { type: 'string', default: '.chaos', describe: 'local state: the fault ledger and locks unless --state says otherwise', global: true })
    .option('state', {
      type: 'string',
      describe: 'where the ledger, locks and liveness live: file:DIR (default file:<state-dir>), kubernetes://NAMESPACE or kubernetes:// (also CHAOS_STATE)',
      global: true,
    })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'print only errors and the verdict', global: true })
    .option('json', { type: 'boolean', default: false, describe: 'print a JSON result on stdout', global: true })
    .option('verbose', { type: 'boolean', default: false, describe: 'print debug output and stack traces', global: true });
}

export function withVars<T>(y: Argv<T>) {
  return y.option('var', {
    type: 'string',
    array: true,
    default: [] as string[],
    describe: 'set vars.NAME for ${vars.NAME} (repeatable): --var name=value',
  });
}

export function stateDirOf(io: Pick<CliIo, 'cwd'>, flags: GlobalFlags): string {
  return resolve(io.cwd, flags['state-dir']);
}
