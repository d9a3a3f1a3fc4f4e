/**
 * Latency histograms (HdrHistogram, via hdr-histogram-js) in microseconds, 3 significant digits: a recorded value
 * is exact to 0.1%. One factory so every histogram of a run can be merged with every other.
 */
import * as hdr from 'hdr-histogram-js';

export type LatencyHistogram = hdr.Histogram;

/** Values are microseconds; 1 µs to 1 h, resized automatically past that. */
export function newLatencyHistogram(): LatencyHistogram {
  return hdr.build({ bitBucketSize: 32, lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, autoResize: true });
}

/** A compact, lossless form (zlib + base64) for buckets that are no longer live. */
export function encodeHistogram(histogram: LatencyHistogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(encoded: string): LatencyHistogram {
  return hdr.decodeFromCompressedBase64(encoded, 32);
}

/** The relative precision of a recorded value, for reports. */
export const HISTOGRAM_PRECISION = '±0.1% (HDR histogram, 3 significant digits)';

/** Latency in ms at percentile `p` (0–100), or null when nothing was recorded. */
export function percentileMs(histogram: LatencyHistogram, p: number): number | null {
  if (histogram.totalCount === 0) return null;
  return histogram.getValueAtPercentile(p) / 1000;
}
