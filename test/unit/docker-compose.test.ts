/**
 * docker-compose.yml cannot run here (no Docker daemon), so its wiring is checked statically: it is parsed (the
 * `yaml` package), every lab instance has a service built from the Dockerfile, the Toxiproxy config (read with our
 * own Toxiproxy-compatible parser, the format `toxiproxy-server -config` takes) has a proxy per lab instance whose
 * upstream is that service's port and whose listen port is published, Prometheus scrapes every instance, and every
 * proxy, URL and port the experiments under experiments/compose/ reference exists.
 */
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { instanceNames, REGIONS } from '../../src/lab/lab-settings.js';
import { populateInput } from '../../src/proxy/api-input.js';
import { ROOT } from '../support/cli.js';

interface Service {
  build?: unknown;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  configs?: Array<{ source: string; target: string }>;
}
interface Compose {
  services: Record<string, Service>;
  configs: Record<string, { content: string }>;
}

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as Compose;
const instances = REGIONS.flatMap((r) => instanceNames(r, 2));
/** host port → container port, for ports published on 127.0.0.1. */
const published = (service: Service) =>
  new Map((service.ports ?? []).map((p) => {
    const [host, hostPort, containerPort] = p.split(':');
    expect(host, `${p} is published on loopback only`).to.equal('127.0.0.1');
    return [Number(hostPort), Number(containerPort)] as const;
  }));
const toxiproxy = compose.services.toxiproxy!;
const proxies = populateInput(JSON.parse(compose.configs[toxiproxy.configs![0]!.source]!.content) as unknown);

/** Every string in a parsed YAML document. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}
function faults(doc: { method?: Array<{ fault?: { type: string; proxy?: string } }> }) {
  return (doc.method ?? []).flatMap((s) => (s.fault ? [s.fault] : []));
}

describe('docker-compose.yml (the lab with the real Toxiproxy and Prometheus)', () => {
  it('has an orders service per lab instance, built from the Dockerfile, serving the instance entry point', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const cmd = /^CMD \["node", "dist\/(.+)\.js"\]$/m.exec(dockerfile);
    expect(cmd, 'the Dockerfile runs a built entry point').to.not.equal(null);
    expect(existsSync(join(ROOT, 'src', `${cmd![1]}.ts`))).to.equal(true);
    for (const name of instances) {
      const service = compose.services[`orders-${name}`];
      expect(service, `service orders-${name}`).to.not.equal(undefined);
      expect(service!.build).to.equal('.');
      expect(service!.environment).to.include({ LAB_INSTANCE: name, LAB_REGION: name.split('-')[0], PORT: '8080' });
    }
  });

  it('runs the real Toxiproxy with its API on 8474 and a published proxy per instance, named as the lab names them', () => {
    expect(toxiproxy.image).to.match(/^ghcr\.io\/shopify\/toxiproxy:\d+\.\d+\.\d+$/);
    expect(toxiproxy.command).to.include('-config=/config/toxiproxy.json').and.include('-host=0.0.0.0');
    expect(toxiproxy.configs![0]!.target).to.equal('/config/toxiproxy.json');
    const ports = published(toxiproxy);
    expect(ports.get(8474)).to.equal(8474);
    expect(proxies.map((p) => p.name).sort()).to.deep.equal([...instances].sort());
    for (const proxy of proxies) {
      const [service, port] = proxy.upstream.split(':');
      expect(compose.services[service!], `upstream of ${proxy.name}`).to.not.equal(undefined);
      expect(compose.services[service!]!.environment!.PORT).to.equal(port);
      const listenPort = Number(proxy.listen.split(':')[1]);
      expect(ports.get(listenPort), `listen port of ${proxy.name} published`).to.equal(listenPort);
    }
  });

  it('runs Prometheus on 9090 scraping every orders instance', () => {
    const prometheus = compose.services.prometheus!;
    expect(prometheus.image).to.match(/^prom\/prometheus:/);
    expect(published(prometheus).get(9090)).to.equal(9090);
    expect(prometheus.configs![0]!.target).to.equal('/etc/prometheus/prometheus.yml');
    const config = parse(compose.configs[prometheus.configs![0]!.source]!.content) as {
      scrape_configs: Array<{ metrics_path: string; static_configs: Array<{ targets: string[] }> }>;
    };
    const targets = config.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets));
    expect(targets.sort()).to.deep.equal(instances.map((n) => `orders-${n}:8080`).sort());
    expect(config.scrape_configs[0]!.metrics_path).to.equal('/metrics');
  });

  const dir = join(ROOT, 'experiments', 'compose');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
    it(`every proxy, URL and port experiments/compose/${file} references exists in docker-compose.yml`, () => {
      const doc = parse(readFileSync(join(dir, file), 'utf8')) as Parameters<typeof faults>[0];
      const hostPorts = new Set(Object.values(compose.services).flatMap((s) => [...published(s).keys()]));
      const urls = strings(doc).flatMap((s) => [...s.matchAll(/https?:\/\/([^/:"\s]+):(\d+)/g)]);
      expect(urls).to.not.have.length(0);
      for (const [url, host, port] of urls) {
        expect(host, url).to.equal('127.0.0.1');
        expect(hostPorts.has(Number(port)), `${url}: port ${port} is published`).to.equal(true);
      }
      for (const fault of faults(doc).filter((f) => f.type.startsWith('toxiproxy.'))) {
        expect(proxies.map((p) => p.name), `proxy of ${fault.type}`).to.include(fault.proxy);
      }
    });
  }
});
