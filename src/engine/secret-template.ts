/**
 * Puts secret values back into a target's recorded config template. The ledger stores configs with
 * `${secrets.NAME}` left in place, so a secret never reaches the disk; `chaos recover` reads each secret again from
 * where the run's experiment said it comes from. Only exactly `${secrets.NAME}` is substituted: everything else in
 * the template was substituted before it was recorded.
 */
import { readFile } from 'node:fs/promises';
import type { SecretSource } from '../experiment/types.js';
import type { Json, JsonObject } from '../json.js';

const SECRET_REFERENCE = /\$\{secrets\.([A-Za-z_][A-Za-z0-9_-]*)\}/g;

export async function substituteSecrets(
  template: JsonObject,
  sources: Record<string, SecretSource>,
  env: Record<string, string | undefined>,
  targetName: string,
): Promise<JsonObject> {
  const names = new Set<string>();
  collectSecretNames(template, names);
  const values = new Map<string, string>();
  for (const name of names) values.set(name, await readSecret(name, sources[name], env, targetName));
  return substitute(template, values) as JsonObject;
}

async function readSecret(name: string, source: SecretSource | undefined, env: Record<string, string | undefined>, targetName: string): Promise<string> {
  if (!source) throw new Error(`target "${targetName}" uses \${secrets.${name}}, but the run declared no secret "${name}"`);
  if ('env' in source) {
    const value = env[source.env];
    if (value === undefined) {
      throw new Error(`secret "${name}" (for target "${targetName}") comes from the environment variable ${source.env}, which is not set; set it and run recover again`);
    }
    return value;
  }
  try {
    return (await readFile(source.file, 'utf8')).replace(/\r?\n$/, '');
  } catch (error) {
    throw new Error(`secret "${name}" (for target "${targetName}") comes from the file ${source.file}, which cannot be read: ${(error as Error).message}`);
  }
}

function collectSecretNames(value: Json, names: Set<string>): void {
  if (typeof value === 'string') {
    for (const match of value.matchAll(SECRET_REFERENCE)) names.add(match[1] as string);
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
