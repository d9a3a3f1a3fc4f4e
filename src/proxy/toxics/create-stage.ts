/**
 * Builds the stage of one toxic on one link. The toxicity is rolled here, once per link (and again when the toxic
 * is updated): a toxic that loses the roll passes data through untouched on that link.
 */
import type { LinkControl, Sink, Stage, StageState } from '../stage.js';
import { PassStage } from '../stage.js';
import type { ToxicType } from '../toxic-types.js';
import { BandwidthStage } from './bandwidth.js';
import { LatencyStage } from './latency.js';
import { LimitDataStage } from './limit-data.js';
import { ResetPeerStage } from './reset-peer.js';
import { SlicerStage } from './slicer.js';
import { SlowCloseStage } from './slow-close.js';
import { TimeoutStage } from './timeout.js';

export interface ToxicDefinition {
  type: ToxicType;
  attributes: Record<string, number>;
  toxicity: number;
}

export function createStage(toxic: ToxicDefinition, next: Sink, state: StageState, control: LinkControl): Stage {
  if (!(Math.random() < toxic.toxicity)) return new PassStage(next);
  const a = toxic.attributes;
  switch (toxic.type) {
    case 'noop':
      return new PassStage(next);
    case 'latency':
      return new LatencyStage(next, a.latency ?? 0, a.jitter ?? 0);
    case 'bandwidth':
      return new BandwidthStage(next, a.rate ?? 1);
    case 'slow_close':
      return new SlowCloseStage(next, a.delay ?? 0);
    case 'timeout':
      return new TimeoutStage(next, a.timeout ?? 0);
    case 'reset_peer':
      return new ResetPeerStage(next, a.timeout ?? 0, control);
    case 'slicer':
      return new SlicerStage(next, a.average_size ?? 1, a.size_variation ?? 0, a.delay ?? 0);
    case 'limit_data':
      return new LimitDataStage(next, a.bytes ?? 0, state);
  }
}
