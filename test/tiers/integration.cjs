// The integration tier: our modules driven in-process against real parts on loopback (servers, child processes,
// PostgreSQL, Prometheus, kubectl, the lab). Files run side by side: each test takes its ports from the OS (port 0)
// and its state from its own temp directory, and most of the time waits on timers, not on the CPU. Three at a time:
// the timing checks (restart delays, latency percentiles) hold on a busy 2-core machine, not on an overloaded one.
// See test/README.md.
module.exports = {
  ...require('../../.mocharc.json'),
  spec: ['test/integration/**/*.test.ts'],
  parallel: true,
  jobs: 3,
};
