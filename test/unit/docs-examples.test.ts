/**
 * Every YAML example in the documentation (README.md, docs/**.md) is checked as `chaos validate` checks a file:
 * a whole experiment with the experiment loader, a game-day plan with the plan loader (and every experiment it
 * names), and against the committed JSON Schema as an editor validates it (Ajv, draft 2020-12); a block marked
 * `<!-- fragment -->` is part of one and is parsed as YAML only. Every relative link of the documentation leads to a
 * file that exists.
 */
import { existsSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { parseDocument } from 'yaml';
import { formatDiagnostic, InvalidInputError } from '../../src/errors.js';
import { loadExperimentText } from '../../src/experiment/load.js';
import { loadPlan } from '../../src/gameday/load-plan.js';
import { createRegistry } from '../../src/plugins/registry.js';
import { ROOT, tempDir } from '../support/cli.js';
import { compileSchema, schemaProblems } from '../support/json-schema-ajv.js';
import { docBlocks, documentationFiles, relativeLinks, type DocBlock } from '../support/doc-blocks.js';

/**
 * The environment the examples are validated in: each `${env.NAME}` and `{ env: NAME }` they use gets a value of the
 * kind the docs say it holds (a URL, a PID), as a reader's shell would have it.
 */
function environmentFor(text: string): Record<string, string> {
  const samples: Record<string, string> = { APP_URL: 'http://127.0.0.1:8080', APP_PID: '4242' };
  const sample = (name: string) => samples[name] ?? (/URL|WEBHOOK/.test(name) ? 'http://127.0.0.1:9/sample' : `sample-${name.toLowerCase()}`);
  const names = [...text.matchAll(/\$\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}|\benv:\s*([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] ?? m[2]!);
  return Object.fromEntries(names.map((name) => [name, sample(name)]));
}

function isPlan(value: unknown): boolean {
  return value !== null && typeof value === 'object' && 'experiments' in value && !('method' in value);
}

function explain(error: unknown): string {
  return error instanceof InvalidInputError ? error.diagnostics.map(formatDiagnostic).join('\n') : String(error);
}

/** Compiled once, on first use. */
const schemas = {
  experiment: once(() => compileSchema('schema/experiment.schema.json')),
  gameday: once(() => compileSchema('schema/gameday.schema.json')),
};

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

const yamlBlocks = documentationFiles()
  .flatMap(docBlocks)
  .filter((b) => b.lang === 'yaml');

describe('YAML examples in the documentation', function () {
  this.timeout(20_000);
  const registry = createRegistry();

  it('there are examples to check, and each is either whole or marked as a fragment', () => {
    // A floor so that a broken extractor (finding nothing) cannot pass: the docs held 10 when this was written.
    expect(yamlBlocks.length).to.be.greaterThan(7);
    for (const block of yamlBlocks) {
      expect(block.marker === null || block.marker === 'fragment' || block.marker.startsWith('getting-started: file'), `${block.file}:${block.line}: marker "${block.marker}"`).to.equal(true);
    }
  });

  for (const block of yamlBlocks) {
    const where = `${block.file}:${block.line}`;
    if (block.marker === 'fragment') {
      it(`${where} (fragment) is YAML without errors or warnings`, () => {
        const doc = parseDocument(block.text, { prettyErrors: false });
        expect([...doc.errors, ...doc.warnings].map((e) => e.message), where).to.deep.equal([]);
        expect(doc.contents, `${where} is empty`).to.not.equal(null);
      });
    } else {
      it(`${where} validates as chaos validate would validate it`, async () => validateWhole(block, registry));
      it(`${where} is valid against the JSON Schema an editor uses`, () => {
        const document = parseDocument(block.text).toJS() as unknown;
        const validate = isPlan(document) ? schemas.gameday() : schemas.experiment();
        expect(schemaProblems(validate, document), where).to.deep.equal([]);
      });
    }
  }

  it('every relative link in the documentation leads to a file', () => {
    const broken = documentationFiles().flatMap((file) =>
      relativeLinks(file)
        .filter((link) => link !== '' && !existsSync(join(ROOT, dirname(file), link)))
        .map((link) => `${file}: ${link}`),
    );
    expect(broken).to.deep.equal([]);
  });
});

async function validateWhole(block: DocBlock, registry: ReturnType<typeof createRegistry>): Promise<void> {
  const where = `${block.file}:${block.line}`;
  const env = environmentFor(block.text);
  if (isPlan(parseDocument(block.text).toJS())) {
    // A plan names experiments relative to itself; examples are written as if they sat in scenarios/.
    const dir = await tempDir('chaosdrill-docs-plan-');
    try {
      await mkdir(join(dir.path, 'scenarios'));
      await symlink(join(ROOT, 'experiments'), join(dir.path, 'experiments'));
      await writeFile(join(dir.path, 'scenarios', 'example.yaml'), block.text);
      await loadPlan('scenarios/example.yaml', { registry, env, cwd: dir.path }).catch((error: unknown) => expect.fail(`${where}:\n${explain(error)}`));
    } finally {
      await dir.cleanup();
    }
    return;
  }
  // Named as if it sat in experiments/, where `{ file: … }` secrets and relative paths of the samples resolve.
  await loadExperimentText(block.text, join(ROOT, 'experiments', 'docs-example.yaml'), { registry, env }).catch((error: unknown) =>
    expect.fail(`${where}:\n${explain(error)}`),
  );
}
