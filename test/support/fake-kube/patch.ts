/**
 * The three patch types the API server accepts: JSON patch (RFC 6902), JSON merge patch (RFC 7386) and strategic
 * merge patch (lists of named things merged by their merge key, with the `$patch`, `$setElementOrder/…`,
 * `$retainKeys` and `$deleteFromPrimitiveList/…` directives kubectl sends).
 */
type Json = any;

export class PatchError extends Error {}

/** The merge key of the lists strategic merge patch merges element-wise (from the Kubernetes API types). */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
  conditions: 'type',
  imagePullSecrets: 'name',
  tolerations: 'key',
  ownerReferences: 'uid',
};

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  const out: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}

export function applyStrategicMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return structuredClone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _, ...rest } = patch;
    return structuredClone(rest);
  }
  if (patch.$patch === 'delete') return undefined;
  const out: Record<string, Json> = isObject(target) ? { ...target } : {};
  const retain: string[] | undefined = patch.$retainKeys;
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[field])) out[field] = out[field].filter((x: Json) => !(v as Json[]).includes(x));
      continue;
    }
    if (v === null) {
      delete out[k];
    } else if (Array.isArray(v) && MERGE_KEYS[k] !== undefined && Array.isArray(out[k])) {
      out[k] = mergeList(out[k], v, MERGE_KEYS[k]);
    } else if (isObject(v)) {
      const merged = applyStrategicMergePatch(out[k], v);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    } else {
      out[k] = structuredClone(v);
    }
  }
  if (retain !== undefined) for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  return out;
}

function mergeList(current: Json[], patch: Json[], key: string): Json[] {
  const out = current.map((x) => structuredClone(x));
  for (const item of patch) {
    const index = out.findIndex((x) => isObject(x) && isObject(item) && x[key] === item[key]);
    if (isObject(item) && item.$patch === 'delete') {
      if (index >= 0) out.splice(index, 1);
    } else if (index >= 0) {
      out[index] = applyStrategicMergePatch(out[index], item);
    } else {
      out.push(structuredClone(item));
    }
  }
  return out;
}

interface Operation { op: string; path: string; value?: Json; from?: string }

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(`invalid JSON pointer ${JSON.stringify(path)}`);
  return path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, tokens: string[], path: string): { parent: Json; last: string } {
  let node = doc;
  for (const t of tokens.slice(0, -1)) {
    node = Array.isArray(node) ? node[Number(t)] : node?.[t];
    if (node === undefined || node === null || typeof node !== 'object') throw new PatchError(`path ${path} does not exist`);
  }
  return { parent: node, last: tokens[tokens.length - 1] as string };
}

function getAt(doc: Json, path: string): Json {
  let node = doc;
  for (const t of pointer(path)) {
    node = Array.isArray(node) ? node[Number(t)] : node?.[t];
    if (node === undefined) throw new PatchError(`path ${path} does not exist`);
  }
  return node;
}

export function applyJsonPatch(target: Json, ops: Operation[]): Json {
  if (!Array.isArray(ops)) throw new PatchError('a JSON patch must be an array of operations');
  let doc = structuredClone(target);
  for (const op of ops) {
    const tokens = pointer(op.path);
    if (op.op === 'test') {
      if (JSON.stringify(getAt(doc, op.path)) !== JSON.stringify(op.value)) throw new PatchError(`test at ${op.path} failed`);
      continue;
    }
    let value = op.value;
    if (op.op === 'move' || op.op === 'copy') {
      value = structuredClone(getAt(doc, op.from ?? ''));
      if (op.op === 'move') doc = applyJsonPatch(doc, [{ op: 'remove', path: op.from ?? '' }]);
    }
    if (tokens.length === 0) {
      doc = op.op === 'remove' ? null : value;
      continue;
    }
    const { parent, last } = parentOf(doc, tokens, op.path);
    if (op.op === 'remove') {
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else if (last in parent) delete parent[last];
      else throw new PatchError(`path ${op.path} does not exist`);
    } else if (op.op === 'add' || op.op === 'move' || op.op === 'copy') {
      if (Array.isArray(parent)) parent.splice(last === '-' ? parent.length : Number(last), 0, value);
      else parent[last] = value;
    } else if (op.op === 'replace') {
      if (Array.isArray(parent)) parent[Number(last)] = value;
      else if (last in parent) parent[last] = value;
      else throw new PatchError(`path ${op.path} does not exist`);
    } else {
      throw new PatchError(`unknown JSON patch operation ${JSON.stringify(op.op)}`);
    }
  }
  return doc;
}
