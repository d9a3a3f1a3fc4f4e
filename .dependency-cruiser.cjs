// The layers of src/ (docs/architecture.md), held by `npm run lint`. Each rule is named after the layer it
// protects; the comment says why the arrow it forbids would hurt. Type-only imports count: a type import is an
// arrow a reader follows too, and it becomes a value import with one edit.
const LEAVES = ['^src/errors\\.ts$', '^src/json\\.ts$', '^src/logger\\.ts$', '^src/version\\.ts$', '^src/units/'];

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle makes two modules one: neither can be read, tested or loaded without the other.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'leaves-stay-leaves',
      severity: 'error',
      comment: 'errors, json, logger, version and units/ are imported by every layer, so they import none.',
      from: { path: LEAVES },
      to: { path: '^src/', pathNot: LEAVES },
    },
    {
      name: 'os-knows-no-runs',
      severity: 'error',
      comment: 'os/ is the machine (processes, durable files, local PostgreSQL programs): no runs, no plugins.',
      from: { path: '^src/os/' },
      to: { path: '^src/', pathNot: ['^src/os/', ...LEAVES] },
    },
    {
      name: 'plugin-contract-stands-alone',
      severity: 'error',
      comment: 'plugins/api.ts is what a plugin author reads: it may not pull the engine or a plugin in.',
      from: { path: '^src/plugins/api\\.ts$' },
      to: { path: '^src/', pathNot: LEAVES },
    },
    {
      name: 'plugin-shared-helpers-below-plugins',
      severity: 'error',
      comment: 'plugins/shared/ is what several plugins use; it knows the contract and the OS, no plugin.',
      from: { path: '^src/plugins/shared/' },
      to: { path: '^src/', pathNot: ['^src/plugins/shared/', '^src/plugins/api\\.ts$', '^src/os/', ...LEAVES] },
    },
    {
      name: 'plugins-see-only-the-contract',
      severity: 'error',
      comment:
        'A plugin depends on the plugin contract, plugins/shared/ and os/, never on the engine, the state, the ' +
        'format or the CLI: so it can be loaded on its own. Two documented exceptions: the toxiproxy plugin runs ' +
        'the embedded proxy (src/proxy/) when no server is given, and the lab plugin drives the sample lab ' +
        'through its contract (src/lab/contract/).',
      from: { path: '^src/plugins/([^/]+)/', pathNot: '^src/plugins/shared/' },
      to: {
        path: '^src/',
        pathNot: [
          '^src/plugins/$1/',
          '^src/plugins/api\\.ts$',
          '^src/plugins/shared/',
          '^src/os/',
          ...LEAVES,
          // The documented exceptions (docs/architecture.md):
          '^src/proxy/',
          '^src/lab/contract/',
        ],
      },
    },
    {
      name: 'only-toxiproxy-runs-the-embedded-proxy',
      severity: 'error',
      comment: 'The exception above is for the toxiproxy plugin alone.',
      from: { path: '^src/plugins/', pathNot: '^src/plugins/toxiproxy/' },
      to: { path: '^src/proxy/' },
    },
    {
      name: 'only-the-lab-plugin-drives-the-lab',
      severity: 'error',
      comment: 'The exception above is for the lab plugin alone.',
      from: { path: '^src/plugins/', pathNot: '^src/plugins/lab/' },
      to: { path: '^src/lab/' },
    },
    {
      name: 'engine-never-imports-a-plugin',
      severity: 'error',
      comment:
        'The engine asks plugins through the contract and the registry (capabilities, not names): a plugin ' +
        'import would load its dependencies into every run and tie the lifecycle to one plugin.',
      from: { path: '^src/(engine|state|experiment|measure|load|report|metrics|gameday|schedule)/' },
      to: { path: '^src/plugins/', pathNot: ['^src/plugins/api\\.ts$', '^src/plugins/registry\\.ts$'] },
    },
    {
      name: 'heavy-dependencies-stay-in-their-plugin',
      severity: 'error',
      comment:
        'pg, the Kubernetes client and the Toxiproxy client are loaded only by the plugin (or the lab) that ' +
        'needs them, never by the engine or the format.',
      from: { path: '^src/', pathNot: ['^src/plugins/(postgres|kubernetes|toxiproxy)/', '^src/lab/'] },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], path: '(^|/)node_modules/(pg|@kubernetes/client-node|toxiproxy-node-client)/' },
    },
    {
      name: 'the-format-knows-no-run',
      severity: 'error',
      comment: 'experiment/ is the file format: loading and validating a file never reaches the run, the state or the measurements.',
      from: { path: '^src/experiment/' },
      to: { path: '^src/(engine|state|measure|load|report|metrics|gameday|schedule|cli|lab|proxy)/' },
    },
    {
      name: 'measurements-only-compute',
      severity: 'error',
      comment: 'measure/ computes from the timeline and the format; it never runs anything nor renders.',
      from: { path: '^src/measure/' },
      to: { path: '^src/', pathNot: ['^src/measure/', '^src/experiment/', ...LEAVES] },
    },
    {
      name: 'load-drivers-write-the-timeline',
      severity: 'error',
      comment: 'load/ generates load and writes the timeline; it knows the format and measure/, not the run.',
      from: { path: '^src/load/' },
      to: { path: '^src/', pathNot: ['^src/load/', '^src/measure/', '^src/experiment/', ...LEAVES] },
    },
    {
      name: 'state-below-the-engine',
      severity: 'error',
      comment: 'state/ (ledger, locks, journal) must work without a run: `chaos recover` and `journal verify` read it alone.',
      from: { path: '^src/state/' },
      to: { path: '^src/', pathNot: ['^src/state/', '^src/os/', '^src/experiment/(types|redact)\\.ts$', ...LEAVES] },
    },
    {
      name: 'the-lab-is-a-sample-system',
      severity: 'error',
      comment: 'The lab stands for a system under test: it knows nothing of chaosdrill beyond the OS helpers and the embedded proxy.',
      from: { path: '^src/lab/' },
      to: { path: '^src/', pathNot: ['^src/lab/', '^src/proxy/', '^src/os/', ...LEAVES] },
    },
    {
      name: 'the-proxy-stands-alone',
      severity: 'error',
      comment: 'src/proxy/ is a Toxiproxy-compatible server; it depends on nothing of ours but the leaves.',
      from: { path: '^src/proxy/' },
      to: { path: '^src/', pathNot: ['^src/proxy/', ...LEAVES] },
    },
    {
      name: 'renderings-below-the-commands',
      severity: 'error',
      comment: 'Reports, metrics, game days and the scheduler are used by the CLI and the API, never the other way.',
      from: { path: '^src/(engine|report|metrics|gameday|schedule)/' },
      to: { path: '^src/(cli/|api\\.ts$|bin\\.ts$)' },
    },
    {
      name: 'only-bin-starts-the-cli',
      severity: 'error',
      comment: 'The CLI is the top: nothing but bin.ts imports it.',
      from: { path: '^src/', pathNot: ['^src/cli/', '^src/bin\\.ts$'] },
      to: { path: '^src/cli/' },
    },
  ],
  options: {
    includeOnly: '^src/|node_modules/',
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
