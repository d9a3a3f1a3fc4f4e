// The conformance tier: the embedded proxy against the real Toxiproxy 2.12.0, request for request
// (test/conformance/toxiproxy/). Kept apart: it answers one question (do we behave like Toxiproxy?), and without the
// real binary it runs only what recorded answers can check. See test/README.md.
module.exports = {
  ...require('../../.mocharc.json'),
  spec: ['test/conformance/**/*.test.ts'],
  parallel: true,
  jobs: 2,
};
