/** `toxiproxy.slicer`: cuts the data into small slices (average ± variation bytes), with a delay between them. */
import { z } from 'zod';
import { durationSchema, formatDuration } from '../../../units/duration.js';
import { commonToxicParams, toxicFault } from './toxic-fault.js';

const params = z
  .object({
    ...commonToxicParams,
    averageSize: z.int().min(1).describe('average slice size in bytes'),
    sizeVariation: z.int().min(0).default(0).describe('± bytes; smaller than averageSize'),
    delay: durationSchema.prefault('0ms').describe('wait between slices'),
  })
  .strict()
  .refine((p) => p.sizeVariation < p.averageSize, { error: 'sizeVariation must be smaller than averageSize', path: ['sizeVariation'] });

export const slicerFault = toxicFault<z.output<typeof params>>({
  name: 'slicer',
  toxicType: 'slicer',
  description: 'Slice the data through a proxy into small pieces with a delay between them',
  params: params as unknown as z.ZodObject<z.ZodRawShape>,
  // Toxiproxy's slicer delay is in microseconds.
  attributes: (p) => ({ average_size: p.averageSize, size_variation: p.sizeVariation, delay: p.delay * 1000 }),
  summary: (p) => `data sliced into ${p.averageSize}${p.sizeVariation > 0 ? ` ± ${p.sizeVariation}` : ''}-byte pieces${p.delay > 0 ? ` ${formatDuration(p.delay)} apart` : ''}`,
});
