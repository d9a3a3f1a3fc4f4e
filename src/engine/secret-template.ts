/**
 * Puts secret values back into a target's recorded config template. The ledger stores configs with
 * `${secrets.NAME}` left in place, so a secret never reaches the disk; `chaos recover` reads each secret again from
 * where the run's experiment said it comes from. Only exactly `${secrets.NAME}` is substituted: everything else in
 * the template was substituted before it was recorded.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SecretSource } from '../experiment/types.js';
import type { Json, JsonObject } from '../json.js';
import { messageOf, errnoCode } from '../errors.js';

const SECRET_REFERENCE = /\$\{secrets\.([A-Za-z_][A-Za-z0-9_-]*)\}/g;

export interface SecretLookup {
  sources: Record<string, SecretSource>;
  env: Record<string, string | undefined>;
  /** `{ file: … }` secrets are relative to the experiment file's folder, as when the run loaded them. */
  baseDir: string;
}

/** Returns the config with its secrets, and the values read (to be hidden in whatever is printed). */
export async function substituteSecrets(template: JsonObject, lookup: SecretLookup, targetName: string): Promise<{ config: JsonObject; values: string[] }> {
  const names = new Set<string>();
  collectSecretNames(template, names);
  const values = new Map<string, string>();
  for (const name of names) {
    const source = Object.hasOwn(lookup.sources, name) ? lookup.sources[name] : undefined;
    values.set(name, await readSecret(name, source, lookup, targetName));
  }
  return { config: substitute(template, values) as JsonObject, values: [...values.values()] };
}

async function readSecret(name: string, source: SecretSource | undefined, { env, baseDir }: SecretLookup, targetName: string): Promise<string> {
  if (!source) throw new Error(`target "${targetName}" uses \${secrets.${name}}, but the run declared no secret "${name}"`);
  if ('env' in source) {
    const value = env[source.env];
    if (value === undefined) {
      throw new Error(`secret "${name}" (for target "${targetName}") comes from the environment variable ${source.env}, which is not set; set it and run recover again`);
    }
    return value;
  }
  try {
    return (await readFile(resolve(baseDir, source.file), 'utf8')).replace(/\r?\n$/, '');
  } catch (error) {
    throw new Error(`secret "${name}" (for target "${targetName}") comes from the file ${resolve(baseDir, source.file)}, which cannot be read: ${errnoCode(error) ?? messageOf(error)}`);
  }
}

function collectSecretNames(value: Json, names: Set<string>): void {
  if (typeof value === 'string') {
    for (const match of value.matchAll(SECRET_REFERENCE)) names.add(match[1]);
  } else if (Array.isArray(value)) {
    for (const item of value) collectSecretNames(item, names);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) collectSecretNames(item, names);
  }
}

function substitute(value: Json, values: ReadonlyMap<string, string>): Json {
  if (typeof value === 'string') return value.replace(SECRET_REFERENCE, (_all, name: string) => values.get(name) ?? '');
  if (Array.isArray(value)) return value.map((item) => substitute(item, values));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, values)]));
  }
  return value;
}
