/**
 * What `chaos init` can scaffold: the kinds of fault target, the faults each offers, the answers that make an
 * experiment, and their defaults.
 */

/** Where the fault goes: the four kinds of target `chaos init` scaffolds. */
export type FaultTarget =
  | { kind: 'command'; command: string[] }
  | { kind: 'pid-file'; pidFile: string }
  | { kind: 'toxiproxy'; apiUrl: string; proxy: string }
  | { kind: 'kubernetes'; namespace: string; selector: string; context: string | undefined };

export type TargetKind = FaultTarget['kind'];

/** The faults each kind of target offers, the first being the default. */
export const FAULTS_BY_TARGET = {
  command: ['process.pause', 'process.kill'],
  'pid-file': ['process.pause', 'process.kill'],
  toxiproxy: ['toxiproxy.latency', 'toxiproxy.down'],
  kubernetes: ['kubernetes.pod-kill'],
} as const satisfies Record<TargetKind, readonly string[]>;

export type ScaffoldedFault = (typeof FAULTS_BY_TARGET)[TargetKind][number];

/** `--fault` takes these short names as well as the full type names. */
export const FAULT_NAMES: Readonly<Record<string, ScaffoldedFault>> = {
  pause: 'process.pause',
  kill: 'process.kill',
  latency: 'toxiproxy.latency',
  partition: 'toxiproxy.down',
  'pod-kill': 'kubernetes.pod-kill',
};

export interface InitAnswers {
  name: string;
  url: string;
  target: FaultTarget;
  fault: ScaffoldedFault;
  duration: string;
  rate: number;
  rto: string;
  availability: string;
  p95: string;
}

export const DEFAULTS = { name: 'my-service', duration: '10s', rate: '20', availability: '99%', p95: '500ms' } as const;
