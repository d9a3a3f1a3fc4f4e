/**
 * Redaction of secret values: whatever is written (journal, reports, ledger, logs) goes through a redactor built from
 * the LoadedExperiment's secretValues.
 */
import type { Json } from '../json.js';

export const REDACTED = '[redacted]';

/**
 * Returns a function that replaces every occurrence of a secret value inside strings (values and object keys) with
 * "[redacted]". Longer secrets are replaced first so that a secret containing another is hidden whole. Empty values
 * are ignored: replacing "" would corrupt every string.
 */
export function createRedactor(secretValues: readonly string[]): <T extends Json>(value: T) => T {
  const secrets = [...new Set(secretValues.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
  const redactString = (text: string): string => {
    let out = text;
    for (const secret of secrets) out = out.split(secret).join(REDACTED);
    return out;
  };
  const redact = (value: Json): Json => {
    if (typeof value === 'string') return redactString(value);
    if (Array.isArray(value)) return value.map(redact);
    if (value !== null && typeof value === 'object') {
      const out: { [key: string]: Json } = {};
      for (const [key, item] of Object.entries(value)) out[redactString(key)] = redact(item);
      return out;
    }
    return value;
  };
  return <T extends Json>(value: T): T => (secrets.length === 0 ? value : (redact(value) as T));
}
