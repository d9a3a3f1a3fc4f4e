// The e2e tier: the built binary (dist/bin.js) run as a user runs it. Files run side by side, as in the integration
// tier: OS-chosen ports, a temp directory each, mostly waiting on timers. See test/README.md.
module.exports = {
  ...require('../../.mocharc.json'),
  spec: ['test/e2e/**/*.test.ts'],
  parallel: true,
  jobs: 4,
};
