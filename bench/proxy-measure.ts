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
 * Median µs of connect + 32-byte echo for each port, over `count` sequential connections to each. `backToBack`:
 * all of a port's connections in a row, then the next port's (a proxy serving a steady arrival of connections);
 * otherwise the ports take turns connection by connection (port 1, port 2, ..., port 1, ...), so every moment of
 * the machine's load hits all alike, but each server sits idle between two of its connections.
 */
export async function connectEcho(ports: number[], count: number, backToBack: boolean): Promise<number[]> {
  const samples = ports.map(() => [] as number[]);
  if (backToBack) {
    for (const [k, port] of ports.entries()) for (let i = 0; i < count; i++) samples[k]!.push(await oneConnectEcho(port));
  } else {
    for (let i = 0; i < count; i++) for (const [k, port] of ports.entries()) samples[k]!.push(await oneConnectEcho(port));
  }
  return samples.map(median);
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
