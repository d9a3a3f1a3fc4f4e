/**
 * Plugins load on demand (issue 17): the CLI's start and `chaos validate` load no plugin implementation and none of
 * the heavy dependencies; a run loads the implementations it uses, and they match their manifests.
 */
import { expect } from 'chai';
import { tmpdir } from 'node:os';
import { z } from 'zod';
import { ChaosError, ExitCode } from '../../src/errors.js';
import { defineFault, type PluginManifest } from '../../src/plugins/api.js';
import { builtinPlugins, createRegistry } from '../../src/plugins/registry.js';
import { pluginContext } from '../support/contexts.js';
import { importChain, staticImportGraph } from '../support/import-graph.js';

/**
 * What runs, and not validate: the engine and what it drives, and each plugin's connection and fault, probe and
 * action types; the lab itself (its contract, the lab target's settings, is a manifest's). src/proxy/address.ts, a
 * `host:port` parser the toxiproxy target's schema uses, is not the proxy.
 */
const IMPLEMENTATION = [
  /^src\/(engine|state|load|measure|metrics|report|gameday\/(run|conduct))/,
  /^src\/lab\/(?!contract\/)/,
  /^src\/proxy\/(?!address\.ts$)/,
  /^src\/plugins\/[^/]+\/(implementation|session)\.ts$/,
  /^src\/plugins\/[^/]+\/(faults|probes|actions)\//,
];

/** What a plugin implementation may pull in, and `chaos validate` never needs. */
const HEAVY_PACKAGES = ['@kubernetes/client-node', 'pg', 'autocannon', 'undici', 'toxiproxy-node-client', 'prom-client', 'better-sqlite3', 'jsonpath-plus'];

describe('plugins on demand', () => {
  describe('what the CLI loads', () => {
    it('starts (`chaos --version`, `--help`) with yargs and none of the commands, engine or plugins', () => {
      const graph = staticImportGraph('src/bin.ts');
      expect([...graph.packages].sort()).to.deep.equal(['yargs']);
      const ours = [...graph.files].filter((f) => !['src/bin.ts', 'src/cli/main.ts', 'src/cli/command.ts', 'src/cli/options.ts', 'src/cli/examples.ts', 'src/errors.ts', 'src/version.ts', 'src/package-files.ts'].includes(f));
      expect(ours, 'files loaded at start besides the CLI wiring').to.deep.equal([]);
    });

    it('validates (`chaos validate`) without any plugin implementation, the engine or a heavy dependency', () => {
      const graph = staticImportGraph('src/bin.ts', 'src/cli/validate.ts');
      for (const name of HEAVY_PACKAGES) expect(graph.packages.has(name), importChain(graph, name)).to.equal(false);
      const forbidden = [...graph.files].filter((f) => IMPLEMENTATION.some((pattern) => pattern.test(f)));
      expect(forbidden.map((f) => importChain(graph, f))).to.deep.equal([]);
      // It does read every plugin's manifest: that is where the experiment schema comes from.
      for (const plugin of builtinPlugins()) expect(graph.files.has(`src/plugins/${plugin.name}/index.ts`), plugin.name).to.equal(true);
    });

    it('finds the heavy dependencies where they are (the walk sees through our files)', () => {
      const kubernetes = staticImportGraph('src/plugins/kubernetes/implementation.ts');
      expect(kubernetes.packages.has('@kubernetes/client-node')).to.equal(true);
      const postgres = staticImportGraph('src/plugins/postgres/implementation.ts');
      expect(postgres.packages.has('pg')).to.equal(true);
      const load = staticImportGraph('src/load/autocannon-driver.ts');
      expect(load.packages.has('autocannon')).to.equal(true);
    });
  });

  describe('the registry', () => {
    it('loads every built-in implementation, and each provides exactly the types its manifest declares', async function () {
      // It imports every implementation in this process, @kubernetes/client-node's 800 modules among them.
      this.timeout(60_000);
      const registry = createRegistry();
      const loaded = await registry.load(registry.plugins.keys());
      expect([...loaded.plugins.keys()]).to.deep.equal([...registry.plugins.keys()]);
      for (const table of ['faults', 'probes', 'actions', 'resources'] as const) {
        expect([...loaded[table].keys()], table).to.deep.equal([...registry[table].keys()]);
      }
      // The schema the experiment was validated with is the one the implementation is typed by.
      const jsonSchema = (schema: z.ZodType | undefined) => (schema === undefined ? null : z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }));
      for (const table of ['faults', 'probes', 'actions'] as const) {
        for (const [type, { def }] of loaded[table]) expect(jsonSchema(def.params), type).to.deep.equal(jsonSchema(registry[table].get(type)!.def.params));
      }
    });

    it('imports an implementation once, and only the plugins asked for', async () => {
      let imports = 0;
      const manifest = fakeManifest(async () => {
        imports++;
        return { faults: [fakeFault] };
      });
      const registry = createRegistry([...builtinPlugins(), manifest]);
      const first = await registry.load(['fake']);
      const second = await registry.load(['fake', 'fake']);
      expect(imports).to.equal(1);
      expect([...first.plugins.keys()]).to.deep.equal(['fake']);
      expect(second.faults.get('fake.flag')?.def).to.equal(fakeFault);
    });

    it('turns an implementation that cannot be imported into an infrastructure error (exit 5)', async () => {
      const registry = createRegistry([fakeManifest(() => Promise.reject(new Error("Cannot find package 'pg'")))]);
      const error = await registry.load(['fake']).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).to.be.instanceOf(ChaosError);
      expect((error as ChaosError).code).to.equal('E_PLUGIN_LOAD');
      expect((error as ChaosError).exitCode).to.equal(ExitCode.Infrastructure);
      expect((error as ChaosError).message).to.contain("Cannot find package 'pg'");
    });

    it("keeps a loaded implementation's errors ChaosErrors, with their code and hint, whatever copy of errors.ts it got", async () => {
      // The tests load our files through tsx's CommonJS transform, and an implementation through import(): two copies.
      const { plugins } = await createRegistry().load(['process']);
      const error = await plugins
        .get('process')!
        .connect!({ pid: 2_147_483_646 }, pluginContext({ workDir: tmpdir() }))
        .then(() => null, (e: unknown) => e);
      expect(error).to.be.instanceOf(ChaosError);
      expect((error as ChaosError).code).to.equal('E_TARGET_UNREACHABLE');
      expect((error as ChaosError).hint).to.contain('start the process first');
    });

    it('refuses an implementation that does not match its manifest', async () => {
      const missing = createRegistry([fakeManifest(async () => ({ faults: [] }))]);
      const mismatched = createRegistry([fakeManifest(async () => ({ faults: [{ ...fakeFault, description: 'another fault' }] }))]);
      for (const registry of [missing, mismatched]) {
        const error = await registry.load(['fake']).then(() => null, (e: unknown) => e);
        expect(String(error)).to.match(/plugin fake: its implementation does not provide the fault types its manifest declares, as declared: fake\.flag/);
      }
    });

    it('refuses an implementation whose capabilities are not the ones its manifest declares', async () => {
      // validate accepts PromQL objectives on a plugin that declares metricsSource: a run must then find it.
      const undelivered = createRegistry([{ ...fakeManifest(async () => ({ faults: [fakeFault] })), metricsSource: true }]);
      const undeclared = createRegistry([fakeManifest(async () => ({ faults: [fakeFault], metricsSource: () => ({}) as never }))]);
      for (const registry of [undelivered, undeclared]) {
        const error = await registry.load(['fake']).then(() => null, (e: unknown) => e);
        expect(String(error)).to.match(/plugin fake: its implementation's capabilities differ from its manifest's: metricsSource/);
      }
    });
  });
});

const fakeSpec = { type: 'fake.flag', description: 'A flag (tests only)', params: z.object({ flag: z.string() }).strict() };

const fakeFault = defineFault({
  ...fakeSpec,
  inject: async (_session: unknown, params) => ({ flag: params.flag }),
  revert: async () => undefined,
});

function fakeManifest(load: PluginManifest['load']): PluginManifest {
  return { name: 'fake', description: 'A plugin whose implementation the test controls', faults: [fakeSpec], load };
}
