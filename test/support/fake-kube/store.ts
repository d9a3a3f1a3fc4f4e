/**
 * The fake API server's object store: every object by resource, namespace and name, one resourceVersion counter
 * for the whole store (as etcd's revision), and watchers that get ADDED / MODIFIED / DELETED events.
 */
import { randomUUID } from 'node:crypto';

export type KubeObject = Record<string, any> & { metadata: Record<string, any> };
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export interface WatchEvent { type: WatchEventType; object: KubeObject; plural: string }
type Watcher = (event: WatchEvent) => void;

export class Store {
  readonly #objects = new Map<string, KubeObject>();
  readonly #watchers = new Set<Watcher>();
  #revision = 1;

  #key(plural: string, namespace: string | null, name: string): string {
    return `${plural}/${namespace ?? ''}/${name}`;
  }

  get resourceVersion(): string {
    return String(this.#revision);
  }

  get(plural: string, namespace: string | null, name: string): KubeObject | undefined {
    const found = this.#objects.get(this.#key(plural, namespace, name));
    return found === undefined ? undefined : structuredClone(found);
  }

  list(plural: string, namespace: string | null): KubeObject[] {
    const out: KubeObject[] = [];
    for (const [key, obj] of this.#objects) {
      if (!key.startsWith(`${plural}/`)) continue;
      if (namespace !== null && obj.metadata.namespace !== namespace) continue;
      out.push(structuredClone(obj));
    }
    return out.sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
  }

  /** Stores a new object; fills uid, creationTimestamp, generation and resourceVersion as the API server does. */
  create(plural: string, obj: KubeObject): KubeObject {
    const meta = obj.metadata;
    if (meta.name === undefined && meta.generateName !== undefined) {
      meta.name = `${meta.generateName}${Math.random().toString(36).slice(2, 7)}`;
    }
    meta.uid = randomUUID();
    meta.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    if (obj.spec !== undefined) meta.generation = 1;
    meta.resourceVersion = String(++this.#revision);
    this.#objects.set(this.#key(plural, meta.namespace ?? null, meta.name), structuredClone(obj));
    this.#emit({ type: 'ADDED', object: obj, plural });
    return structuredClone(obj);
  }

  /** Replaces an object; bumps generation when the spec changed. */
  update(plural: string, obj: KubeObject): KubeObject {
    const key = this.#key(plural, obj.metadata.namespace ?? null, obj.metadata.name);
    const old = this.#objects.get(key);
    if (old === undefined) throw new Error(`update of a missing object ${key}`);
    obj.metadata.uid = old.metadata.uid;
    obj.metadata.creationTimestamp = old.metadata.creationTimestamp;
    const specChanged = JSON.stringify(old.spec) !== JSON.stringify(obj.spec);
    obj.metadata.generation = (old.metadata.generation ?? 1) + (specChanged && old.spec !== undefined ? 1 : 0);
    if (old.metadata.generation === undefined && obj.spec === undefined) delete obj.metadata.generation;
    if (JSON.stringify({ ...old, metadata: { ...old.metadata, resourceVersion: '' } }) ===
      JSON.stringify({ ...obj, metadata: { ...obj.metadata, resourceVersion: '' } })) {
      return structuredClone(old); // a no-op write does not bump the resourceVersion, as on a real server
    }
    obj.metadata.resourceVersion = String(++this.#revision);
    this.#objects.set(key, structuredClone(obj));
    this.#emit({ type: 'MODIFIED', object: obj, plural });
    return structuredClone(obj);
  }

  delete(plural: string, namespace: string | null, name: string): KubeObject | undefined {
    const key = this.#key(plural, namespace, name);
    const old = this.#objects.get(key);
    if (old === undefined) return undefined;
    this.#objects.delete(key);
    old.metadata.resourceVersion = String(++this.#revision);
    this.#emit({ type: 'DELETED', object: old, plural });
    return structuredClone(old);
  }

  watch(watcher: Watcher): () => void {
    this.#watchers.add(watcher);
    return () => this.#watchers.delete(watcher);
  }

  #emit(event: WatchEvent): void {
    for (const watcher of this.#watchers) watcher({ ...event, object: structuredClone(event.object) });
  }
}
