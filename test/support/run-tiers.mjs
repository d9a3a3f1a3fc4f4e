#!/usr/bin/env node
/**
 * Runs test tiers, each in its own mocha process configured by test/tiers/<tier>.cjs, and runs every tier whatever
 * another gave. By default the tiers run one after another. `CHAOSDRILL_TIERS_LANES=1` runs them in two lanes side
 * by side (LANES), each lane's tiers one after another: they can share a machine (every test takes its ports from
 * the OS and its state from a temp directory of its own, test/README.md), but not the timing checks. On a quiet
 * 2-core machine (.ci/run on a clean clone) the lanes took 430 s against 450 s one tier at a time, and failed 9
 * timing checks (RTO, latency, request spread) that pass one tier at a time: 20 s is not worth a suite that fails for
 * no fault of the code, so lanes are for machines with cores to spare. While two tiers run, each one's output is held and printed whole when it ends,
 * so the log never interleaves; a tier running alone prints as it goes.
 *
 * Each mocha process writes its counts to a JSON file (the summary reporter, test/support/summary-reporter.cjs);
 * this adds them up and ends with one line for every tier: `total (unit, integration, …): N passed, N failed`. A
 * tier that wrote no summary (it crashed, or found no file) shows as such and counts as one failure, so it can never
 * vanish from the total.
 *
 *   node test/support/run-tiers.mjs [tier…]     default: every tier
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TIERS = ['unit', 'integration', 'e2e', 'conformance', 'torture'];
/**
 * Tiers in a lane run one after another; lanes run side by side. e2e (about 5 minutes on a quiet machine) leads one
 * lane, unit, integration and torture (about 3 minutes) make the other. Conformance follows e2e: its timing checks
 * compare the embedded proxy with the real one to ±25 ms, and by the time e2e ends the other lane has usually ended,
 * so it runs with the machine to itself.
 */
const LANES = [['e2e', 'conformance'], ['unit', 'integration', 'torture']];
const MOCHA = join('node_modules', 'mocha', 'bin', 'mocha.js');
// After its run has ended, a mocha process that does not exit is held by something a test left running.
const EXIT_GRACE_MS = 60_000;

const chosen = process.argv.slice(2);
const unknown = chosen.filter((tier) => !TIERS.includes(tier));
if (unknown.length > 0) {
  console.error(`unknown tier ${unknown.join(', ')}: the tiers are ${TIERS.join(', ')}`);
  process.exit(2);
}
const tiers = TIERS.filter((tier) => chosen.length === 0 || chosen.includes(tier));
const serial = process.env.CHAOSDRILL_TIERS_LANES !== '1';
const lanes = serial ? [tiers] : LANES.map((lane) => lane.filter((tier) => tiers.includes(tier))).filter((lane) => lane.length > 0);
/** The signal that stopped the run (Ctrl-C, a CI timeout): no further tier starts. */
let stoppedBy = null;

/**
 * Runs one tier's mocha process; resolves with its exit code and whether it had to be killed. Mocha starts a second
 * node process to apply `node-option`, and that one runs the tests: so mocha gets a process group of its own, and
 * signals go to the group. With `hold`, its output is kept and printed whole at the end.
 */
function runMocha(tier, summaryFile, hold) {
  return new Promise((resolve) => {
    // Held output is a pipe, not the terminal: colours stay as they would have been.
    const color = hold && process.stdout.isTTY ? { FORCE_COLOR: '1' } : {};
    const child = spawn(process.execPath, [MOCHA, '--config', `test/tiers/${tier}.cjs`], {
      stdio: hold ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      env: { ...process.env, ...color, CHAOSDRILL_TEST_SUMMARY: summaryFile },
      detached: true,
    });
    const held = [];
    if (hold) {
      child.stdout.on('data', (chunk) => held.push(chunk));
      child.stderr.on('data', (chunk) => held.push(chunk));
    }
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
      if (hold) printTier(tier, Buffer.concat(held).toString());
      resolve({ code: code ?? signal, killed });
    });
  });
}

function header(tier) {
  return `\n━━ ${tier} tier (test/tiers/${tier}.cjs) ━━`;
}

function printTier(tier, output) {
  process.stdout.write(`${header(tier)}\n${output}`);
}

function readSummary(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'chaosdrill-tiers-'));
const results = new Map();
const hold = lanes.length > 1;
async function runLane(lane) {
  for (const tier of lane) {
    if (stoppedBy) return;
    if (hold) console.log(`${tier} tier started (its output follows when it ends)`);
    else console.log(header(tier));
    const summaryFile = join(dir, `${tier}.json`);
    const started = Date.now();
    const exit = await runMocha(tier, summaryFile, hold);
    results.set(tier, { tier, exit, wallMs: Date.now() - started, summary: readSummary(summaryFile) });
  }
}
const started = Date.now();
try {
  await Promise.all(lanes.map(runLane));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const total = { passes: 0, failures: 0, pending: 0 };
const failed = [];
console.log(`\nTiers${hold ? ` (${lanes.map((lane) => lane.join(' → ')).join(' beside ')})` : ''}:`);
for (const { tier, exit, wallMs, summary } of tiers.filter((tier) => results.has(tier)).map((tier) => results.get(tier))) {
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
console.log(`  ${'all'.padEnd(12)} ${`${((Date.now() - started) / 1000).toFixed(1)} s`.padStart(8)}`);
if (failed.length > 0) console.log(`\nFailed:\n${failed.map((f) => `  ${f}`).join('\n')}`);
const skipped = total.pending > 0 ? `, ${total.pending} skipped` : '';
console.log(`\ntotal (${tiers.join(', ')}): ${total.passes} passed, ${total.failures} failed${skipped}`);
if (stoppedBy) {
  const notRun = tiers.filter((tier) => !results.has(tier));
  console.log(`stopped by ${stoppedBy}${notRun.length > 0 ? `; not run: ${notRun.join(', ')}` : ''}`);
  process.exit(130);
}
process.exit(total.failures > 0 ? 1 : 0);
