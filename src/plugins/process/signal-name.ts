import { z } from 'zod';

/** The signals a fault may send. A fixed list, so the JSON Schema does not depend on the platform it was built on. */
export const SIGNAL_NAMES = [
  'SIGKILL',
  'SIGTERM',
  'SIGINT',
  'SIGHUP',
  'SIGQUIT',
  'SIGUSR1',
  'SIGUSR2',
  'SIGABRT',
] as const;

export type SignalName = (typeof SIGNAL_NAMES)[number];

export const signalNameSchema = z.enum(SIGNAL_NAMES);
