/**
 * Writes a kubeconfig (no TLS: the fake listens on plain HTTP on loopback) for kubectl and for the plugin.
 * client-node refuses an http:// server unless the cluster says `insecure-skip-tls-verify`; kubectl ignores it for http.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';

export async function writeKubeconfig(dir: string, url: string, options: { namespace?: string; token?: string; context?: string } = {}): Promise<string> {
  const context = options.context ?? 'fake';
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'fake', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'tester', user: { token: options.token ?? 'fake-token' } }],
    contexts: [{ name: context, context: { cluster: 'fake', user: 'tester', namespace: options.namespace ?? 'default' } }],
    'current-context': context,
  };
  const path = join(dir, `kubeconfig-${context}`);
  await writeFile(path, stringify(config));
  return path;
}
