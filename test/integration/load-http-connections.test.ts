/**
 * The open-model driver's own HTTP/1.1 client against servers that do what real servers do at the edges, written
 * byte by byte on raw sockets (127.0.0.1): a response split across many packets, interim 1xx responses, HEAD, a
 * server that closes idle keep-alive connections or answers `Connection: close`, a response cut short, and a server
 * that answers more than it was asked (a second response in the same packet, or later on the idle connection), which
 * must never be taken for the next request's answer; and TLS, with the certificate checked.
 */
import { expect } from 'chai';
import { execFile, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runOpenModel } from '../support/open-model-run.js';

interface RawServer {
  url: string;
  /** Connections accepted, requests received (whole request heads). */
  readonly connections: number;
  readonly requests: number;
  close(): Promise<void>;
}

/** A TCP server that calls `answer` for each request head it reads (requests without a body). */
async function startRawServer(answer: (socket: Socket, head: string) => void): Promise<RawServer> {
  let connections = 0;
  let requests = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      for (let end = pending.indexOf('\r\n\r\n'); end >= 0; end = pending.indexOf('\r\n\r\n')) {
        const head = pending.slice(0, end);
        pending = pending.slice(end + 4);
        requests++;
        answer(socket, head);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    get connections() {
      return connections;
    },
    get requests() {
      return requests;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Writes `text` a few bytes at a time, each piece in its own packet (Nagle off, a timer turn between writes). */
async function writeInPieces(socket: Socket, text: string, size = 3): Promise<void> {
  for (let i = 0; i < text.length && !socket.destroyed; i += size) {
    socket.write(text.slice(i, i + size));
    await sleep(1);
  }
}

async function runFor(config: Record<string, unknown>, ms: number) {
  const { summary, timeline } = await runOpenModel({ timeout: '2s', ...config }, ms);
  return { summary, byKind: timeline.summarize(timeline.startMs, Date.now() + 10_000).byKind };
}

const OK = 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok';

describe('the open-model driver\'s HTTP/1.1 connections', function () {
  this.timeout(20_000);
  let server: RawServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it('reads a response split across many packets, chunked or with a length, and keeps the connection', async () => {
    let n = 0;
    server = await startRawServer((socket) => {
      const response =
        n++ % 2 === 0
          ? 'HTTP/1.1 404 Not Found\r\ntransfer-encoding: chunked\r\n\r\n4\r\nmiss\r\n3\r\ning\r\n0\r\n\r\n'
          : 'HTTP/1.1 404 Not Found\r\ncontent-length: 7\r\n\r\nmissing';
      void writeInPieces(socket, response);
    });
    // One connection: a request due while the previous response is still arriving waits for it (a loaded machine
    // can stretch the ~30 timer turns of a response past the 50 ms between requests), and the count below holds.
    const { summary, byKind } = await runFor({ url: server.url, rate: 20, connections: 1 }, 1_000);
    expect(summary.sent).to.be.at.least(19);
    expect(summary.answered).to.equal(summary.sent);
    expect(byKind['4xx']).to.equal(summary.sent);
    expect(server.connections).to.equal(1);
  });

  it('waits past an interim 100 Continue for the final response, and reads a HEAD response without its body', async () => {
    server = await startRawServer((socket, head) => {
      if (head.startsWith('HEAD ')) socket.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n');
      else socket.write('HTTP/1.1 500 Unexpected method\r\ncontent-length: 0\r\n\r\n');
    });
    // One connection, so the count below holds on a busy machine too (see the first test).
    const { summary, byKind } = await runFor({ url: server.url, rate: 40, method: 'HEAD', connections: 1 }, 500);
    expect(summary.sent).to.be.at.least(19);
    expect(byKind['2xx']).to.equal(summary.sent);
    // Had the driver waited for the 1000 body bytes HEAD announced, every request would have timed out.
    expect(summary.timeouts).to.equal(0);
    expect(server.connections).to.equal(1);
  });

  it('opens a new connection when the server closes an idle keep-alive one, and counts nothing against the server', async () => {
    server = await startRawServer((socket) => {
      socket.write(OK);
      // The server's keep-alive timeout, unannounced: 60 ms after answering it closes the connection.
      socket.setTimeout(60, () => socket.end());
    });
    const { summary, byKind } = await runFor({ url: server.url, rate: 10 }, 1_050);
    expect(summary.sent).to.be.at.least(10);
    expect(byKind['2xx']).to.equal(summary.sent);
    expect(summary.errors).to.equal(0);
    // Requests 100 ms apart find their connection closed by the server and open another (a busy machine may send
    // two within 60 ms, on one connection: only "more than one" is certain).
    expect(server.connections).to.be.within(2, summary.sent);
  });

  it('counts a request sent on a connection the server is ending as "reset", never lost, and carries on on new ones', async () => {
    // The server answers as if the connection stayed open, then ends it at once. At 500/s some requests leave on the
    // connection before its end arrives: the server never reads them. HTTP/1.1 cannot tell this from a server that
    // drops requests; like undici and Node's http client, the driver counts them as "reset" (it does not resend).
    server = await startRawServer((socket) => socket.end(OK));
    const { summary, byKind } = await runFor({ url: server.url, rate: 500 }, 1_000);
    expect(summary.sent).to.be.at.least(450);
    expect(byKind['2xx'] + byKind.reset).to.equal(summary.sent);
    expect(byKind.error).to.equal(0);
  });

  it('closes the connection after a `Connection: close` response and after a response delimited by the close', async () => {
    let n = 0;
    server = await startRawServer((socket) => {
      if (n++ % 2 === 0) socket.end('HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\nok');
      else socket.end('HTTP/1.0 201 Created\r\n\r\nbody until the server closes');
    });
    const { summary, byKind } = await runFor({ url: server.url, rate: 100 }, 500);
    expect(summary.sent).to.be.at.least(45);
    expect(byKind['2xx']).to.equal(summary.sent);
    expect(server.connections).to.equal(server.requests);
  });

  it('records a response cut short by the server as "reset", and the requests after it answered', async () => {
    let n = 0;
    server = await startRawServer((socket) => {
      if (n++ === 0) {
        socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly part of it');
        setTimeout(() => socket.destroy(), 10);
      } else socket.write(OK);
    });
    const { summary, byKind } = await runFor({ url: server.url, rate: 40 }, 500);
    expect(byKind.reset).to.equal(1);
    expect(byKind['2xx']).to.equal(summary.sent - 1);
  });

  it('never takes a second response in the same packet for the answer of the request waiting for the connection', async () => {
    const EXTRA = 'HTTP/1.1 500 Nobody asked\r\ncontent-length: 0\r\n\r\n';
    server = await startRawServer((socket) => {
      // The answer comes 50 ms late, so requests queue for the one connection; a queued request goes on the
      // connection as soon as the answer is read, before the rest of the packet, the unasked-for 500, is.
      setTimeout(() => socket.writable && socket.write(OK + EXTRA), 50);
    });
    const { summary, byKind } = await runFor({ url: server.url, rate: 40, connections: 1 }, 300);
    expect(summary.sent).to.be.at.least(12);
    expect(byKind['2xx']).to.equal(summary.sent);
    expect(byKind['5xx']).to.equal(0);
    // Each connection carried one request: the one that answered more than asked was closed.
    expect(server.connections).to.equal(summary.sent);
  });

  it('closes an idle connection on which the server sends bytes nobody asked for', async () => {
    server = await startRawServer((socket) => {
      socket.write(OK);
      // The start of a response, never finished: kept, it would become the head of the next request's answer.
      setTimeout(() => socket.writable && socket.write('HTTP/1.1 500 Nobody asked\r\n'), 2);
    });
    // Requests 200 ms apart: the bytes come 2 ms after each answer, on an idle connection. (Sent later, or read
    // later, than the next request on that connection, they would be taken for its answer: HTTP/1.1 cannot tell.)
    const { summary, byKind } = await runFor({ url: server.url, rate: 5 }, 1_000);
    expect(summary.sent).to.be.at.least(5);
    expect(byKind['2xx']).to.equal(summary.sent);
    expect(byKind['5xx']).to.equal(0);
    expect(server.connections).to.equal(summary.sent);
  });

  it('speaks TLS to an https URL and checks the certificate: answers from a trusted server, errors from an untrusted one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chaos-tls-'));
    try {
      const key = join(dir, 'key.pem');
      const cert = join(dir, 'cert.pem');
      execFileSync(
        'openssl',
        ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
        { stdio: 'ignore' },
      );
      let answered = 0;
      const tls = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => {
        answered++;
        res.end('ok');
      });
      tls.listen(0, '127.0.0.1');
      await once(tls, 'listening');
      try {
        const url = `https://127.0.0.1:${(tls.address() as AddressInfo).port}/`;
        // Untrusted (self-signed, not in this process's CAs): every request is an error, none reaches the server.
        const { summary, byKind } = await runFor({ url, rate: 20 }, 500);
        expect(summary.sent).to.be.at.least(9);
        expect(byKind.error).to.equal(summary.sent);
        expect(answered).to.equal(0);
        // Trusted: a process started with the certificate among its CAs (NODE_EXTRA_CA_CERTS is read at start).
        const script = `import { runOpenModel } from './test/support/open-model-run.ts';
          const { summary } = await runOpenModel({ url: '${url}', rate: 20 }, 500);
          console.log(JSON.stringify(summary));`;
        const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
          env: { ...process.env, NODE_EXTRA_CA_CERTS: cert },
          cwd: fileURLToPath(new URL('../..', import.meta.url)),
        });
        const trusted = JSON.parse(stdout.trim().split('\n').pop()!) as { sent: number; answered: number };
        expect(trusted.sent).to.be.at.least(9);
        expect(trusted.answered).to.equal(trusted.sent);
        expect(answered).to.equal(trusted.sent);
      } finally {
        tls.closeAllConnections();
        await new Promise((resolve) => tls.close(resolve));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
