/**
 * The real Toxiproxy server: the run creates a proxy of its own (a `toxiproxy.proxy` resource) and adds a toxic
 * to it, adds another toxic to a proxy that existed before the run, and cuts that proxy (`toxiproxy.down`). Every
 * toxic type is drawn over the trials. Left behind: the run's proxy, any toxic, a disabled proxy.
 */
import type { Random } from '../random.js';
import type { Scenario } from '../scenario.js';
import { durationLine } from './durations.js';

/** Each toxic fault type with parameters that make it act. */
const TOXICS: Record<string, string> = {
  latency: 'latency: 300ms, jitter: 50ms',
  bandwidth: 'rate: 10',
  timeout: 'timeout: 0s',
  'reset-peer': 'timeout: 100ms',
  slicer: 'averageSize: 16, sizeVariation: 4',
  'limit-data': 'bytes: 64',
  'slow-close': 'delay: 500ms',
};

interface ProxyJson {
  name: string;
  enabled: boolean;
  toxics: Array<{ name: string }>;
}

function toxicStep(random: Random, proxy: string): string {
  const type = random.pick(Object.keys(TOXICS));
  return `  - fault: { type: toxiproxy.${type}, target: net, proxy: ${proxy}, stream: ${random.pick(['upstream', 'downstream'])}, ${TOXICS[type]} }\n${durationLine(random)}`;
}

export const toxiproxyScenario: Scenario = {
  name: 'toxiproxy',
  faults: [...Object.keys(TOXICS).map((t) => `toxiproxy.${t}`), 'toxiproxy.down'],
  unavailable: (env) => ('unavailable' in env.toxiproxy ? env.toxiproxy.unavailable : null),
  windowMs: 2_000,
  async prepare({ token, env, random }) {
    if ('unavailable' in env.toxiproxy) throw new Error(env.toxiproxy.unavailable);
    const { url } = env.toxiproxy;
    const upstream = `${env.echo.host}:${env.echo.port}`;
    const existing = `pre-${token}`;
    const created = `run-${token}`;
    const answer = await fetch(`${url}/proxies`, { method: 'POST', body: JSON.stringify({ name: existing, listen: '127.0.0.1:0', upstream, enabled: true }) });
    if (!answer.ok) throw new Error(`cannot create proxy ${existing}: ${answer.status} ${await answer.text()}`);
    const experiment = `version: 1
name: torture-toxiproxy
targets:
  net: { type: toxiproxy, url: "${url}", proxies: [{ name: ${created}, upstream: "${upstream}" }] }
method:
${toxicStep(random, created)}${toxicStep(random, existing)}  - fault: { type: toxiproxy.down, target: net, proxy: ${existing} }
${durationLine(random)}  - pause: 30s
`;
    const proxies = async () => Object.values((await (await fetch(`${url}/proxies`)).json()) as Record<string, ProxyJson>);
    return {
      experiment,
      ownPids: [],
      async leftovers() {
        const left: string[] = [];
        for (const proxy of await proxies()) {
          if (proxy.name === created) left.push(`proxy ${created} that the run created is still on the Toxiproxy server (${proxy.toxics.length} toxic(s))`);
          if (proxy.name !== existing) continue;
          for (const toxic of proxy.toxics) left.push(`toxic ${toxic.name} still on proxy ${existing}`);
          if (!proxy.enabled) left.push(`proxy ${existing} is still disabled (toxiproxy.down)`);
        }
        return left;
      },
      async cleanup() {
        for (const name of [existing, created]) await fetch(`${url}/proxies/${name}`, { method: 'DELETE' });
      },
    };
  },
};
