import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { formatDiagnostic, InvalidInputError, type Diagnostic } from '../../src/errors.js';
import { loadExperiment } from '../../src/experiment/load.js';
import { builtinPlugins, createRegistry } from '../../src/plugins/registry.js';
import { dbPlugin } from '../support/test-plugins.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/invalid');

interface Expectation {
  code: string;
  line: number;
  column: number;
}

// The built-in plugins, plus one test plugin with a second target type: among the built-ins only `process` has
// targets, so a fault pointing at a target of the wrong type (E_TARGET_TYPE) needs another one.
const registry = createRegistry([...builtinPlugins(), dbPlugin]);

async function diagnosticsOf(file: string): Promise<readonly Diagnostic[]> {
  try {
    await loadExperiment(file, { registry, env: {} });
  } catch (error) {
    if (error instanceof InvalidInputError) return error.diagnostics;
    throw error;
  }
  throw new Error(`${path.basename(file)} loaded without any problem`);
}

describe('invalid experiment fixtures', () => {
  // Read synchronously: mocha needs the list of cases when the file loads, to declare one test per fixture.
  const expectations = JSON.parse(readFileSync(path.join(fixtures, 'expectations.json'), 'utf8')) as Record<string, Expectation>;

  it('has an expectation for every fixture file, and at least 28 cases', async () => {
    const files = (await readdir(fixtures)).filter((f) => f.endsWith('.yaml')).sort();
    expect(files).to.deep.equal(Object.keys(expectations).sort());
    expect(files.length).to.be.at.least(28);
  });

  for (const [file, expected] of Object.entries(expectations)) {
    it(`${file}: reports ${expected.code} at ${expected.line}:${expected.column}`, async () => {
      const diagnostics = await diagnosticsOf(path.join(fixtures, file));
      const shown = diagnostics.map(formatDiagnostic).join('\n');
      // One problem per fixture: exactly one diagnostic, with the expected code and position.
      expect(diagnostics.length, shown).to.equal(1);
      const [d] = diagnostics as [Diagnostic];
      expect({ code: d.code, line: d.line, column: d.column }, shown).to.deep.equal(expected);
      expect(d.file).to.equal(path.join(fixtures, file));
      expect(d.message, shown).to.be.a('string').and.not.equal('');
    });
  }

  it('unknown-key-in-step.yaml suggests the key that was meant', async () => {
    const [d] = await diagnosticsOf(path.join(fixtures, 'unknown-key-in-step.yaml'));
    expect(d?.message).to.equal('unknown key "duraton" in a method step');
    expect(d?.hint).to.equal('did you mean "duration"?');
    expect(d?.path).to.equal('method[0].duraton');
  });

  it('unknown-fault-type.yaml suggests the closest fault type', async () => {
    const [d] = await diagnosticsOf(path.join(fixtures, 'unknown-fault-type.yaml'));
    expect(d?.hint).to.equal('did you mean "process.kill"?');
  });

  it('bad-duration-bare-number.yaml tells the user to add a unit', async () => {
    const [d] = await diagnosticsOf(path.join(fixtures, 'bad-duration-bare-number.yaml'));
    expect(d?.hint).to.equal('add a unit, e.g. 30s');
  });

  it('renamed-key-steady-state-hypothesis.yaml names the new key', async () => {
    const [d] = await diagnosticsOf(path.join(fixtures, 'renamed-key-steady-state-hypothesis.yaml'));
    expect(d?.message).to.contain('"steadyState"');
  });

  describe('files that are not YAML text', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'chaosdrill-invalid-'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('refuses a 10 MB file before parsing it (E_FILE_TOO_LARGE at 1:1)', async () => {
      const file = path.join(dir, 'huge.yaml');
      await writeFile(file, `version: 1\nname: huge\ndescription: "${'x'.repeat(10 * 1024 * 1024)}"\nmethod:\n  - pause: 1s\n`);
      const diagnostics = await diagnosticsOf(file);
      expect(diagnostics.map((d) => [d.code, d.line, d.column])).to.deep.equal([['E_FILE_TOO_LARGE', 1, 1]]);
    });

    it('refuses binary garbage with NUL bytes (E_NOT_TEXT at 1:1)', async () => {
      const file = path.join(dir, 'garbage.yaml');
      const bytes = randomBytes(4096);
      bytes[100] = 0;
      await writeFile(file, bytes);
      const diagnostics = await diagnosticsOf(file);
      expect(diagnostics.map((d) => [d.code, d.line, d.column])).to.deep.equal([['E_NOT_TEXT', 1, 1]]);
    });

    it('refuses valid UTF-8 text that holds NUL bytes (E_NOT_TEXT)', async () => {
      const file = path.join(dir, 'nul.yaml');
      await writeFile(file, 'version: 1\u0000\nname: x\n');
      const diagnostics = await diagnosticsOf(file);
      expect(diagnostics.map((d) => d.code)).to.deep.equal(['E_NOT_TEXT']);
    });
  });
});
