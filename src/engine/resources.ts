/**
 * The ResourceTracker handed to plugins: what a target starts (a managed process, a proxy on a real Toxiproxy)
 * goes into the fault ledger as a `resource` entry, so `chaos recover` releases it if the runner dies. The entry,
 * with what finds the resource, is written before the resource is created: a crash between the two leaves an
 * intent that recover releases whether or not the resource came to exist.
 */
import type { Redactor } from '../experiment/redact.js';
import type { JsonObject } from '../json.js';
import type { ResourceTracker } from '../plugins/api.js';
import type { Ledger, LedgerTarget } from '../state/ledger.js';

/** `redact` hides secrets in what the plugin records (a managed process's argv, its description). */
export function resourceTracker(ledger: Ledger, target: LedgerTarget, redact: Redactor): ResourceTracker {
  return {
    async intend(type: string, state: JsonObject, description: string) {
      return { id: await ledger.begin('resource', type, target, {}, redact(description), redact(state)) };
    },
    async acquired(handle, state: JsonObject) {
      await ledger.markActive(handle.id, redact(state));
    },
    async released(handle) {
      await ledger.markReverted(handle.id);
    },
  };
}
