/**
 * An RPO store with nothing to open or clean up: one call per record (an HTTP request, a command). A write is
 * acknowledged only on a definite yes; anything else (a no, an error, a timeout) is no acknowledgement.
 */
import type { RpoStore } from '../api.js';

/** `call` answers true (yes), false (a definite no) or null (could not tell); it never throws. */
export function perRecordStore(call: (id: number, op: 'write' | 'read') => Promise<boolean | null>): RpoStore {
  return {
    write: async (id) => ((await call(id, 'write')) === true ? true : null),
    read: (id) => call(id, 'read'),
    close: async () => {},
  };
}
