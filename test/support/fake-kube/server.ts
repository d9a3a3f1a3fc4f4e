/**
 * A fake Kubernetes API server on 127.0.0.1 for tests: real REST paths and JSON (discovery, CRUD, watch, patches,
 * Status errors, optimistic concurrency on resourceVersion, eviction, scale, SelfSubjectAccessReview) over an in-memory store, with the controllers of
 * reconciler.ts running on a short tick. Good enough for the real kubectl and for @kubernetes/client-node; it has
 * no TLS, no admission, no garbage collector beyond what the controllers do, and deletes without grace.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiVersionOf, resourceKinds, type ResourceKind } from './catalog.js';
import { apiGroupList, apiResourceList, apiVersions } from './discovery.js';
import { openApiGroupVersion, openApiRoot } from './openapi.js';
import { openApiV2Protobuf } from './openapi-v2.js';
import { SWAGGER_DEFINITIONS } from './openapi-v2-schemas.js';
import { Reconciler, type ReconcilerOptions } from './reconciler.js';
import { Resources, type Target } from './resources.js';
import { matchesFieldSelector, matchesLabelSelector } from './selectors.js';
import { forbidden, notFound, StatusError } from './status.js';
import { Store, type KubeObject, type WatchEvent } from './store.js';

/** An RBAC rule the fake denies: any field left out matches everything. `resource` may name a subresource (`pods/eviction`). */
export interface DenyRule { verb?: string; resource?: string; namespace?: string }

export interface FakeKubeOptions extends Partial<ReconcilerOptions> {
  tickMs?: number;
  namespaces?: string[];
  nodes?: string[];
  deny?: DenyRule[];
}

export interface RecordedRequest { method: string; path: string; query: Record<string, string>; contentType: string; body: unknown }

export interface FakeKube {
  url: string;
  store: Store;
  /** Every request, in order: tests assert on what the server saw (grace periods, patch types). */
  requests: RecordedRequest[];
  /** Replaces the deny rules (e.g. to revoke a permission mid-test). */
  setDeny(rules: DenyRule[]): void;
  close(): Promise<void>;
}

const USER = 'system:serviceaccount:chaos:tester';

export async function startFakeKube(options: FakeKubeOptions = {}): Promise<FakeKube> {
  const store = new Store();
  const kinds = resourceKinds();
  const resources = new Resources(store);
  const reconciler = new Reconciler(store, {
    podReadyDelayMs: options.podReadyDelayMs ?? 150,
    recreateDelayMs: options.recreateDelayMs ?? 300,
    brokenImages: options.brokenImages ?? ((image) => /broken|doesnotexist/.test(image)),
  });
  for (const ns of ['default', 'kube-system', ...(options.namespaces ?? [])]) {
    store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns }, status: { phase: 'Active' } });
  }
  for (const node of options.nodes ?? ['node-1', 'node-2', 'node-3']) {
    store.create('nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: node, labels: { 'kubernetes.io/hostname': node } }, spec: {}, status: { conditions: [{ type: 'Ready', status: 'True' }] } });
  }
  let deny = options.deny ?? [];
  const requests: RecordedRequest[] = [];
  // Recent events, so a watch from a resourceVersion a list returned misses nothing that happened in between.
  const history: WatchEvent[] = [];
  const stopHistory = store.watch((e) => {
    history.push(e);
    if (history.length > 10_000) history.shift();
  });
  const openWatches = new Set<ServerResponse>();

  const isDenied = (verb: string, resource: string, namespace: string | null) =>
    deny.some((r) => (r.verb === undefined || r.verb === verb) && (r.resource === undefined || r.resource === resource) && (r.namespace === undefined || r.namespace === namespace));

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      const status = error instanceof StatusError ? error : new StatusError(500, 'InternalError', String((error as Error)?.stack ?? error));
      if (!res.headersSent) res.writeHead(status.code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    const raw = await readBody(req);
    const contentType = req.headers['content-type'] ?? '';
    let body: any = undefined;
    if (raw !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        throw new StatusError(400, 'BadRequest', `the body of the request could not be decoded as JSON (content type ${contentType})`);
      }
    }
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query, contentType, body });
    const send = (code: number, payload: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '/version') return send(200, { major: '1', minor: '30', gitVersion: 'v1.30.0-fake', platform: 'linux/amd64' });
    if (path === '/api') return send(200, apiVersions());
    if (path === '/apis') return send(200, apiGroupList(kinds));
    if (path === '/openapi/v3') return send(200, openApiRoot(kinds));
    if (path === '/openapi/v2') {
      // kubectl decodes the body as protobuf whatever the type says; a media type with '@' would not parse.
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      return void res.end(openApiV2Protobuf(SWAGGER_DEFINITIONS));
    }
    if (path.startsWith('/openapi/v3/')) {
      const doc = openApiGroupVersion(kinds, path.slice('/openapi/v3/'.length));
      if (doc !== null) return send(200, doc);
    }
    const segs = path.split('/').filter((s) => s !== '');
    const gvLength = segs[0] === 'api' ? 2 : segs[0] === 'apis' ? 3 : 0;
    if (gvLength === 0 || segs.length < gvLength) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
    const groupVersion = segs.slice(1, gvLength).join('/');
    if (segs.length === gvLength) {
      const list = apiResourceList(kinds, groupVersion);
      if (list === null) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
      return send(200, list);
    }
    const target = parseTarget(kinds, groupVersion, segs.slice(gvLength));
    const method = req.method ?? 'GET';
    const verb = verbOf(method, target, query);
    const rbacResource = target.subresource ? `${target.kind.plural}/${target.subresource}` : target.kind.plural;

    if (target.kind.kind === 'SelfSubjectAccessReview' && method === 'POST') {
      const a = body?.spec?.resourceAttributes ?? {};
      const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
      const allowed = !isDenied(a.verb, resource, a.namespace || null);
      return send(201, { ...body, apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', status: { allowed, ...(allowed ? {} : { reason: 'denied by the fake RBAC rules' }) } });
    }
    if (isDenied(verb, rbacResource, target.namespace)) throw forbidden(USER, verb, rbacResource, target.kind.group, target.namespace);

    const dryRun = query.dryRun === 'All';
    switch (verb) {
      case 'get': return send(200, resources.get(target));
      case 'list': return send(200, resources.list(target, query.labelSelector ?? null, query.fieldSelector ?? null));
      case 'watch': return watch(target, query, res);
      case 'create':
        if (target.subresource === 'eviction') return send(201, resources.evict(target));
        return send(201, resources.create(target, body, dryRun));
      case 'update': return send(200, resources.update(target, body, dryRun));
      case 'patch': return send(200, resources.patch(target, contentType, body, dryRun));
      case 'delete': return send(200, resources.delete(target, body));
      default: throw new StatusError(405, 'MethodNotAllowed', `${method} is not supported on ${url.pathname}`);
    }
  }

  function watch(target: Target, query: Record<string, string>, res: ServerResponse): void {
    const from = Number(query.resourceVersion ?? '0');
    const wanted = (e: WatchEvent) =>
      e.plural === target.kind.plural &&
      (!target.kind.namespaced || target.namespace === null || e.object.metadata.namespace === target.namespace) &&
      matchesLabelSelector(e.object, query.labelSelector ?? null) &&
      matchesFieldSelector(e.object, query.fieldSelector ?? null);
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    // Node holds headers back until the first chunk; a client waits for them before it treats the watch as open.
    res.flushHeaders();
    openWatches.add(res);
    const write = (type: string, object: KubeObject) => res.write(`${JSON.stringify({ type, object })}\n`);
    if (!(from > 0)) {
      const listed = (resources.list(target, query.labelSelector ?? null, query.fieldSelector ?? null) as { items: KubeObject[] }).items;
      for (const obj of listed) write('ADDED', obj);
    } else {
      for (const e of history) if (Number(e.object.metadata.resourceVersion) > from && wanted(e)) write(e.type, e.object);
    }
    const stop = store.watch((e) => {
      if (wanted(e)) write(e.type, e.object);
    });
    const end = () => {
      stop();
      clearTimeout(timer);
      openWatches.delete(res);
      res.end();
    };
    const timer = setTimeout(end, Math.min(Number(query.timeoutSeconds ?? 300), 300) * 1000);
    res.on('close', end);
  }

  const tick = setInterval(() => reconciler.tick(), options.tickMs ?? 25);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    store,
    requests,
    setDeny(rules) {
      deny = rules;
    },
    async close() {
      clearInterval(tick);
      stopHistory();
      for (const res of openWatches) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function parseTarget(kinds: ResourceKind[], groupVersion: string, rest: string[]): Target {
  let namespace: string | null = null;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1] as string;
    rest = rest.slice(2);
  }
  const [plural, name = null, subresource = null] = rest as [string, string?, string?];
  const kind = kinds.find((k) => k.plural === plural && apiVersionOf(k) === groupVersion);
  if (kind === undefined) throw new StatusError(404, 'NotFound', 'the server could not find the requested resource');
  if (subresource !== null && !kind.subresources.includes(subresource)) throw notFound(`${plural}/${subresource}`, kind.group, name ?? '');
  return { kind, namespace: kind.namespaced ? namespace : null, name, subresource };
}

function verbOf(method: string, target: Target, query: Record<string, string>): string {
  switch (method) {
    case 'GET':
      if (target.name !== null) return 'get';
      return query.watch === 'true' || query.watch === '1' ? 'watch' : 'list';
    case 'POST': return 'create';
    case 'PUT': return 'update';
    case 'PATCH': return 'patch';
    case 'DELETE': return target.name === null ? 'deletecollection' : 'delete';
    default: return method.toLowerCase();
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
