/**
 * The committed JSON Schemas compiled as an editor compiles them: yaml-language-server validates with a draft
 * 2020-12 validator, as Ajv does, strict (an unknown keyword or format is an error, not ignored).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { ROOT } from './cli.js';

// ajv-formats is CommonJS: under ESM its function is the default export's default.
const addFormats = addFormatsModule as unknown as { default: (ajv: Ajv2020) => void };

/** `schemaFile` relative to the repository root, e.g. `schema/experiment.schema.json`. */
export function compileSchema(schemaFile: string): ValidateFunction {
  // Union types (`type: [string, number]`) are standard JSON Schema; strict mode only warns about them by default.
  const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
  addFormats.default(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(ROOT, schemaFile), 'utf8')) as object);
}

/** What the schema finds wrong with `document`, one line per problem (none: valid). */
export function schemaProblems(validate: ValidateFunction, document: unknown): string[] {
  if (validate(document)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
