/**
 * The settings of a `toxiproxy` target: the API `url` of a Toxiproxy server (absent: the embedded one, started
 * in-process for the run), and the proxies the run needs, created when the run connects unless they exist.
 */
import { z } from 'zod';
import { parseHostPort } from '../../proxy/address.js';
import { defineTarget } from '../api.js';

const hostPort = (what: string) =>
  z
    .string()
    .min(1)
    .refine((value) => parseHostPort(value) !== null, { error: `expected host:port for ${what}, e.g. 127.0.0.1:5432` });

export const proxySpecSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9._-]+$/, { error: 'expected letters, digits, ".", "_" or "-"' }).describe('the proxy name'),
    listen: hostPort('listen').default('127.0.0.1:0').describe('where the proxy listens; port 0: the proxy picks one'),
    upstream: hostPort('upstream').describe('where the proxy forwards to'),
  })
  .strict();

export const toxiproxyConfigSchema = z
  .object({
    url: z
      .url({ protocol: /^https?$/, error: 'expected the URL of a Toxiproxy API, e.g. http://127.0.0.1:8474' })
      .optional()
      .describe('the Toxiproxy API; absent: the embedded proxy, started for the run'),
    proxies: z.array(proxySpecSchema).default([]).describe('proxies the run creates (unless they exist) and removes at the end'),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.proxies.forEach((p, i) => {
      if (seen.has(p.name)) {
        ctx.addIssue({ code: 'custom', path: ['proxies', i, 'name'], message: `proxy "${p.name}" is listed twice` });
      }
      seen.add(p.name);
    });
  });

export type ToxiproxyConfig = z.output<typeof toxiproxyConfigSchema>;
export type ProxySpec = z.output<typeof proxySpecSchema>;

/** The real thing a target points at: a server's URL, or (embedded) the proxies it would create. */
export function toxiproxyTargetKey(config: ToxiproxyConfig): string {
  if (config.url !== undefined) return `toxiproxy:${new URL(config.url).origin}`;
  return `toxiproxy:embedded:${JSON.stringify(config.proxies)}`;
}

/** The `toxiproxy` target kind. */
export const toxiproxyTarget = defineTarget({
  config: toxiproxyConfigSchema,
  // `<proxy>.listen` and `<proxy>.port` for each proxy of the target.
  attributes: ['url', '*.listen', '*.port'],
  targetKey: toxiproxyTargetKey,
});
