/** `tcp`: whether a TCP port accepts connections. */
import { defineProbe } from '../../api.js';
import { tryConnect } from '../../shared/try-connect.js';
import { tcpSpec } from '../specs.js';

export const tcpProbe = defineProbe({
  ...tcpSpec,
  async run(_session, p, ctx) {
    const attempt = await tryConnect(p.host, p.port, p.timeout, ctx.signal);
    ctx.signal.throwIfAborted();
    const where = `${p.host}:${p.port}`;
    const found = attempt.open ? `${where} is open` : `${where} is closed (${attempt.error})`;
    const ok = (p.state === 'open') === attempt.open;
    return {
      ok,
      message: ok ? found : `${found}, expected ${p.state}`,
      output: { host: p.host, port: p.port, open: attempt.open, latencyMs: attempt.latencyMs, error: attempt.error },
    };
  },
});
