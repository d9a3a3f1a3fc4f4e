/**
 * The ResourceTracker handed to plugins: what a target starts (a managed process) goes into the fault ledger as a
 * `resource` entry, so `chaos recover` releases it if the runner dies.
 */
import type { JsonObject } from '../json.js';
import type { ResourceTracker } from '../plugins/api.js';
import type { Ledger, LedgerTarget } from './ledger.js';

export function resourceTracker(ledger: Ledger, target: LedgerTarget): ResourceTracker {
  return {
    async acquired(type: string, state: JsonObject, description: string) {
      const id = await ledger.begin('resource', type, target, {}, description);
      await ledger.markActive(id, state);
      return { id };
    },
    async released(handle) {
      await ledger.markReverted(handle.id);
    },
  };
}
