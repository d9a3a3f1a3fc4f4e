/**
 * Tolerances, as in Chaos Toolkit: what a probe's value must be for the probe to pass.
 *
 *   200                                  exact value (a scalar, or an object/array compared deeply)
 *   { oneOf: [200, 204] }                any of these exact values
 *   { range: [200, 399] }                a number between min and max, inclusive
 *   { regex: "^ok" }                     the string form of the value matches
 *   { jsonPath: "$.status", value: "up" } the value (parsed as JSON when it is a string) has something at the path;
 *                                        with `value`, every match satisfies that tolerance
 *
 * An object with one of the operator keys (oneOf, range, regex, jsonPath) is an operator and must be written exactly
 * as above; any other object is an exact value.
 */
import { z } from 'zod';
import { jsonValueSchema, type Json } from '../json.js';
import { messageOf } from '../errors.js';

/** A tolerance written with an operator key; each form has its own key, so `'range' in t` tells which. */
export type OperatorTolerance = { oneOf: Json[] } | { range: [number, number] } | { regex: string } | { jsonPath: string; value?: Tolerance };

export type Tolerance = Json | OperatorTolerance;

const OPERATOR_KEYS = ['oneOf', 'range', 'regex', 'jsonPath'] as const;

const oneOfSchema = z.object({ oneOf: z.array(jsonValueSchema).min(1) }).strict();

const rangeSchema = z
  .object({ range: z.tuple([z.number(), z.number()]) })
  .strict()
  .refine((t) => t.range[0] <= t.range[1], { message: 'range must be [min, max] with min <= max', path: ['range'] });

const regexSchema = z
  .object({ regex: z.string() })
  .strict()
  .superRefine((t, ctx) => {
    try {
      new RegExp(t.regex);
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['regex'], message: `invalid regular expression: ${messageOf(err)}` });
    }
  });

const jsonPathSchema = z
  .object({
    jsonPath: z.string().min(1),
    get value() {
      return toleranceSchema.optional();
    },
  })
  .strict();

const exactSchema = jsonValueSchema.refine((v) => operatorKeyOf(v) === null, {
  message: 'not a tolerance',
  // Aborting lets the union report the operator branch's own issue (e.g. a bad range) instead of "invalid input".
  abort: true,
});

const OPERATOR_FORMS: Record<(typeof OPERATOR_KEYS)[number], string> = {
  oneOf: '{ oneOf: [value, ...] }',
  range: '{ range: [min, max] } with numbers',
  regex: '{ regex: "pattern" }',
  jsonPath: '{ jsonPath: "$.path", value?: tolerance }',
};

/** The zod schema of a tolerance. */
export const toleranceSchema: z.ZodType<Tolerance> = z.union(
  [oneOfSchema, rangeSchema, regexSchema, jsonPathSchema, exactSchema],
  {
    error: (issue) => {
      const key = operatorKeyOf(issue.input);
      if (key !== null) return `a \`${key}\` tolerance is written ${OPERATOR_FORMS[key]}, and nothing else`;
      return 'a tolerance is a JSON value, or one of ' + Object.values(OPERATOR_FORMS).join(', ');
    },
  },
);

/**
 * Whether a tolerance is written with an operator: its object has an operator key, which an exact value never has
 * (the schema refuses one), so the key is enough to tell the two apart.
 */
export function isOperatorTolerance(tolerance: Tolerance): tolerance is OperatorTolerance {
  return operatorKeyOf(tolerance) !== null;
}

/** The operator an object tolerance names (oneOf, range, regex, jsonPath), or null for an exact value. */
export function operatorKeyOf(value: unknown): (typeof OPERATOR_KEYS)[number] | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  return OPERATOR_KEYS.find((k) => k in value) ?? null;
}

