/** `toxiproxy.slicer`: cuts the data into small slices (average ± variation bytes), with a delay between them. */
import { formatDuration } from '../../../units/duration.js';
import { slicerSpec } from '../specs.js';
import { toxicFault } from './toxic-fault.js';

export const slicerFault = toxicFault(slicerSpec, {
  toxicType: 'slicer',
  // Toxiproxy's slicer delay is in microseconds.
  attributes: (p) => ({ average_size: p.averageSize, size_variation: p.sizeVariation, delay: p.delay * 1000 }),
  summary: (p) => `data sliced into ${p.averageSize}${p.sizeVariation > 0 ? ` ± ${p.sizeVariation}` : ''}-byte pieces${p.delay > 0 ? ` ${formatDuration(p.delay)} apart` : ''}`,
});
