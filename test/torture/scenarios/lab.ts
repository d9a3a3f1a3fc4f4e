/**
 * The built-in lab, started by the run itself (a lab process with its router, instances and proxies, recorded as a
 * `process.managed` resource), with one of the lab's faults. The faults live in the lab: what must not be left is
 * the lab, its instances or anything else the run started (found by the trial's directory in their environment).
 */
import type { Scenario } from '../scenario.js';
import { durationLine } from './durations.js';

const FAULTS: Record<string, string> = {
  'kill-instance': 'region: a, select: one',
  'region-outage': 'region: a',
  partition: '',
  latency: 'region: b, latency: 200ms',
  'data-loss': 'region: a',
};

export const labScenario: Scenario = {
  name: 'lab',
  faults: Object.keys(FAULTS).map((f) => `lab.${f}`),
  unavailable: () => null,
  windowMs: 6_000,
  async prepare({ token, random }) {
    const fault = random.pick(Object.keys(FAULTS));
    const params = FAULTS[fault] ? `, ${FAULTS[fault]}` : '';
    const experiment = `version: 1
name: torture-lab
targets:
  lab: { type: lab, name: ${token}, instances: 1, restartDelay: 200ms }
method:
  # lab.data-loss restores the newest backup on revert, and refuses to start without one.
  - action: { type: lab.backup, target: lab, region: a }
  - fault: { type: lab.${fault}, target: lab${params} }
${durationLine(random)}  - pause: 30s
`;
    return { experiment, ownPids: [], leftovers: async () => [], cleanup: async () => undefined };
  },
};
