/**
 * A run's fault ledger in the API server: a chain of ConfigMaps, one ledger line per data key (`00000001`,
 * `00000002`… in order), so an append sends one line, not the whole ledger.
 *
 * Every append is a JSON merge patch that carries the resourceVersion the writer last saw: the API server applies
 * it only if nobody wrote in between (else 409 Conflict, and the writer reads the part again and retries with the
 * next key). Two writers (a runner that lost its lease but does not know it yet, and the `chaos recover` that took
 * over) therefore never overwrite each other's line. A call resolves once the API server answered, i.e. once
 * the line is committed to etcd: the entry is durable before the fault is injected.
 *
 * A ConfigMap holds at most 1 MiB of data. When the next line does not fit, the writer seals the full part (an
 * annotation naming the next one, written with the same compare-and-swap, so no writer can add to a part after it
 * was sealed) and creates the next part with the line; a writer that finds a part sealed follows the chain. A
 * reader follows the chain from the first part. So the lines of a ledger keep one order, whoever wrote them.
 */
import * as k8s from '@kubernetes/client-node';
import { ChaosError, ExitCode } from '../errors.js';
import type { LedgerLine } from './ledger-lines.js';
import { stateApiError, stateCall, statusOf, type StateApi } from './kubernetes-api.js';
import { ANNOTATION, CLOSED_LABEL, KIND_LABEL, ledgerName, MANAGED_BY } from './kubernetes-names.js';

/** Below the API server's 1 MiB (1,048,576 bytes of keys and values), with room to spare. */
export const DEFAULT_PART_LIMIT_BYTES = 1_000_000;
/** Each retry follows another writer's append to the same part; more than a few in a row means a runaway writer. */
const MAX_CONFLICTS = 50;
const KEY_DIGITS = 8;

interface Part {
  name: string;
  index: number;
  resourceVersion: string;
  lines: number;
  bytes: number;
  next: string | null;
}

export interface KubernetesLedgerOptions {
  partLimitBytes?: number;
}

export class KubernetesLedger {
  #tail: Promise<void> = Promise.resolve();
  readonly #partLimit: number;

  readonly #api: StateApi;
  #last: Part;

  private constructor(
    api: StateApi,
    readonly runId: string,
    last: Part,
    options: KubernetesLedgerOptions,
  ) {
    this.#api = api;
    this.#last = last;
    this.#partLimit = options.partLimitBytes ?? DEFAULT_PART_LIMIT_BYTES;
  }

  get location(): string {
    return `configmap ${this.#api.namespace}/${ledgerName(this.runId)}`;
  }

  /** Creates the run's ledger with its first line (the header). A ledger for this run id already there is a bug. */
  static async create(api: StateApi, runId: string, header: LedgerLine, options: KubernetesLedgerOptions = {}): Promise<KubernetesLedger> {
    const text = lineText(header);
    const name = ledgerName(runId);
    const created = await createPart(api, runId, 1, [text]);
    if (created === null) {
      throw new ChaosError(`a ledger for run ${runId} already exists (configmap ${api.namespace}/${name})`, {
        code: 'E_LEDGER_EXISTS', exitCode: ExitCode.Infrastructure, hint: 'run ids are unique to a start; start the run again (nothing was injected)',
      });
    }
    return new KubernetesLedger(api, runId, created, options);
  }

  /** The ledger of an existing run, to append to (recover); null when there is none. */
  static async open(api: StateApi, runId: string, options: KubernetesLedgerOptions = {}): Promise<KubernetesLedger | null> {
    let found = await readPart(api, ledgerName(runId));
    if (found === null) return null;
    while (found.part.next !== null) {
      const next = await readPart(api, found.part.next);
      if (next === null) break; // sealed, its successor not created yet: the next append creates it
      found = next;
    }
    return new KubernetesLedger(api, runId, found.part, options);
  }

  /**
   * Appends lines in order; resolves once the API server has committed them. `closes`: the run is over and nothing
   * of it needs recovery any more, so readers that look for work can skip it (a label on the first part).
   */
  append(lines: readonly LedgerLine[], options: { closes?: boolean } = {}): Promise<void> {
    const done = this.#tail.then(() => this.#write(lines.map(lineText), options.closes ?? false));
    this.#tail = done.catch(() => undefined);
    return done;
  }

  async #write(texts: string[], closes: boolean): Promise<void> {
    for (const text of texts) {
      if (bytesOf(text, 0) > this.#partLimit) {
        throw new ChaosError(`a ledger line of ${Buffer.byteLength(text)} bytes does not fit in a ConfigMap (run ${this.runId})`, {
          code: 'E_LEDGER_LINE_TOO_LARGE', exitCode: ExitCode.Infrastructure, hint: 'a fault recorded a very large state; use the file state backend for it',
        });
      }
    }
    let pending = texts;
    let conflicts = 0;
    let othersWrote = false;
    while (pending.length > 0) {
      const part = this.#last;
      const fit = fitting(part, pending, this.#partLimit);
      if (part.next !== null || fit === 0) {
        await this.#moveToNextPart(part, pending);
        continue;
      }
      const data: Record<string, string> = {};
      pending.slice(0, fit).forEach((text, i) => (data[keyOf(part.lines + 1 + i)] = text));
      const patched = await this.#patch(part.name, { metadata: { resourceVersion: part.resourceVersion }, data }, 'appending to');
      if (patched === null) {
        if (++conflicts > MAX_CONFLICTS) throw this.#conflictError();
        othersWrote = true;
        this.#last = (await this.#reread(part.name)).part;
        continue;
      }
      this.#last = partOf(patched).part;
      pending = pending.slice(fit);
    }
    if (closes) await this.#patch(ledgerName(this.runId), { metadata: { labels: { [CLOSED_LABEL]: 'true' } } }, 'closing');
    else if (othersWrote) await this.#reopenIfClosed();
  }

  /**
   * Somebody else wrote to this ledger meanwhile, perhaps a recover that reverted the run and closed it while this
   * writer (a runner that lost its lease and does not know it yet) went on: what it appends after that must not hide
   * behind the closed label, or no reader would look at it again.
   */
  async #reopenIfClosed(): Promise<void> {
    const head = await readPart(this.#api, ledgerName(this.runId));
    if (head?.configMap.metadata?.labels?.[CLOSED_LABEL] !== 'true') return;
    await this.#patch(ledgerName(this.runId), { metadata: { labels: { [CLOSED_LABEL]: null } } }, 'reopening');
  }

  /** The part is sealed (or full): seal it if nobody has, then continue in the next part, creating it if needed. */
  async #moveToNextPart(part: Part, pending: string[]): Promise<void> {
    let nextName = part.next;
    if (nextName === null) {
      nextName = ledgerName(this.runId, part.index + 1);
      const sealed = await this.#patch(part.name, { metadata: { resourceVersion: part.resourceVersion, annotations: { [ANNOTATION.next]: nextName } } }, 'sealing');
      if (sealed === null) {
        // Somebody appended or sealed first: look again.
        this.#last = (await this.#reread(part.name)).part;
        return;
      }
    }
    const existing = await readPart(this.#api, nextName);
    if (existing !== null) {
      this.#last = existing.part;
      return;
    }
    const created = await createPart(this.#api, this.runId, part.index + 1, pending.slice(0, Math.max(1, fitting(emptyPart(nextName, part.index + 1), pending, this.#partLimit))));
    // Created by another writer in the meantime: append to theirs. Ours holds the lines written, so they are done.
    if (created === null) {
      this.#last = (await this.#reread(nextName)).part;
      return;
    }
    const written = created.lines;
    pending.splice(0, written);
    this.#last = created;
  }

  async #reread(name: string): Promise<{ part: Part }> {
    const found = await readPart(this.#api, name);
    if (found === null) throw new ChaosError(`the ledger part configmap ${this.#api.namespace}/${name} of run ${this.runId} disappeared`, { code: 'E_LEDGER_GONE', exitCode: ExitCode.Infrastructure, hint: 'somebody deleted it; the run\'s record is incomplete' });
    return found;
  }

  /** A merge patch; null on 409 Conflict (the resourceVersion it carries is stale). */
  async #patch(name: string, body: object, what: string): Promise<k8s.V1ConfigMap | null> {
    try {
      return await this.#api.core.patchNamespacedConfigMap({ name, namespace: this.#api.namespace, body }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    } catch (error) {
      if (statusOf(error) === 409) return null;
      throw stateApiError(this.#api, `${what} the ledger of run ${this.runId} (configmap ${name})`, error);
    }
  }

  #conflictError(): ChaosError {
    return new ChaosError(`could not append to the ledger of run ${this.runId}: other writers kept changing it`, {
      code: 'E_LEDGER_CONTENDED', exitCode: ExitCode.Infrastructure, hint: 'something else writes to this run\'s ledger ConfigMap at a high rate; find it with kubectl get configmap -o yaml',
    });
  }
}

/** Every line of a run's ledger, in order, following the chain of parts; null when the run has no ledger. */
export async function readLedgerLines(api: StateApi, runId: string): Promise<{ lines: string[]; parts: string[] } | null> {
  const head = await readPart(api, ledgerName(runId));
  if (head === null) return null;
  return linesFrom(api, head.configMap);
}

/** The lines of a ledger whose first part was already read (by a list). */
export async function linesFrom(api: StateApi, head: k8s.V1ConfigMap): Promise<{ lines: string[]; parts: string[] }> {
  const lines: string[] = [];
  const parts: string[] = [];
  let current: k8s.V1ConfigMap | null = head;
  while (current !== null && parts.length < 10_000) {
    parts.push(current.metadata?.name ?? '');
    lines.push(...dataLines(current));
    const next: string | undefined = current.metadata?.annotations?.[ANNOTATION.next];
    current = next === undefined ? null : ((await readPart(api, next))?.configMap ?? null);
  }
  return { lines, parts };
}

/** The first parts of the ledgers in the namespace; `all`: closed ones too (else only runs that may need work). */
export async function listLedgerHeads(api: StateApi, options: { all?: boolean } = {}): Promise<k8s.V1ConfigMap[]> {
  const selector = `${KIND_LABEL}=ledger${options.all === true ? '' : `,${CLOSED_LABEL}!=true`}`;
  const list = await stateCall(api, 'listing ledgers', () => api.core.listNamespacedConfigMap({ namespace: api.namespace, labelSelector: selector }));
  return list.items;
}

export function runIdOf(configMap: k8s.V1ConfigMap): string | null {
  return configMap.metadata?.annotations?.[ANNOTATION.runId] ?? null;
}

function dataLines(configMap: k8s.V1ConfigMap): string[] {
  const data = configMap.data ?? {};
  return Object.keys(data).filter((k) => /^\d+$/.test(k)).sort().map((k) => data[k]);
}

async function createPart(api: StateApi, runId: string, index: number, texts: string[]): Promise<Part | null> {
  const name = ledgerName(runId, index);
  const data: Record<string, string> = {};
  texts.forEach((text, i) => (data[keyOf(i + 1)] = text));
  const body: k8s.V1ConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      namespace: api.namespace,
      labels: { ...MANAGED_BY, [KIND_LABEL]: index === 1 ? 'ledger' : 'ledger-part' },
      annotations: { [ANNOTATION.runId]: runId, [ANNOTATION.part]: String(index) },
    },
    data,
  };
  try {
    return partOf(await api.core.createNamespacedConfigMap({ namespace: api.namespace, body })).part;
  } catch (error) {
    if (statusOf(error) === 409) return null;
    throw stateApiError(api, `creating the ledger of run ${runId} (configmap ${name})`, error);
  }
}

async function readPart(api: StateApi, name: string): Promise<{ part: Part; configMap: k8s.V1ConfigMap } | null> {
  try {
    return partOf(await api.core.readNamespacedConfigMap({ name, namespace: api.namespace }));
  } catch (error) {
    if (statusOf(error) === 404) return null;
    throw stateApiError(api, `reading the ledger configmap ${name}`, error);
  }
}

function partOf(configMap: k8s.V1ConfigMap): { part: Part; configMap: k8s.V1ConfigMap } {
  const meta = configMap.metadata ?? {};
  const data = configMap.data ?? {};
  const keys = Object.keys(data).filter((k) => /^\d+$/.test(k));
  const bytes = Object.entries(data).reduce((sum, [k, v]) => sum + bytesOf(v, k.length), 0);
  return {
    configMap,
    part: {
      name: meta.name ?? '',
      index: Number(meta.annotations?.[ANNOTATION.part] ?? 1),
      resourceVersion: meta.resourceVersion ?? '',
      lines: keys.length === 0 ? 0 : Math.max(...keys.map(Number)),
      bytes,
      next: meta.annotations?.[ANNOTATION.next] ?? null,
    },
  };
}

function emptyPart(name: string, index: number): Part {
  return { name, index, resourceVersion: '', lines: 0, bytes: 0, next: null };
}

/** How many of `texts`, from the first, fit in the part without passing the limit. */
function fitting(part: Part, texts: readonly string[], limit: number): number {
  let bytes = part.bytes;
  let n = 0;
  for (const text of texts) {
    bytes += bytesOf(text, KEY_DIGITS);
    if (bytes > limit) break;
    n++;
  }
  return n;
}

/** What the API server counts against the limit: the key's length plus the value's bytes. */
function bytesOf(text: string, keyLength: number): number {
  return keyLength + Buffer.byteLength(text, 'utf8');
}

function keyOf(n: number): string {
  return String(n).padStart(KEY_DIGITS, '0');
}

function lineText(line: LedgerLine): string {
  return JSON.stringify(line);
}
