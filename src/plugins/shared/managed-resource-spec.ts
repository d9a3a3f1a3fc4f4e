/**
 * The `process.managed` resource type, known before any implementation is loaded: the process plugin declares it,
 * and every plugin that starts a ManagedProcess (process, lab) records it.
 */
import type { ResourceSpec } from '../api.js';

export const managedProcessResourceSpec = { type: 'process.managed' } satisfies ResourceSpec;
