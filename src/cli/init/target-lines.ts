/**
 * The parts of a scaffolded experiment that depend on the kind of target: the target itself (with comments saying
 * what the run does with it) and the steady-state probes it adds. Also the line helpers every part uses.
 */
import type { FaultTarget } from './scaffold-choices.js';

/** The name steps use for the target, by kind. */
export const TARGET_NAME: Record<FaultTarget['kind'], string> = { command: 'service', 'pid-file': 'service', toxiproxy: 'network', kubernetes: 'cluster' };

/** A value from the user as a JSON string: a valid YAML double-quoted scalar, which no answer can break out of. */
export const q = (value: string) => JSON.stringify(value);

const COMMENT_COLUMN = 36;
/** A line of YAML with its comment; the comments of a block align where the code allows. */
export const note = (code: string, comment: string) => `${code.padEnd(COMMENT_COLUMN - 1)} # ${comment}`;

export function targetLines(target: FaultTarget, url: string): string[] {
  const header = '# Targets are the systems the experiment acts on; steps name them (here `' + TARGET_NAME[target.kind] + '`).';
  switch (target.kind) {
    case 'command': {
      return [
        header,
        '# This one is a process the run starts with `command` (no shell; relative paths are resolved from the folder you',
        '# run chaos in), waits for until it accepts connections on `ready`, and stops at the end.',
        'targets:',
        '  service:',
        '    type: process',
        `    command: [${target.command.map(q).join(', ')}]`,
        readyLine(url),
        note('    # env: { PORT: "8080" }', 'extra environment variables, if your service reads its settings from them'),
      ];
    }
    case 'pid-file':
      return [
        header,
        '# This one is a process that is already running, found through its PID file (read again at every use, so a',
        '# supervisor may rewrite it). The run never starts or stops it.',
        'targets:',
        '  service:',
        '    type: process',
        `    pidFile: ${q(target.pidFile)}`,
      ];
    case 'toxiproxy':
      return [
        header,
        `# This one is a Toxiproxy server whose proxy ${q(target.proxy)} sits between the clients and your service: the URLs`,
        '# below must go through that proxy (its listen address), or the fault changes nothing. Without a Toxiproxy,',
        '# leave `url` out and list `proxies:` to have the run start the embedded one: npx chaos list toxiproxy',
        'targets:',
        '  network:',
        '    type: toxiproxy',
        `    url: ${q(target.apiUrl)}`,
      ];
    case 'kubernetes':
      return [
        header,
        '# This one is a namespace of a Kubernetes cluster, reached with your kubeconfig. Connecting checks the API server,',
        '# the namespace, and that you may delete pods there, before anything is injected.',
        'targets:',
        '  cluster:',
        '    type: kubernetes',
        `    namespace: ${q(target.namespace)}`,
        target.context === undefined
          ? note('    # context: staging', 'a kubeconfig context; default: the current one')
          : `    context: ${q(target.context)}`,
      ];
  }
}

/** The started service must listen where the URL points: the run waits for that port before the steady state. */
function readyLine(url: string): string {
  const parsed = new URL(url);
  const port = parsed.port === '' ? (parsed.protocol === 'https:' ? 443 : 80) : Number(parsed.port);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  return note(`    ready: { host: ${q(host)}, port: ${port}, timeout: 10s }`, 'the host and port of the URL below');
}

export function steadyStateLines(target: FaultTarget): string[] {
  if (target.kind === 'toxiproxy') {
    return [
      '  - name: the proxy exists and is enabled',
      `    probe: { type: toxiproxy.proxy, target: network, proxy: ${q(target.proxy)}, enabled: true }`,
    ];
  }
  if (target.kind === 'kubernetes') {
    return [
      `  - name: every pod of ${target.selector} is ready`,
      `    probe: { type: kubernetes.pods-ready, target: cluster, labelSelector: ${q(target.selector)} }`,
    ];
  }
  return [];
}
