// A tiny stand-in for an orders service, used by the sample experiments until the built-in lab lands:
// GET /healthz answers {"status":"ok"}; POST /orders stores an order in memory; GET /orders/:id reads it back.
// Listens on 127.0.0.1:$PORT (default 18080).
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 18080);
const orders = new Map();
let next = 1;

const server = createServer((req, res) => {
  const send = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.method === 'GET' && req.url === '/healthz') return send(200, { status: 'ok', pid: process.pid });
  if (req.method === 'POST' && req.url === '/orders') {
    const id = String(next++);
    orders.set(id, { id, at: Date.now() });
    return send(201, orders.get(id));
  }
  const match = /^\/orders\/([^/]+)$/.exec(req.url ?? '');
  if (req.method === 'GET' && match) {
    const order = orders.get(match[1]);
    return order ? send(200, order) : send(404, { error: 'not found' });
  }
  send(404, { error: 'not found' });
});
server.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
