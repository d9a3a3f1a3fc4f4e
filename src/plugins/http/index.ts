/**
 * The `http` plugin: no targets; an `http` probe and an `http.request` action against any URL, and an RPO writer
 * and reader over HTTP. This is its manifest, what the registry holds; the implementation loads when a run first
 * needs it.
 */
import type { PluginManifest } from '../api.js';
import { httpRequestSpec, httpRpoStoreSpec, httpSpec } from './specs.js';

export const httpPlugin: PluginManifest = {
  name: 'http',
  description: 'HTTP requests as probes and actions',
  probes: [httpSpec],
  actions: [httpRequestSpec],
  rpoStore: httpRpoStoreSpec,
  load: async () => (await import('./implementation.js')).httpImplementation,
};
