// The e2e tier: the built binary (dist/bin.js) run as a user runs it. Files run side by side: OS-chosen ports, a
// temp directory each. Three at a time, because this tier is the CPU-heavy one (every start of the binary costs
// CPU, a run's more than validate's as it loads its plugins, and the lab runs several processes): on 2 cores, more jobs
// add contention for the timing checks (RTO, lag, latency) rather than speed. See test/README.md.
module.exports = {
  ...require('../../.mocharc.json'),
  spec: ['test/e2e/**/*.test.ts'],
  parallel: true,
  jobs: 3,
};
