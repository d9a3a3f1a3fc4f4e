import { z } from 'zod';
import { durationSchema } from '../../../units/duration.js';
import type { ProbeType } from '../../api.js';
import { tryConnect } from '../../shared/try-connect.js';

export const tcpParamsSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(1).max(65535),
    timeout: durationSchema.prefault('2s'),
    expect: z.enum(['open', 'closed']).default('open').describe('closed: refused or no answer within the timeout'),
  })
  .strict();
export type TcpParams = z.output<typeof tcpParamsSchema>;

/** `tcp`: whether a TCP port accepts connections. */
export const tcpProbe: ProbeType<unknown, TcpParams> = {
  type: 'tcp',
  description: 'Whether a TCP port accepts connections (expect open or closed)',
  needsTarget: false,
  params: tcpParamsSchema,
  async run(_session, p, ctx) {
    const attempt = await tryConnect(p.host, p.port, p.timeout, ctx.signal);
    ctx.signal.throwIfAborted();
    const where = `${p.host}:${p.port}`;
    const found = attempt.open ? `${where} is open` : `${where} is closed (${attempt.error})`;
    const ok = (p.expect === 'open') === attempt.open;
    return {
      ok,
      message: ok ? found : `${found}, expected ${p.expect}`,
      output: { host: p.host, port: p.port, open: attempt.open, latencyMs: attempt.latencyMs, error: attempt.error },
    };
  },
};
