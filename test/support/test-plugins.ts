/**
 * Small plugins for testing the experiment format without the built-in plugins: their schemas exercise what the
 * format must handle (durations in params, plugin-level refinements, targets with and without attributes,
 * probes and actions with and without targets). Their activities do nothing.
 */
import { z } from 'zod';
import type { ChaosPlugin } from '../../src/plugins/api.js';
import { durationSchema } from '../../src/units/duration.js';

const noop = async () => ({ ok: true, message: 'ok', output: null });

/** A service target: `{ type: svc, url, replicas? }`; publishes `url` and `port`. */
export const svcPlugin: ChaosPlugin = {
  name: 'svc',
  description: 'A test service',
  config: z
    .object({ url: z.string(), replicas: z.int().min(1).default(1), mode: z.enum(['fast', 'slow']).optional() })
    .superRefine((config, ctx) => {
      if (config.url.startsWith('ftp:')) {
        ctx.addIssue({ code: 'custom', message: 'ftp is not supported', path: ['url'], params: { code: 'E_VALUE' } });
      }
    }),
  attributes: ['url', 'port'],
  faults: [
    {
      type: 'svc.stop',
      description: 'Stops the service',
      params: z.object({}),
      inject: async () => ({}),
      revert: async () => {},
    },
    {
      type: 'svc.latency',
      description: 'Adds latency',
      params: z
        .object({ latency: durationSchema, jitter: durationSchema.optional() })
        .superRefine((p, ctx) => {
          if (p.jitter !== undefined && p.jitter > p.latency) {
            ctx.addIssue({ code: 'custom', message: 'jitter is larger than latency', path: ['jitter'] });
          }
        }),
      inject: async () => ({}),
      revert: async () => {},
    },
  ],
  probes: [
    { type: 'svc.healthy', description: 'Is it up', needsTarget: true, params: z.object({}), run: noop },
  ],
};

/** A target-less plugin: probe `web`, action `web.request`. */
export const webPlugin: ChaosPlugin = {
  name: 'web',
  description: 'HTTP without a target',
  probes: [
    {
      type: 'web',
      description: 'GET a URL',
      needsTarget: false,
      params: z.object({ url: z.string().min(1), status: z.int().default(200), rate: z.number().optional() }),
      run: noop,
    },
  ],
  actions: [
    {
      type: 'web.request',
      description: 'Send a request',
      needsTarget: false,
      params: z.object({ url: z.string().min(1), method: z.enum(['GET', 'POST']).default('GET') }),
      run: async () => null,
    },
  ],
};

/** A database target without attributes, to test target-type mismatches. */
export const dbPlugin: ChaosPlugin = {
  name: 'db',
  description: 'A test database',
  config: z.object({ dsn: z.string() }),
  faults: [
    {
      type: 'db.lag',
      description: 'Replication lag',
      params: z.object({ lag: durationSchema }),
      inject: async () => ({}),
      revert: async () => {},
    },
  ],
};

export const testPlugins: ChaosPlugin[] = [svcPlugin, webPlugin, dbPlugin];
