/** The `http` plugin's types as the registry knows them before the plugin is loaded: names, descriptions, schemas. */
import type { ActionSpec, ProbeSpec } from '../api.js';
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
