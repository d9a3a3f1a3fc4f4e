/**
 * `kubernetes.resource`: reads any object (built-in or custom) and checks a value in it, picked with a JSON path,
 * against a tolerance. Missing objects fail the probe unless `expect` is `absent`.
 */
import { JSONPath } from 'jsonpath-plus';
import { z } from 'zod';
import type { Json } from '../../../json.js';
import type { ProbeType } from '../../api.js';
import { checkTolerance, toleranceSchema } from '../../shared/tolerance.js';
import { isNotFound } from '../api-error.js';
import type { KubernetesSession } from '../session.js';

const params = z
  .object({
    apiVersion: z.string().min(1).describe('e.g. apps/v1, chaos-mesh.org/v1alpha1'),
    kind: z.string().min(1).describe('e.g. Deployment'),
    name: z.string().min(1),
    namespace: z.string().min(1).optional().describe("default: the target's; ignored for cluster-scoped kinds"),
    path: z.string().min(1).default('$').describe('a JSON path into the object, e.g. $.status.readyReplicas'),
    expect: toleranceSchema.optional().describe('the value (or a tolerance) at `path`; default: the object exists'),
  })
  .strict();
type ResourceParams = z.output<typeof params>;

export const resourceProbe: ProbeType<KubernetesSession, ResourceParams> = {
  type: 'kubernetes.resource',
  description: 'A value in any object (JSON path), checked against a tolerance',
  needsTarget: true,
  params,
  async run(session, p) {
    if (session === undefined) throw new Error('kubernetes.resource needs a target');
    const namespace = p.namespace ?? session.namespace;
    let object: Json;
    try {
      object = (await session.objects.read({ apiVersion: p.apiVersion, kind: p.kind, metadata: { name: p.name, namespace } })) as unknown as Json;
    } catch (error) {
      if (isNotFound(error)) return { ok: false, message: `${p.kind} ${namespace}/${p.name} does not exist`, output: null };
      return session.call(`reading ${p.kind} ${p.name}`, () => Promise.reject(error));
    }
    const found = JSONPath({ path: p.path, json: object as object, wrap: false }) as Json | undefined;
    const value: Json = found === undefined ? null : found;
    if (p.expect === undefined) return { ok: true, message: `${p.kind} ${p.name} exists`, output: value };
    const result = checkTolerance(p.expect, value);
    return { ok: result.ok, message: `${p.path}: ${result.message}`, output: value };
  },
};
