/**
 * The `http` plugin: no targets; an `http` probe and an `http.request` action against any URL, and an RPO writer
 * and reader over HTTP.
 */
import type { ChaosPlugin } from '../api.js';
import { httpRequestAction } from './actions/request.js';
import { httpProbe } from './probes/http.js';
import { httpRpoStore } from './rpo-store.js';

export const httpPlugin: ChaosPlugin = {
  name: 'http',
  description: 'HTTP requests as probes and actions',
  probes: [httpProbe],
  actions: [httpRequestAction],
  rpoStore: httpRpoStore,
};
