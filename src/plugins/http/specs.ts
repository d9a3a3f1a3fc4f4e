/** The `http` plugin's types as the registry knows them before the plugin is loaded: names, descriptions, schemas. */
import { z } from 'zod';
import type { ActionSpec, ProbeSpec, RpoRole, RpoStoreSpec } from '../api.js';
import { httpParamsSchema } from './params.js';

export const httpSpec = {
  type: 'http',
  description: 'Send an HTTP request and check the status, body, JSON and latency of the response',
  needsTarget: false,
  params: httpParamsSchema,
} satisfies ProbeSpec;

export const httpRequestSpec = {
  type: 'http.request',
  description: 'Send an HTTP request; fails unless the response meets `expect` (default: status 200..399)',
  needsTarget: false,
  params: httpParamsSchema,
} satisfies ActionSpec;

const RPO_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** An RPO writer or reader over HTTP (see rpo-store.ts). */
export const httpRpoStoreSpec = {
  endpoint: (role: RpoRole) =>
    z.strictObject({
      url: z.string().min(1).meta({ description: role === 'writer' ? 'Where each record is written' : 'Where a record is read back: `{id}` is its id' }),
      method: z.enum(RPO_METHODS).default(role === 'writer' ? 'POST' : 'GET'),
      headers: z.record(z.string(), z.string()).default({}),
      body: z.string().optional().meta({ description: '`{id}` is replaced by the record id; default {"id": <id>} for writes' }),
    }),
} satisfies RpoStoreSpec;
