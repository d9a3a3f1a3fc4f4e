/**
 * The running lab's parts, as the admin API and deploys work on them. The Lab class builds and serves these parts;
 * the admin API is one of the things it serves, so the admin API sees this interface and not the class.
 */
import type { HostPort } from '../proxy/address.js';
import type { EventLog } from './event-log.js';
import type { LabInfo } from './contract/lab-info.js';
import type { Release } from './contract/lab-status.js';
import type { LabInstances } from './lab-instances.js';
import type { LabProxies } from './lab-proxies.js';
import type { LabSettings, Region } from './contract/lab-settings.js';
import type { OrdersDb } from './orders-db.js';
import type { Replicator } from './replicator.js';
import type { Router } from './router.js';

export interface LabParts {
  readonly settings: LabSettings;
  readonly dir: string;
  readonly events: EventLog;
  readonly dbs: Record<Region, OrdersDb>;
  readonly regions: Record<Region, string[]>;
  readonly instances: LabInstances;
  readonly router: Router;
  readonly replicator: Replicator;
  readonly proxies: LabProxies;
  /** What the lab publishes about itself once it serves (`GET /admin/info`). */
  readonly info: LabInfo | null;
  /** The release before the newest deploy, for `lab.rollback`. */
  previousRelease: Release | null;
  /** The newest backup, which `lab.restore` uses when it names none. */
  lastBackup: string | null;
  /** Tokens of restores done (`lab.data-loss` reverts), so a repeated revert restores once. */
  readonly restoredTokens: Set<string>;
  /** The address of an enabled proxy; null while it is disabled (a region outage, a partition). */
  addressOf(name: string): HostPort | null;
}
