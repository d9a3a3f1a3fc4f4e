// The torture tier: the crash torture test (test/torture/): real runs killed with kill -9 at random instants, then
// `chaos recover`, then a look from outside for anything left behind. A tier of its own: its trials start the built
// binary, a real Toxiproxy, PostgreSQL and the fake Kubernetes API server, and change cluster-wide things (nodes,
// the database server), all in servers of its own that no other test uses: so it can run beside another tier
// (test/support/run-tiers.mjs); `npm run torture -- --trials N` runs more of them on demand. See test/README.md.
module.exports = {
  ...require('../../.mocharc.json'),
  spec: ['test/torture/**/*.test.ts'],
};
