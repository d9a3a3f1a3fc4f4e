// The conformance tier: the embedded proxy against the real Toxiproxy 2.12.0, request for request
// (test/conformance/toxiproxy/). A tier of its own: it answers one question (do we behave like Toxiproxy?), needs a
// binary from outside the repository, and where that is absent its files are skipped, saying why. Its files run
// side by side: each starts its own pair of servers on free ports. See test/README.md.
module.exports = {
  ...require('../../.mocharc.json'),
  spec: ['test/conformance/**/*.test.ts'],
  parallel: true,
  jobs: 2,
};
