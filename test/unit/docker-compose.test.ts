/**
 * docker-compose.yml cannot run here (no Docker daemon), so its wiring is checked statically: it is parsed (the
 * `yaml` package, with merge keys as Compose reads them); the control service and an agent per lab instance run
 * entry points that exist, with every environment variable those read (CONTROL_ENV, AGENT_ENV) set; the Toxiproxy
 * config (read with our own Toxiproxy-compatible parser, the format `toxiproxy-server -config` takes) has every
 * proxy the lab names, `replication` included, each forwarding to the port its service listens on; every
 * published port is on 127.0.0.1; Prometheus scrapes every instance; and every lab URL, proxy and port the
 * experiments under experiments/compose/ reference exists. test/e2e/lab-distributed.test.ts runs this topology
 * as local processes.
 */
import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AGENT_ENV, CONTROL_ENV } from '../../src/lab/lab-env.js';
import { RemoteProxies } from '../../src/lab/remote-proxies.js';
import { instanceNames, REGIONS, REPLICATION_PROXY } from '../../src/lab/contract/lab-settings.js';
import { populateInput } from '../../src/proxy/api-input.js';
import { ROOT } from '../support/cli.js';

interface Service {
  build?: unknown;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  configs?: Array<{ source: string; target: string }>;
}
interface Compose {
  services: Record<string, Service>;
  configs: Record<string, { content: string }>;
  volumes: Record<string, unknown>;
}

const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as Compose;
const instances = REGIONS.flatMap((r) => instanceNames(r, 2));
const portOf = (hostPort: string) => Number(hostPort.split(':').at(-1));
/** host port → container port, for every published port (each must be on 127.0.0.1). */
const published = (service: Service) =>
  new Map((service.ports ?? []).map((p) => {
    const [host, hostPort, containerPort] = p.split(':');
    expect(host, `${p} is published on loopback only`).to.equal('127.0.0.1');
    return [Number(hostPort), Number(containerPort)] as const;
  }));
const toxiproxy = compose.services.toxiproxy!;
const proxies = populateInput(JSON.parse(compose.configs[toxiproxy.configs![0]!.source]!.content) as unknown);
const control = compose.services.lab!;
const agentOf = (name: string) => compose.services[`orders-${name}`]!;

/** Every string in a parsed YAML document. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}
/** A service's `command` runs a built entry point whose source exists. */
function expectEntryPoint(service: Service, entry: string): void {
  expect(service.command).to.deep.equal(['node', `dist/lab/${entry}.js`]);
  expect(existsSync(join(ROOT, 'src', 'lab', `${entry}.ts`)), `src/lab/${entry}.ts`).to.equal(true);
}

describe('docker-compose.yml (the distributed lab with the real Toxiproxy and Prometheus)', () => {
  it('CONTROL_ENV and AGENT_ENV name every variable lab-env.ts reads (so the checks below cover them all)', () => {
    const source = readFileSync(join(ROOT, 'src/lab/lab-env.ts'), 'utf8');
    const body = source.slice(source.indexOf('export class EnvError'));
    const read = new Set([...body.matchAll(/(?:env\.|['"])(LAB_[A-Z_]+)/g)].map((m) => m[1]!));
    expect(read.size).to.be.greaterThan(20);
    expect([...CONTROL_ENV, ...AGENT_ENV]).to.include.members([...read]);
  });

  it('publishes every port on 127.0.0.1 only', () => {
    for (const [name, service] of Object.entries(compose.services)) expect(() => published(service), name).to.not.throw();
  });

  it('builds the lab services from the Dockerfile, whose default command is a built entry point', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const cmd = /^CMD \["node", "dist\/(.+)\.js"\]$/m.exec(dockerfile);
    expect(cmd, 'the Dockerfile runs a built entry point').to.not.equal(null);
    expect(existsSync(join(ROOT, 'src', `${cmd![1]}.ts`))).to.equal(true);
    for (const service of [control, ...instances.map(agentOf)]) expect(service.build).to.equal('.');
  });

  it('runs an agent per lab instance with every variable the agent reads, on its region’s volume', () => {
    for (const name of instances) {
      const agent = agentOf(name);
      expect(agent, `service orders-${name}`).to.not.equal(undefined);
      expectEntryPoint(agent, 'agent-main');
      const env = agent.environment!;
      expect(Object.keys(env)).to.include.members([...AGENT_ENV]);
      const region = name.split('-')[0]!;
      expect(env).to.include({ LAB_INSTANCE: name, LAB_REGION: region, LAB_HOST: '0.0.0.0' });
      expect(agent.volumes).to.deep.equal([`region-${region}:${env.LAB_DB!.slice(0, env.LAB_DB!.lastIndexOf('/'))}`]);
    }
  });

  it('runs the control service with every variable it reads, pointing at the agents, Toxiproxy and both regions’ files', () => {
    expectEntryPoint(control, 'control-main');
    const env = control.environment!;
    expect(Object.keys(env)).to.include.members([...CONTROL_ENV]);
    expect(Number(env.LAB_INSTANCES)).to.equal(2);
    const agents = Object.fromEntries(env.LAB_AGENTS!.split(',').map((pair) => pair.split('=') as [string, string]));
    expect(Object.keys(agents).sort()).to.deep.equal([...instances].sort());
    for (const name of instances) {
      expect(agents[name]).to.equal(`http://orders-${name}:${portOf(agentOf(name).environment!.LAB_AGENT_LISTEN!)}`);
    }
    expect(env.LAB_TOXIPROXY_URL).to.equal('http://toxiproxy:8474');
    // Each region's SQLite file is on the volume the region's agents write, mounted into the control service too.
    for (const region of REGIONS) {
      const file = env[`LAB_DB_${region.toUpperCase()}`]!;
      const mount = control.volumes!.find((v) => v.startsWith(`region-${region}:`))!;
      const agentDb = agentOf(`${region}-1`).environment!.LAB_DB!;
      expect(file).to.equal(`${mount.split(':')[1]}/${agentDb.split('/').at(-1)}`);
    }
    expect(published(control).get(portOf(env.LAB_LISTEN!))).to.equal(portOf(env.LAB_LISTEN!));
    expect(env.LAB_PUBLIC_URL).to.equal(`http://127.0.0.1:${portOf(env.LAB_LISTEN!)}`);
    for (const volume of control.volumes!) expect(compose.volumes).to.have.property(volume.split(':')[0]!);
  });

  it('runs the real Toxiproxy with every proxy the lab names, each forwarding to the port its service listens on', () => {
    expect(toxiproxy.image).to.match(/^ghcr\.io\/shopify\/toxiproxy:\d+\.\d+\.\d+$/);
    expect(toxiproxy.command).to.include('-config=/config/toxiproxy.json').and.include('-host=0.0.0.0');
    expect(toxiproxy.configs![0]!.target).to.equal('/config/toxiproxy.json');
    const ports = published(toxiproxy);
    expect(ports.get(8474)).to.equal(8474);
    expect(proxies.map((p) => p.name).sort()).to.deep.equal([...instances, REPLICATION_PROXY].sort());
    for (const proxy of proxies) {
      const [service, port] = proxy.upstream.split(':');
      expect(proxy.enabled, proxy.name).to.equal(true);
      if (proxy.name === REPLICATION_PROXY) {
        expect(service).to.equal('lab');
        expect(Number(port)).to.equal(portOf(control.environment!.LAB_APPLY_LISTEN!));
        continue;
      }
      expect(service).to.equal(`orders-${proxy.name}`);
      expect(Number(port)).to.equal(Number(agentOf(proxy.name).environment!.LAB_INSTANCE_PORT));
      // Published for experiments that fault an instance's proxy with `toxiproxy.*` directly.
      expect(ports.get(portOf(proxy.listen)), `listen port of ${proxy.name} published`).to.equal(portOf(proxy.listen));
    }
  });

  it('the lab reaches each proxy Toxiproxy lists on every interface at the Toxiproxy API’s host (toxiproxy:<port> in compose)', async () => {
    // What Toxiproxy answers for the compose config: Go prints a 0.0.0.0 listener as [::] (both are handled).
    const listed = Object.fromEntries(
      proxies.map((p, i) => [p.name, { name: p.name, listen: i % 2 === 0 ? `[::]:${portOf(p.listen)}` : p.listen, upstream: p.upstream, enabled: true, toxics: [] }]),
    );
    const api = createServer((req, res) => {
      if (req.method === 'GET' && req.url === '/proxies') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(listed));
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => api.listen({ host: '127.0.0.1', port: 0 }, resolve));
    const remote = new RemoteProxies({ apiUrl: `http://127.0.0.1:${(api.address() as AddressInfo).port}`, names: [REPLICATION_PROXY, ...instances], refreshMs: 60_000 });
    try {
      await remote.start();
      for (const proxy of proxies) expect(remote.addressOf(proxy.name), proxy.name).to.deep.equal({ host: '127.0.0.1', port: portOf(proxy.listen) });
    } finally {
      await remote.close();
      api.closeAllConnections();
      await new Promise((resolve) => api.close(resolve));
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
    expect(targets.sort()).to.deep.equal(instances.map((n) => `orders-${n}:${agentOf(n).environment!.LAB_INSTANCE_PORT}`).sort());
    expect(config.scrape_configs[0]!.metrics_path).to.equal('/metrics');
  });

  const dir = join(ROOT, 'experiments', 'compose');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
    it(`every lab URL, proxy and port experiments/compose/${file} references exists in docker-compose.yml`, () => {
      const doc = parse(readFileSync(join(dir, file), 'utf8')) as {
        vars?: Record<string, string>;
        targets: Record<string, { type: string; url?: string }>;
        method?: Array<{ fault?: { type: string; proxy?: string } }>;
      };
      const hostPorts = new Set(Object.values(compose.services).flatMap((s) => [...published(s).keys()]));
      const urls = strings(doc).flatMap((s) => [...s.matchAll(/https?:\/\/([^/:"\s]+):(\d+)/g)]);
      expect(urls).to.not.have.length(0);
      for (const [url, host, port] of urls) {
        expect(host, url).to.equal('127.0.0.1');
        expect(hostPorts.has(Number(port)), `${url}: port ${port} is published`).to.equal(true);
      }
      // A lab target points at the control service's published router (through a var the test can override).
      for (const target of Object.values(doc.targets).filter((t) => t.type === 'lab')) {
        const url = target.url?.replace(/^\$\{vars\.(\w+)\}$/, (_, name: string) => doc.vars?.[name] ?? '');
        expect(url).to.equal(control.environment!.LAB_PUBLIC_URL);
      }
      for (const fault of (doc.method ?? []).flatMap((s) => (s.fault ? [s.fault] : [])).filter((f) => f.type.startsWith('toxiproxy.'))) {
        expect(proxies.map((p) => p.name), `proxy of ${fault.type}`).to.include(fault.proxy);
      }
    });
  }
});
