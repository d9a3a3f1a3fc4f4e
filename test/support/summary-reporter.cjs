// Mocha's spec reporter, followed by the one line CI reads: "N passed, N failed[, N skipped]".
// With $CHAOSDRILL_TEST_SUMMARY set (test/support/run-tiers.mjs sets it), the same counts and the failed tests'
// titles are also written there as JSON, so that one line can add up every tier's mocha process.
// CommonJS because mocha loads reporters with require().
'use strict';
const { writeFileSync } = require('node:fs');
const { relative } = require('node:path');
const Mocha = require('mocha');

const { Spec } = Mocha.reporters;
const { EVENT_RUN_END, EVENT_TEST_FAIL } = Mocha.Runner.constants;

class SummaryReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    const started = Date.now();
    const failed = [];
    // Hooks fail too ("before all" hook for …): they count as failures in mocha's stats, and are named here.
    runner.on(EVENT_TEST_FAIL, (test) => {
      failed.push({ file: test.file ? relative(process.cwd(), test.file) : null, title: test.fullTitle() });
    });
    runner.once(EVENT_RUN_END, () => {
      const { passes, failures, pending } = runner.stats ?? this.stats;
      const skipped = pending > 0 ? `, ${pending} skipped` : '';
      process.stdout.write(`\n${passes} passed, ${failures} failed${skipped}\n`);
      const summaryFile = process.env.CHAOSDRILL_TEST_SUMMARY;
      if (summaryFile) {
        const summary = { passes, failures, pending, wallMs: Date.now() - started, failed };
        writeFileSync(summaryFile, `${JSON.stringify(summary, null, 2)}\n`);
      }
    });
  }
}

module.exports = SummaryReporter;
