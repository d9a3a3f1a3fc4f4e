/**
 * Where the lab's process entry points are, and how to start them with this Node: from `dist/` they are plain
 * JavaScript; from `src/` (tests run through tsx) they need tsx's loader.
 */
import { join } from 'node:path';
import { packageManifest, runningFromSources } from '../../package-files.js';

export interface NodeScript {
  file: string;
  execArgv: string[];
}

export function labScript(name: 'lab-main' | 'instance-main' | 'agent-main' | 'control-main'): NodeScript {
  const typescript = runningFromSources();
  const file = join(packageManifest().root, typescript ? 'src' : 'dist', 'lab', `${name}.${typescript ? 'ts' : 'js'}`);
  return { file, execArgv: typescript ? ['--import', 'tsx'] : [] };
}
