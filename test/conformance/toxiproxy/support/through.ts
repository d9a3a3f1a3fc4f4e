/**
 * The data path seen from a client: a proxy with one toxic in front of a real upstream, and what the client
 * measures through it. Used on each side of a conformance test, so both are measured the same way.
 */
import { echoRoundTrip, median, recordClient, type ClientRecord } from '../../../support/proxy-net.js';
import type { Side } from './differential.js';

export interface ToxicSpec {
  type: string;
  stream?: 'upstream' | 'downstream';
  toxicity?: number;
  attributes?: Record<string, number>;
}

/** Creates proxy `name` to `upstream` with the toxics given; returns the port it listens on. */
export async function proxyWith(side: Side, upstream: string, toxics: ToxicSpec[], name = 'p'): Promise<number> {
  const created = await side.quiet('POST', '/proxies', { name, listen: '127.0.0.1:0', upstream });
  if (created.status !== 201) throw new Error(`${side.kind}: cannot create the proxy: ${JSON.stringify(created.json)}`);
  for (const [i, toxic] of toxics.entries()) {
    const added = await side.quiet('POST', `/proxies/${name}/toxics`, { name: `t${i}`, ...toxic });
    if (added.status !== 200) throw new Error(`${side.kind}: cannot add ${JSON.stringify(toxic)}: ${JSON.stringify(added.json)}`);
  }
  return side.listenPort(name);
}

/** `count` sequential echo round trips of `bytes` bytes on one connection, in ms. */
export async function roundTrips(port: number, count: number, bytes = 32): Promise<number[]> {
  const client = recordClient(port);
  await client.connected;
  const samples: number[] = [];
  try {
    for (let i = 0; i < count; i++) samples.push(await echoRoundTrip(client.socket, Buffer.alloc(bytes, i)));
  } finally {
    client.socket.destroy();
  }
  return samples;
}

export interface Observed {
  client: ClientRecord;
  /** How and when (ms since connect was called) the connection closed; null when still open after the wait. */
  closed: { at: number; error: string | null; sawEnd: boolean } | null;
  /** When the connection was established (ms since connect was called); 0 if a reset came first. */
  connectedAt: number;
}

/** Connects, optionally sends `send`, and records everything until the connection closes or `waitMs` passes. */
export async function observe(port: number, waitMs: number, send?: Buffer): Promise<Observed> {
  const client = recordClient(port);
  client.socket.on('error', () => undefined);
  // A reset can reach the socket before its connect completes: then there is no connect event at all.
  const connectedAt = await Promise.race([client.connected, client.closed.then(() => 0)]);
  if (send && !client.socket.destroyed) client.socket.write(send);
  const closed = await Promise.race([client.closed, new Promise<null>((r) => setTimeout(() => r(null), waitMs))]);
  client.socket.destroy();
  return { client, closed, connectedAt };
}

export { median };
