/**
 * `kubernetes.resource`: reads any object (built-in or custom) and checks a value in it, picked with a JSON path,
 * against a tolerance. Missing objects fail the probe unless `expect` is `absent`.
 */
import { JSONPath } from 'jsonpath-plus';
import type { Json } from '../../../json.js';
import { defineProbe } from '../../api.js';
import { checkTolerance } from '../../shared/tolerance.js';
import { isNotFound } from '../api-error.js';
import type { KubernetesSession } from '../session.js';
import { resourceSpec } from '../specs.js';

export const resourceProbe = defineProbe({
  ...resourceSpec,
  async run(session: KubernetesSession | undefined, p) {
    if (session === undefined) throw new Error('kubernetes.resource needs a target');
    const namespace = p.namespace ?? session.namespace;
    let object: Json;
    try {
      object = (await session.objects.read({ apiVersion: p.apiVersion, kind: p.kind, metadata: { name: p.name, namespace } })) as unknown as Json;
    } catch (error) {
      if (isNotFound(error)) return { ok: false, message: `${p.kind} ${namespace}/${p.name} does not exist`, output: null };
      return session.call(`reading ${p.kind} ${p.name}`, () => Promise.reject(error));
    }
    const found = JSONPath<Json | undefined>({ path: p.path, json: object, wrap: false });
    const value: Json = found === undefined ? null : found;
    if (p.expect === undefined) return { ok: true, message: `${p.kind} ${p.name} exists`, output: value };
    const result = checkTolerance(p.expect, value);
    return { ok: result.ok, message: `${p.path}: ${result.message}`, output: value };
  },
});
