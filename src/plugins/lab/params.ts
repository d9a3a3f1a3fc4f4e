/** Parameter pieces shared by the lab's faults, actions and probes. */
import { z } from 'zod';

export const regionSchema = z.enum(['a', 'b']).describe('the region: a (primary at start) or b (standby at start)');
