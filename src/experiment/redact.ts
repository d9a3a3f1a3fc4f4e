/**
 * Redaction of secret values: whatever is written or printed (journal, reports, ledger, console, `--json`, error
 * and validation messages) goes through a redactor built from the secret values the experiment substituted.
 */
import { asJson, type Json, type JsonShaped } from '../json.js';

export const REDACTED = '[redacted]';

/** Hides secrets in a JSON-shaped value (see asJson) and gives back the same shape: only strings change. */
export type Redactor = <T>(value: T & JsonShaped<T>) => T;

/**
 * The forms a secret takes once it is part of something else: as written, percent-encoded as URLs encode a
 * password, a path, a query or a fragment (also with lower-case hex, as some clients write it), form-encoded
 * (`+` for spaces), and escaped inside a JSON string.
 */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  const add = (encode: () => string) => {
    try {
      forms.add(encode());
    } catch {
      // A lone surrogate cannot be encoded: it can then only appear as written.
    }
  };
  add(() => encodeURIComponent(secret));
  add(() => encodeURI(secret));
  add(() => new URLSearchParams({ s: secret }).toString().slice(2));
  add(() => JSON.stringify(secret).slice(1, -1));
  const url = new URL('http://h/');
  add(() => ((url.password = secret), url.password));
  add(() => ((url.username = secret), url.username));
  add(() => ((url.pathname = `/${secret}`), url.pathname.slice(1)));
  add(() => ((url.search = `?${secret}`), url.search.slice(1)));
  add(() => ((url.hash = `#${secret}`), url.hash.slice(1)));
  for (const form of [...forms]) {
    if (/%[0-9A-F]{2}/.test(form)) forms.add(form.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()));
  }
  return [...forms].filter((f) => f.length > 0);
}

/**
 * Returns a function that replaces every occurrence of a secret value, in any of its secretForms, inside strings
 * (values and object keys) with "[redacted]". Longer forms are replaced first so that a secret containing another
 * is hidden whole. Empty values are ignored: replacing "" would corrupt every string.
 */
export function createRedactor(secretValues: readonly string[]): Redactor {
  const forms = [...new Set(secretValues.filter((s) => s.length > 0).flatMap(secretForms))].sort((a, b) => b.length - a.length);
  const redactString = (text: string): string => {
    let out = text;
    for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
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
  // Redacting replaces strings inside strings and keys and keeps every other value and the nesting: the same shape.
  return <T>(value: T & JsonShaped<T>): T => (forms.length === 0 ? value : (redact(asJson(value)) as T));
}

/**
 * Redacts any value that is about to be printed or written as JSON: it is first reduced to what JSON.stringify
 * keeps (so class instances, Dates and undefined become what the output would show), then redacted.
 */
export function redactForOutput(redact: Redactor, value: unknown): Json {
  const json = JSON.stringify(value);
  return redact(json === undefined ? null : (JSON.parse(json) as Json));
}
