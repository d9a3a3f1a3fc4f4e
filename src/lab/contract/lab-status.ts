/**
 * What the lab's admin API answers (`GET /admin/status`, `POST /admin/deploy`): one description, which the admin
 * API is checked against and its clients (the lab plugin, `chaos lab status`) read.
 */
import type { ProxyJson } from '../../proxy/proxy.js';
import type { Region } from './lab-settings.js';

/** What an instance runs: a version, possibly flagged bad. */
export interface Release {
  version: string;
  errorRate: number;
  addedLatencyMs: number;
}

export interface InstanceInfo {
  name: string;
  region: Region;
  pid: number;
  startTime: string | null;
  port: number;
  release: Release;
  running: boolean;
}

/** The router's counts for one instance, and whether its health check passes. */
export interface InstanceStats {
  requests: number;
  failures: number;
  healthy: boolean;
}

export interface ReplicationStatus {
  source: Region;
  target: Region;
  /** How far the standby is behind: the configured lag, plus the time since replication last caught up. */
  lagMs: number;
  configuredLagMs: number;
  linkUp: boolean;
  lastShipped: { id: string; createdAt: number; seq: number } | null;
}

export interface LabStatus {
  name: string;
  pid: number;
  primary: Region;
  promoting: boolean;
  regions: Record<Region, RegionStatus>;
  replication: ReplicationStatus;
  router: { served: number; failed: number };
  orders: Record<Region, number>;
  lastBackup: string | null;
}

export interface RegionStatus {
  healthy: boolean;
  /** Whether any of the region's instance proxies is enabled (a region outage disables them all). */
  reachable: boolean;
  instances: Array<InstanceInfo & InstanceStats & { proxy: ProxyJson | null }>;
}

export interface DeployRequest {
  version: string;
  strategy: 'rolling' | 'canary';
  errorRate: number;
  addedLatencyMs: number;
  /** How long the canary is watched before the rest follows. */
  observeMs: number;
  /** The canary gate: above this share of failed requests it fails. */
  maxErrorRate: number;
  /** Wait between instances of a rolling deploy. */
  pauseMs: number;
}

// A type, not an interface: an action returns it as its JSON output.
export type DeployResult = {
  version: string;
  strategy: string;
  outcome: 'completed' | 'rolled-back';
  instances: string[];
  /** For a failed canary: from the canary serving to the gate failing, and how long the rollback took. */
  detectedAfterMs: number | null;
  rollbackMs: number | null;
  canary: { requests: number; failures: number; errorRate: number } | null;
  failedResponsesDuringDeploy: number;
  durationMs: number;
};
