#!/usr/bin/env node
/**
 * Runs test tiers one after another, each in its own mocha process configured by test/tiers/<tier>.cjs, and runs
 * every tier whatever the one before gave. Each mocha process writes its counts to a JSON file (the summary
 * reporter, test/support/summary-reporter.cjs); this adds them up and ends with one line for every tier:
 * `total (unit, integration, …): N passed, N failed`. A tier that wrote no summary (it crashed, or found no file)
 * shows as such and counts as one failure, so it can never vanish from the total.
 *
 *   node test/support/run-tiers.mjs [tier…]     default: every tier, in the order below
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TIERS = ['unit', 'integration', 'e2e', 'conformance', 'torture'];
const MOCHA = join('node_modules', 'mocha', 'bin', 'mocha.js');
// After its run has ended, a mocha process that does not exit is held by something a test left running.
const EXIT_GRACE_MS = 60_000;

const chosen = process.argv.slice(2);
const unknown = chosen.filter((tier) => !TIERS.includes(tier));
if (unknown.length > 0) {
  console.error(`unknown tier ${unknown.join(', ')}: the tiers are ${TIERS.join(', ')}`);
  process.exit(2);
}
const tiers = chosen.length > 0 ? chosen : TIERS;
/** The signal that stopped the run (Ctrl-C, a CI timeout): no further tier starts. */
let stoppedBy = null;

/**
 * Runs one tier's mocha process; resolves with its exit code and whether it had to be killed. Mocha starts a second
 * node process to apply `node-option`, and that one runs the tests: so mocha gets a process group of its own, and
 * signals go to the group.
 */
function runMocha(tier, summaryFile) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MOCHA, '--config', `test/tiers/${tier}.cjs`], {
      stdio: 'inherit',
      env: { ...process.env, CHAOSDRILL_TEST_SUMMARY: summaryFile },
      detached: true,
    });
    const signalGroup = (signal) => {
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is gone already.
      }
    };
    // Ctrl-C or a CI timeout stops the tests too: being in their own group, they no longer get it from the terminal.
    const forward = (signal) => {
      stoppedBy = signal;
      signalGroup(signal);
    };
    process.on('SIGINT', forward).on('SIGTERM', forward);
    let killed = false;
    let killTimer;
    const watch = setInterval(() => {
      if (killTimer || !existsSync(summaryFile)) return;
      killTimer = setTimeout(() => {
        killed = true;
        signalGroup('SIGKILL');
      }, EXIT_GRACE_MS);
    }, 1000);
    child.on('close', (code, signal) => {
      clearInterval(watch);
      clearTimeout(killTimer);
      process.off('SIGINT', forward).off('SIGTERM', forward);
      resolve({ code: code ?? signal, killed });
    });
  });
}

function readSummary(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'chaosdrill-tiers-'));
const results = [];
try {
  for (const tier of tiers) {
    if (stoppedBy) break;
    console.log(`\n━━ ${tier} tier (test/tiers/${tier}.cjs) ━━`);
    const summaryFile = join(dir, `${tier}.json`);
    const started = Date.now();
    const exit = await runMocha(tier, summaryFile);
    results.push({ tier, exit, wallMs: Date.now() - started, summary: readSummary(summaryFile) });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const total = { passes: 0, failures: 0, pending: 0 };
const failed = [];
console.log('\nTiers:');
for (const { tier, exit, wallMs, summary } of results) {
  const took = `${(wallMs / 1000).toFixed(1)} s`;
  let line;
  if (summary === null) {
    total.failures += 1;
    line = `no result: mocha exited with ${exit.code} before its run ended (counted as 1 failed)`;
  } else {
    total.passes += summary.passes;
    total.failures += summary.failures;
    total.pending += summary.pending;
    failed.push(...summary.failed.map((f) => `${tier}: ${f.file ?? '?'}: ${f.title}`));
    line = `${summary.passes} passed, ${summary.failures} failed${summary.pending > 0 ? `, ${summary.pending} skipped` : ''}`;
    if (exit.killed) {
      total.failures += 1;
      line += `; mocha did not exit ${EXIT_GRACE_MS / 1000} s after its run ended (something a test started is still running; counted as 1 failed)`;
    } else if (exit.code !== 0 && summary.failures === 0) {
      total.failures += 1;
      line += `; mocha exited with ${exit.code} (counted as 1 failed)`;
    }
  }
  console.log(`  ${tier.padEnd(12)} ${took.padStart(8)}  ${line}`);
}
if (failed.length > 0) console.log(`\nFailed:\n${failed.map((f) => `  ${f}`).join('\n')}`);
const skipped = total.pending > 0 ? `, ${total.pending} skipped` : '';
console.log(`\ntotal (${tiers.join(', ')}): ${total.passes} passed, ${total.failures} failed${skipped}`);
if (stoppedBy) {
  const notRun = tiers.slice(results.length);
  console.log(`stopped by ${stoppedBy}${notRun.length > 0 ? `; not run: ${notRun.join(', ')}` : ''}`);
  process.exit(130);
}
process.exit(total.failures > 0 ? 1 : 0);
