/**
 * `--state` (or CHAOS_STATE) as a state backend, for the commands that keep or read run state (run, gameday,
 * recover, journal verify); a module of its own so that the commands that need none (validate, plan, list) do not
 * load the state layer.
 */
import type { StateBackend } from '../state/backend.js';
import { FileStateBackend } from '../state/file-backend.js';
import { openStateBackend, parseStateSpec } from '../state/state-spec.js';
import type { CliIo } from './io.js';
import { stateDirOf, type GlobalFlags } from './options.js';

/** The state backend of `--state`, else CHAOS_STATE, else the file backend on `--state-dir`. A bad spec: exit 2. */
export async function stateOf(io: CliIo, flags: GlobalFlags): Promise<StateBackend> {
  const text = flags.state ?? io.env['CHAOS_STATE'];
  if (text === undefined || text.trim() === '') return new FileStateBackend(stateDirOf(io, flags));
  return openStateBackend(parseStateSpec(text, io.cwd));
}
