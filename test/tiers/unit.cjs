// The unit tier: in-process only (no child process, no server held for seconds, no multi-second fault); the whole
// tier answers in well under a minute. test/support/in-process-only.ts refuses child processes. See test/README.md.
module.exports = {
  ...require('../../.mocharc.json'),
  spec: ['test/unit/**/*.test.ts'],
  require: ['test/support/in-process-only.ts'],
  timeout: 10000,
};
