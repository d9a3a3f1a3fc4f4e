/** The `http` plugin's implementation, loaded on demand (see index.ts). */
import type { PluginImplementation } from '../api.js';
import { httpRequestAction } from './actions/request.js';
import { httpProbe } from './probes/http.js';
import { httpRpoStore } from './rpo-store.js';

export const httpImplementation: PluginImplementation = {
  probes: [httpProbe],
  actions: [httpRequestAction],
  rpoStore: httpRpoStore,
};
