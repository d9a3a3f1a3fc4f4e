/**
 * `chaos list [plugin|type] [--format text|md|json]` in-process: filters by plugin or type, the formats agree with
 * the registry's schemas, and the Markdown reference (from which docs are generated) is deterministic and well formed.
 */
import { expect } from 'chai';
import { marked, type Tokens } from 'marked';
import { createRegistry } from '../../src/plugins/registry.js';
import { runCliInProcess } from '../support/cli-in-process.js';
import { ROOT } from '../support/cli.js';
import { tableUnderHeading } from '../support/markdown-tables.js';

const list = (args: string[]) => runCliInProcess(['list', ...args], { cwd: ROOT });
const json = async (args: string[]) => {
  const out = await list([...args, '--format', 'json']);
  expect(out.code, out.stderr).to.equal(0);
  return JSON.parse(out.stdout) as Record<'targets' | 'faults' | 'probes' | 'actions', Array<{ type: string; plugin: string; params: Array<{ name: string }> }>>;
};
const typesOf = (catalog: Awaited<ReturnType<typeof json>>) => Object.values(catalog).flat().map((e) => e.type);

describe('chaos list', () => {
  it('by plugin: its target and every fault, probe and action it brings, nothing else', async () => {
    const registry = createRegistry();
    const catalog = await json(['toxiproxy']);
    const expected = [...registry.faults.keys(), ...registry.probes.keys(), ...registry.actions.keys()].filter((t) => t.startsWith('toxiproxy.'));
    expect(typesOf(catalog)).to.deep.equal(['toxiproxy', ...expected]);
    expect(Object.values(catalog).flat().every((e) => e.plugin === 'toxiproxy')).to.equal(true);
  });

  it('by type: that type alone; a name that is a plugin and a type (tcp) is the plugin', async () => {
    expect(typesOf(await json(['toxiproxy.latency']))).to.deep.equal(['toxiproxy.latency']);
    expect(typesOf(await json(['tcp']))).to.deep.equal(['tcp']);
    const text = await list(['process.pause']);
    expect(text.code).to.equal(0);
    expect(text.stdout).to.include('process.pause — Stop the process with SIGSTOP').and.not.include('process.kill');
  });

  it('an unknown name is exit 2 with the closest name', async () => {
    const out = await list(['toxiproxy.latnecy']);
    expect(out.code).to.equal(2);
    expect(out.stderr).to.include('E_LIST_UNKNOWN').and.include('did you mean "toxiproxy.latency"?');
    const far = await list(['zzz']);
    expect(far.stderr).to.include('plugins: process, http');
  });

  it('--format json is --json, and --json with another --format is refused', async () => {
    const a = await list(['kubernetes', '--json']);
    const b = await list(['kubernetes', '--format', 'json']);
    expect(a.stdout).to.equal(b.stdout);
    const both = await list(['--json', '--format', 'md']);
    expect(both.code).to.equal(2);
    expect(both.stderr).to.include('E_FLAG_CONFLICT');
  });

  it('shows nested settings dotted, with their types and defaults', async () => {
    const catalog = await json(['process']);
    const target = catalog.targets[0] as unknown as { params: Array<{ name: string; type: string; default?: unknown }> };
    expect(target.params.find((p) => p.name === 'command')?.type).to.equal('string[]');
    expect(target.params.find((p) => p.name === 'ready.host')).to.deep.include({ type: 'string', default: '127.0.0.1' });
    const podKill = (await json(['kubernetes.pod-kill'])).faults[0] as unknown as { params: Array<{ name: string; type: string }> };
    expect(podKill.params.find((p) => p.name === 'select')?.type).to.equal('string|number');
    expect(podKill.params.find((p) => p.name === 'mode'), 'renamed to select').to.equal(undefined);
  });

  describe('--format md', () => {
    it('is one reference page per plugin, in the registry order, the same bytes every time', async () => {
      const first = await list(['--format', 'md']);
      const second = await list(['--format', 'md']);
      expect(first.code, first.stderr).to.equal(0);
      expect(first.stdout).to.equal(second.stdout);
      const pages = marked.lexer(first.stdout).filter((t): t is Tokens.Heading => t.type === 'heading' && t.depth === 1);
      expect(pages.map((h) => h.text)).to.deep.equal([...createRegistry().plugins.keys()]);
    });

    it('gives every type a heading and a table of its parameters with defaults and descriptions', async () => {
      const out = await list(['toxiproxy', '--format', 'md']);
      const registry = createRegistry();
      for (const type of [...registry.faults.keys(), ...registry.probes.keys()].filter((t) => t.startsWith('toxiproxy.'))) {
        expect(out.stdout).to.include(`### \`${type}\``);
      }
      const latency = tableUnderHeading(out.stdout, '`toxiproxy.latency`');
      expect(latency.header).to.deep.equal(['parameter', 'type', 'required', 'default', 'description']);
      const row = (name: string) => latency.rows.find((r) => r[0] === `\`${name}\``);
      expect(row('latency')?.slice(1, 3)).to.deep.equal(['`string|number`', 'yes']);
      expect(row('jitter')?.[3]).to.equal('`"0ms"`');
      expect(row('stream')?.[1]).to.equal('`"downstream"|"upstream"`');
      const settings = tableUnderHeading(out.stdout, 'Target settings');
      expect(settings.rows.map((r) => r[0])).to.include.members(['`url`', '`proxies`']);
    });

    it('renders tables GFM reads whole: every row has the five cells of the header', async () => {
      const out = await list(['--format', 'md']);
      const tables = marked.lexer(out.stdout).filter((t): t is Tokens.Table => t.type === 'table');
      expect(tables.length).to.be.greaterThan(30);
      for (const table of tables) {
        expect(table.header).to.have.length(5);
        for (const row of table.rows) expect(row, JSON.stringify(row.map((c) => c.text))).to.have.length(5);
      }
    });
  });
});
