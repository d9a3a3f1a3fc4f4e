/**
 * The `http` plugin: no targets; an `http` probe and an `http.request` action against any URL.
 */
import type { ChaosPlugin } from '../api.js';
import { httpRequestAction } from './actions/request.js';
import { httpProbe } from './probes/http.js';

export const httpPlugin: ChaosPlugin = {
  name: 'http',
  description: 'HTTP requests as probes and actions',
  probes: [httpProbe],
  actions: [httpRequestAction],
};
