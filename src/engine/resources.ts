/**
 * The ResourceTracker handed to plugins: what a target starts (a managed process) goes into the fault ledger as a
 * `resource` entry, so `chaos recover` releases it if the runner dies.
 */
import type { Redactor } from '../experiment/redact.js';
import type { JsonObject } from '../json.js';
import type { ResourceTracker } from '../plugins/api.js';
import type { Ledger, LedgerTarget } from './ledger.js';

/** `redact` hides secrets in what the plugin records (a managed process's argv, its description). */
export function resourceTracker(ledger: Ledger, target: LedgerTarget, redact: Redactor): ResourceTracker {
  return {
    async acquired(type: string, state: JsonObject, description: string) {
      const id = await ledger.begin('resource', type, target, {}, redact(description));
      await ledger.markActive(id, redact(state));
      return { id };
    },
    async released(handle) {
      await ledger.markReverted(handle.id);
    },
  };
}
