/** A Deployment manifest for tests against the fake API server: `replicas` pods of `app: name`. */
export function deploymentManifest(name: string, namespace: string, replicas: number, image = 'shop:1.0') {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image }] } } },
  };
}
