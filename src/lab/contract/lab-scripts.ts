/**
 * Where the lab's process entry points are, and how to start them with this Node: from `dist/` they are plain
 * JavaScript; from `src/` (tests run through tsx) they need tsx's loader.
 */
import { fileURLToPath } from 'node:url';

export interface NodeScript {
  file: string;
  execArgv: string[];
}

export function labScript(name: 'lab-main' | 'instance-main' | 'agent-main' | 'control-main'): NodeScript {
  const here = fileURLToPath(import.meta.url);
  const typescript = here.endsWith('.ts');
  const file = fileURLToPath(new URL(`../${name}.${typescript ? 'ts' : 'js'}`, import.meta.url));
  return { file, execArgv: typescript ? ['--import', 'tsx'] : [] };
}
