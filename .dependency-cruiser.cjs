// The layers of src/ (docs/architecture.md), held by `npm run lint`. Each rule is named after the layer it
// protects; the comment says why the arrow it forbids would hurt. Type-only imports count: a type import is an
// arrow a reader follows too, and it becomes a value import with one edit.
const LEAVES = ['^src/errors\\.ts$', '^src/json\\.ts$', '^src/logger\\.ts$', '^src/package-files\\.ts$', '^src/version\\.ts$', '^src/units/'];

/** A layer whose files import nothing of ours but what `allowed` names (and the leaves). */
function importsOnly(name, comment, layer, allowed) {
  return { name, severity: 'error', comment, from: { path: layer }, to: { path: '^src/', pathNot: [...allowed, ...LEAVES] } };
}

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle makes two modules one: neither can be read, tested or loaded without the other.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    importsOnly('leaves-stay-leaves', 'errors, json, logger, version and units/ are imported by every layer, so they import none.', LEAVES, []),
    importsOnly('os-knows-no-runs', 'os/ is the machine (processes, durable files, local PostgreSQL programs): no runs, no plugins.', '^src/os/', ['^src/os/']),
    importsOnly('plugin-contract-stands-alone', 'plugins/api.ts is what a plugin author reads: it may not pull the engine or a plugin in.', '^src/plugins/api\\.ts$', []),
    importsOnly(
      'plugin-shared-helpers-below-plugins',
      'plugins/shared/ is what several plugins use; it knows the contract and the OS, no plugin.',
      '^src/plugins/shared/',
      ['^src/plugins/shared/', '^src/plugins/api\\.ts$', '^src/os/'],
    ),
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
        'needs them, never by the engine or the format; the Kubernetes state backend (state/kubernetes-*) is ' +
        'imported on demand, for --state kubernetes:// only (state/state-spec.ts).',
      from: { path: '^src/', pathNot: ['^src/plugins/(postgres|kubernetes|toxiproxy)/', '^src/lab/', '^src/state/kubernetes-'] },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'], path: '(^|/)node_modules/(pg|@kubernetes/client-node|toxiproxy-node-client)/' },
    },
    {
      name: 'the-format-knows-no-run',
      severity: 'error',
      comment: 'experiment/ is the file format: loading and validating a file never reaches the run, the state or the measurements.',
      from: { path: '^src/experiment/' },
      to: { path: '^src/(engine|state|measure|load|report|metrics|gameday|schedule|cli|lab|proxy)/' },
    },
    importsOnly(
      'measurements-only-compute',
      'measure/ computes from the timeline and the format; it never runs anything nor renders.',
      '^src/measure/',
      ['^src/measure/', '^src/experiment/'],
    ),
    importsOnly(
      'load-drivers-write-the-timeline',
      'load/ generates load and writes the timeline; it knows the format and measure/, not the run.',
      '^src/load/',
      ['^src/load/', '^src/measure/', '^src/experiment/'],
    ),
    importsOnly(
      'state-below-the-engine',
      'state/ (ledger, locks, journal) must work without a run: `chaos recover` and `journal verify` read it alone.',
      '^src/state/',
      ['^src/state/', '^src/os/', '^src/experiment/(types|redact)\\.ts$'],
    ),
    importsOnly(
      'the-lab-is-a-sample-system',
      'The lab stands for a system under test: it knows nothing of chaosdrill beyond the OS helpers and the embedded proxy.',
      '^src/lab/',
      ['^src/lab/', '^src/proxy/', '^src/os/'],
    ),
    importsOnly(
      'the-proxy-stands-alone',
      'src/proxy/ is a Toxiproxy-compatible server; it depends on nothing of ours but the leaves.',
      '^src/proxy/',
      ['^src/proxy/'],
    ),
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
