/**
 * `${...}` references. env, vars and secrets are substituted at load time, on the plain tree from YAML, before
 * validation; `${targets.NAME.ATTR}` is checked at load time and substituted at run time, once the target is
 * connected and its attributes are known. `$${` is a literal `${`.
 */
import { ChaosError, ExitCode, type Diagnostic } from '../errors.js';
import type { Json, JsonObject } from '../json.js';
import type { TargetAttributes } from '../plugins/api.js';
import { didYouMean, listNames } from './suggest.js';
import { formatPath, isPlainScalar, locate, type PathSegment, type YamlSource } from './yaml-source.js';

/** `$${` (an escaped, literal `${`) or a reference `${...}`. */
const REFERENCE = /\$\$\{|\$\{([^}]*)\}/g;
const TARGET_REFERENCE = /(?<!\$)\$\{\s*targets\./;

export type VarValue = string | number | boolean;

/** A secret's value, or why it could not be read. */
export type SecretValue = { value: string } | { missing: string };

export interface SubstitutionScope {
  env: Record<string, string | undefined>;
  vars: Record<string, VarValue>;
  /** Declared secrets (name → value or why it is missing). */
  secrets: Record<string, SecretValue>;
  /** Declared targets (name → the attributes its plugin publishes; undefined when its type is unknown). */
  targets: Record<string, readonly string[] | undefined>;
  /** Leave `${secrets.NAME}` in place (for configTemplate) and report nothing. */
  keepSecrets: boolean;
}

export interface SubstitutionResult {
  value: unknown;
  diagnostics: Diagnostic[];
  /** Names of the secrets whose values were substituted. */
  usedSecrets: Set<string>;
}

/**
 * Substitutes env, vars and secrets references in every string of `value` (found at `path` in `source`). A plain
 * YAML scalar that is exactly one env/vars reference takes the YAML type of the value (`rate: ${vars.rate}` with
 * `rate=200` is the number 200). Strings that keep `${targets.…}` references also keep their `$${` escapes, so that
 * substituteTargetAttributes can tell literals from references at run time.
 */
export function substituteReferences(
  value: unknown,
  path: PathSegment[],
  source: YamlSource,
  scope: SubstitutionScope,
): SubstitutionResult {
  const diagnostics: Diagnostic[] = [];
  const usedSecrets = new Set<string>();

  const report = (at: PathSegment[], code: string, message: string, hint?: string) => {
    if (scope.keepSecrets) return;
    const pos = locate(source, at);
    diagnostics.push({
      code,
      file: source.file,
      line: pos.line,
      column: pos.column,
      path: formatPath(at),
      message,
      ...(hint === undefined ? {} : { hint }),
    });
  };

  const substituteString = (text: string, at: PathSegment[]): unknown => {
    const whole = /^\$\{([^}]*)\}$/.exec(text);
    let typed: unknown;
    let sawTargetReference = false;
    const replaced = text.replace(REFERENCE, (match, expression: string | undefined) => {
      if (expression === undefined) return match; // `$${`: unescaped below
      const resolved = resolveReference(expression.trim(), match, at);
      if (resolved.kind === 'keep') {
        if (resolved.target) sawTargetReference = true;
        return match;
      }
      if (whole) typed = resolved.typed;
      return resolved.text;
    });
    if (sawTargetReference || TARGET_REFERENCE.test(text.replace(/\$\$\{/g, '${'))) {
      // Escapes stay until the run-time substitution of target attributes.
      return replaced;
    }
    if (whole && typed !== undefined && isPlainScalar(source, at)) return typed;
    return replaced.replace(/\$\$\{/g, '${');
  };

  type Resolved = { kind: 'keep'; target: boolean } | { kind: 'text'; text: string; typed: unknown };

  const resolveReference = (expression: string, written: string, at: PathSegment[]): Resolved => {
    const [namespace, ...rest] = expression.split('.');
    const name = rest.join('.');
    switch (namespace) {
      case 'env': {
        const envValue = own(scope.env, name);
        if (envValue === undefined) {
          report(at, 'E_UNDEFINED_REF', `environment variable "${name}" is not set (in ${written})`,
            didYouMean(name, Object.keys(scope.env)) ?? `set ${name} in the environment of chaos`);
          return { kind: 'keep', target: false };
        }
        return { kind: 'text', text: envValue, typed: yamlTyped(envValue) };
      }
      case 'vars': {
        const varValue = own(scope.vars, name);
        if (varValue === undefined) {
          report(at, 'E_UNDEFINED_REF', `undefined variable "${name}" (in ${written})`,
            didYouMean(name, Object.keys(scope.vars)) ?? `declare it under \`vars:\` or pass --var ${name}=VALUE`);
          return { kind: 'keep', target: false };
        }
        return { kind: 'text', text: String(varValue), typed: typeof varValue === 'string' ? yamlTyped(varValue) : varValue };
      }
      case 'secrets': {
        if (scope.keepSecrets) return { kind: 'keep', target: false };
        const secret = own(scope.secrets, name);
        if (secret === undefined) {
          report(at, 'E_UNDEFINED_REF', `undefined secret "${name}" (in ${written})`,
            didYouMean(name, Object.keys(scope.secrets)) ?? `declare it under \`secrets:\`, e.g. ${name}: { env: MY_VAR }`);
          return { kind: 'keep', target: false };
        }
        if ('missing' in secret) {
          report(at, 'E_SECRET_MISSING', `secret "${name}" has no value: ${secret.missing}`,
            'set the environment variable or create the file the secret names');
          return { kind: 'keep', target: false };
        }
        usedSecrets.add(name);
        // A secret stays a string: redaction looks for it inside strings.
        return { kind: 'text', text: secret.value, typed: secret.value };
      }
      case 'targets': {
        // An attribute name may itself contain dots (a toxiproxy target's `db.port`).
        const [targetName = '', ...attributeParts] = rest;
        const attribute = attributeParts.join('.');
        if (!Object.hasOwn(scope.targets, targetName)) {
          report(at, 'E_UNDEFINED_REF', `undefined target "${targetName}" (in ${written})`,
            didYouMean(targetName, Object.keys(scope.targets)) ?? `targets: ${listNames(Object.keys(scope.targets))}`);
        } else if (attribute === '' || attributeParts.includes('')) {
          report(at, 'E_UNDEFINED_REF', `${written} should name one attribute: \${targets.${targetName}.ATTRIBUTE}`);
        } else {
          const attributes = own(scope.targets, targetName);
          if (attributes !== undefined && !declaresAttribute(attributes, attribute)) {
            report(at, 'E_UNDEFINED_REF', `target "${targetName}" has no attribute "${attribute}" (in ${written})`,
              didYouMean(attribute, attributes) ?? `its attributes: ${listNames(attributes)}`);
          }
        }
        return { kind: 'keep', target: true };
      }
      default:
        report(at, 'E_UNDEFINED_REF', `unknown reference ${written}`,
          'references are ${env.NAME}, ${vars.NAME}, ${secrets.NAME} and ${targets.NAME.ATTRIBUTE}; write $${ for a literal ${');
        return { kind: 'keep', target: false };
    }
  };

  const walk = (node: unknown, at: PathSegment[]): unknown => {
    if (typeof node === 'string') return substituteString(node, at);
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...at, i]));
    if (node !== null && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(node)) out[key] = walk(item, [...at, key]);
      return out;
    }
    return node;
  };

  return { value: walk(value, path), diagnostics, usedSecrets };
}

/**
 * A name written in a file, looked up as an own property only: `${vars.toString}` or `${env.__proto__}` must be
 * "undefined", never something inherited from Object.prototype.
 */
function own<T>(record: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

/** The type a plain YAML scalar with this text would have: numbers and booleans, else the string. */
export function yamlTyped(text: string): VarValue {
  if (/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  if (/^(true|True|TRUE)$/.test(text)) return true;
  if (/^(false|False|FALSE)$/.test(text)) return false;
  return text;
}

/**
 * Whether a plugin's attribute list declares `attribute`. An entry `*.port` stands for attributes named after
 * something in the target's own config (a toxiproxy target publishes `<proxy>.port` for each of its proxies).
 */
function declaresAttribute(declared: readonly string[], attribute: string): boolean {
  return declared.some((d) =>
    d.startsWith('*.') ? attribute.endsWith(d.slice(1)) && attribute.length > d.length - 1 : d === attribute,
  );
}

/** True when some string in `value` has a `${targets.…}` reference (to be substituted at run time). */
export function hasTargetReferences(value: unknown): boolean {
  if (typeof value === 'string') return TARGET_REFERENCE.test(value);
  if (Array.isArray(value)) return value.some(hasTargetReferences);
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasTargetReferences);
  return false;
}

/**
 * Substitutes `${targets.NAME.ATTR}` with the attributes of connected targets (run time). A string that is exactly
 * one reference takes the attribute's own type (a port stays a number). `$${` becomes a literal `${`. Throws when a
 * target did not publish an attribute it declared: a plugin bug, caught before any fault.
 */
export function substituteTargetAttributes(value: JsonObject, attributes: Record<string, TargetAttributes>): JsonObject {
  const lookup = (expression: string): string | number => {
    const [, targetName = '', ...attributeParts] = expression.trim().split('.');
    const attribute = attributeParts.join('.');
    const published = own(attributes, targetName);
    const found = published === undefined ? undefined : own(published, attribute);
    if (found === undefined) {
      throw new ChaosError(`target "${targetName}" did not publish the attribute "${attribute}"`, {
        code: 'E_UNDEFINED_REF',
        exitCode: ExitCode.Infrastructure,
        hint: `its plugin declares it; the connected target has: ${listNames(Object.keys(published ?? {}))}`,
      });
    }
    return found;
  };
  const substituteString = (text: string): Json => {
    if (!TARGET_REFERENCE.test(text)) return text;
    const whole = /^\$\{(\s*targets\.[^}]*)\}$/.exec(text);
    if (whole) return lookup(whole[1]);
    return text.replace(REFERENCE, (match, expression: string | undefined) => {
      if (expression === undefined) return '${';
      return expression.trim().startsWith('targets.') ? String(lookup(expression)) : match;
    });
  };
  const walk = (node: Json): Json => {
    if (typeof node === 'string') return substituteString(node);
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object') {
      const out: JsonObject = {};
      for (const [key, item] of Object.entries(node)) out[key] = walk(item);
      return out;
    }
    return node;
  };
  return walk(value) as JsonObject;
}
