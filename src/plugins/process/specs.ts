/** The `process` plugin's types as the registry knows them before the plugin is loaded: names, descriptions, schemas. */
import { z } from 'zod';
import { durationSchema } from '../../units/duration.js';
import type { FaultSpec, ProbeSpec } from '../api.js';
import { signalNameSchema } from './signal-name.js';

export const killSpec = {
  type: 'process.kill',
  description: 'Kill the process with a signal (default SIGKILL); a process started by the run is started again on revert',
  params: z.object({ signal: signalNameSchema.default('SIGKILL').describe('the signal to send') }).strict(),
} satisfies FaultSpec;

export const pauseSpec = {
  type: 'process.pause',
  description: 'Stop the process with SIGSTOP; SIGCONT on revert',
  params: z.object({}).strict(),
} satisfies FaultSpec;

export const restartSpec = {
  type: 'process.restart',
  description: 'Stop a process the run started (signal, grace, SIGKILL) and start it again',
  params: z
    .object({
      signal: signalNameSchema.default('SIGTERM').describe('the signal that asks the process to stop'),
      grace: durationSchema.prefault('5s').describe('how long the process may take to exit before SIGKILL'),
    })
    .strict(),
} satisfies FaultSpec;

export const runningSpec = {
  type: 'process.running',
  description: 'Whether the process is alive and not stopped',
  needsTarget: true,
  params: z.object({ running: z.boolean().default(true).describe('true: the process must be running; false: it must not be') }).strict(),
} satisfies ProbeSpec;
