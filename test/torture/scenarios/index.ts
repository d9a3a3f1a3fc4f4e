import type { Scenario } from '../scenario.js';
import { kubernetesScenario } from './kubernetes.js';
import { labScenario } from './lab.js';
import { postgresScenario } from './postgres.js';
import { processScenario } from './process.js';
import { toxiproxyScenario } from './toxiproxy.js';

/** Every scenario; between them, every fault type that changes an external system. */
export const SCENARIOS: readonly Scenario[] = [processScenario, toxiproxyScenario, labScenario, kubernetesScenario, postgresScenario];
