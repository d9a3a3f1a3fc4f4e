import { packageManifest } from './package-files.js';

/** chaosdrill's version, from package.json (one place). */
export const VERSION: string = packageManifest().version;
