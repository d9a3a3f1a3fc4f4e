/**
 * What bench/proxy measures, from the client's side: throughput over one long stream, the median of connect +
 * one small echo over many sequential connections, and echo round trips on one connection.
 */
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** MB/s reading one stream of `bytes` bytes from port, until the server closes it. */
export function streamThroughput(port: number, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let received = 0;
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('data', (d: Buffer) => (received += d.length));
    socket.on('error', reject);
    socket.on('close', () => {
      if (received < bytes) reject(new Error(`stream ended after ${received} bytes`));
      else resolve(received / 1e6 / ((performance.now() - started) / 1000));
    });
  });
}

/** µs of one connect + write 32 bytes + read the echo + close. */
function oneConnectEcho(port: number): Promise<number> {
  const message = Buffer.alloc(32, 1);
  return new Promise<number>((resolve, reject) => {
    const started = performance.now();
    const socket = connect({ host: '127.0.0.1', port, noDelay: true }, () => socket.write(message));
    let got = 0;
    socket.on('data', (d: Buffer) => {
      got += d.length;
      if (got >= message.length) {
        const took = performance.now() - started;
        socket.destroy();
        resolve(took * 1000);
      }
    });
    socket.on('error', reject);
  });
}

/**
 * Median µs of connect + 32-byte echo for each port, over `count` sequential connections to each.
 *
 * `settleMs` null: back to back, all of a port's connections in a row, then the next port's (a proxy serving a
 * steady arrival of connections; what it does after a connection closes lands in its own next one).
 *
 * Otherwise the ports take turns connection by connection, going through every order of them in turn (for three
 * ports: 123, 132, 213, 231, 312, 321, ...), with `settleMs` of quiet after each connection: every moment of the
 * machine's load hits all alike, each port follows each other equally often, and a server's work after a
 * connection closes (the real Toxiproxy writes log lines and ends goroutines, the embedded one closes sockets) has
 * ended before the next connection. Taken in one fixed order without the pause, each server's teardown was counted
 * in the figure of the one after it, always the same one.
 */
export async function connectEcho(ports: number[], count: number, settleMs: number | null): Promise<number[]> {
  const samples = ports.map(() => [] as number[]);
  if (settleMs === null) {
    for (const [k, port] of ports.entries()) for (let i = 0; i < count; i++) samples[k]!.push(await oneConnectEcho(port));
  } else {
    const orders = permutations(ports.length);
    for (let i = 0; i < count; i++) {
      for (const k of orders[i % orders.length]!) {
        samples[k]!.push(await oneConnectEcho(ports[k]!));
        await new Promise((resolve) => setTimeout(resolve, settleMs));
      }
    }
  }
  return samples.map(median);
}

/** Every order of 0..n-1. */
function permutations(n: number): number[][] {
  if (n <= 1) return [[...Array(n).keys()]];
  return permutations(n - 1).flatMap((order) => [...Array(n).keys()].map((at) => [...order.slice(0, at), n - 1, ...order.slice(at)]));
}

/** `count` round trips of 32 bytes on one connection, in ms. */
export async function echoRoundTrips(port: number, count: number): Promise<number[]> {
  const socket = connect({ host: '127.0.0.1', port, noDelay: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const samples: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      samples.push(
        await new Promise<number>((resolve) => {
          const started = performance.now();
          let got = 0;
          const onData = (d: Buffer) => {
            got += d.length;
            if (got < 32) return;
            socket.off('data', onData);
            resolve(performance.now() - started);
          };
          socket.on('data', onData);
          socket.write(Buffer.alloc(32, i));
        }),
      );
    }
  } finally {
    socket.destroy();
  }
  return samples;
}
