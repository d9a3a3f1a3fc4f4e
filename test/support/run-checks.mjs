#!/usr/bin/env node
/**
 * Runs the npm scripts it is given side by side, and fails if any of them fails: the checks before the test tiers
 * (the build, lint, the typecheck of the tests) answer questions that do not depend on each other, and each uses one
 * core, so on 2 cores they take the time of the longest rather than of all of them. Each script's output is held and
 * printed whole when it ends, so the log never interleaves; the last lines say how each ended and how long it took.
 *
 *   node test/support/run-checks.mjs SCRIPT…      e.g. build lint typecheck:tests
 */
import { spawn } from 'node:child_process';

const scripts = process.argv.slice(2);
if (scripts.length === 0) {
  console.error('usage: node test/support/run-checks.mjs SCRIPT…   (npm scripts of package.json, run side by side)');
  process.exit(2);
}

/** Runs `npm run <script>`; resolves with its exit code (or signal), its output and its wall time. */
function runScript(script) {
  return new Promise((resolve) => {
    const started = Date.now();
    // Held output is a pipe, not the terminal: colours stay as they would have been.
    const color = process.stdout.isTTY ? { FORCE_COLOR: '1' } : {};
    const child = spawn('npm', ['run', script], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...color } });
    const held = [];
    child.stdout.on('data', (chunk) => held.push(chunk));
    child.stderr.on('data', (chunk) => held.push(chunk));
    child.on('error', (error) => held.push(Buffer.from(`${error.message}\n`)));
    child.on('close', (code, signal) => {
      const output = Buffer.concat(held).toString();
      process.stdout.write(`\n━━ npm run ${script} ━━\n${output}`);
      resolve({ script, code: code ?? signal, wallMs: Date.now() - started });
    });
  });
}

const results = await Promise.all(scripts.map(runScript));
console.log('\nChecks:');
for (const { script, code, wallMs } of results) {
  console.log(`  ${script.padEnd(16)} ${`${(wallMs / 1000).toFixed(1)} s`.padStart(8)}  ${code === 0 ? 'ok' : `failed (exit ${code})`}`);
}
process.exit(results.every((result) => result.code === 0) ? 0 : 1);
