import { createRequire } from 'node:module';

/** chaosdrill's version, from package.json (one place). */
export const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
