/**
 * Loaded before the unit tier's files (test/tiers/unit.cjs): a unit test runs in-process, so starting a child
 * process fails the test that tried, and says where such a test belongs. This keeps the tier's promise (an answer in
 * seconds, nothing left running) checked rather than remembered. test/README.md has the rules of every tier.
 */
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';

const STARTERS = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const;

function refuse(name: string) {
  return () => {
    throw new Error(`a unit test called child_process.${name}(): unit tests run in-process; move this file to test/integration/ (see test/README.md)`);
  };
}

Object.assign(childProcess, Object.fromEntries(STARTERS.map((name) => [name, refuse(name)])));
// `import { spawn } from 'node:child_process'` binds to the ESM view of the module: bring it in line.
syncBuiltinESMExports();
