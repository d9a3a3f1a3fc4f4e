/**
 * The committed JSON Schemas as an editor reads them: yaml-language-server validates with a draft 2020-12 validator,
 * as Ajv does. Every shipped experiment and game-day plan must be valid there, and broken files must not.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';
import { ROOT } from '../support/cli.js';
import { compileSchema as compile, schemaProblems as problems } from '../support/json-schema-ajv.js';

function yamlFilesUnder(dir: string): string[] {
  return (readdirSync(join(ROOT, dir), { recursive: true }) as string[])
    .map((name) => join(dir, name))
    .filter((path) => /\.ya?ml$/.test(path) && statSync(join(ROOT, path)).isFile())
    .sort();
}

function readYaml(path: string): unknown {
  return parse(readFileSync(join(ROOT, path), 'utf8'));
}

describe('the JSON Schemas in an editor (Ajv, draft 2020-12, strict)', () => {
  const experiment = compile('schema/experiment.schema.json');
  const gameday = compile('schema/gameday.schema.json');

  describe('experiments', () => {
    const shipped = yamlFilesUnder('experiments');

    it('ships experiments to check', () => {
      expect(shipped.length).to.be.greaterThan(10);
    });

    for (const path of shipped) {
      it(`accepts ${path}`, () => {
        expect(problems(experiment, readYaml(path))).to.deep.equal([]);
      });
    }

    it('accepts a ${...} reference wherever a typed scalar stands, and rejects a wrong literal there', () => {
      // The case editors got wrong: `ready.port: ${vars.port}` was "must be integer".
      const document = readYaml('experiments/process-pause.yaml') as { targets: { orders: { ready: { port: unknown } } } };
      expect(document.targets.orders.ready.port).to.equal('${vars.port}');
      expect(problems(experiment, document)).to.deep.equal([]);
      document.targets.orders.ready.port = 'eighteen thousand';
      expect(problems(experiment, document)).to.not.deep.equal([]);
    });

    // Each breaks the format in a way the schema itself can see (the loader reports these too, with positions).
    for (const fixture of [
      'missing-method.yaml',
      'empty-method.yaml',
      'bad-version.yaml',
      'invalid-experiment-name.yaml',
      'unknown-key-in-target.yaml',
      'step-with-no-kind.yaml',
      'secret-two-sources.yaml',
    ]) {
      it(`rejects test/fixtures/invalid/${fixture}`, () => {
        expect(problems(experiment, readYaml(join('test/fixtures/invalid', fixture)))).to.not.deep.equal([]);
      });
    }
  });

  describe('game-day plans', () => {
    const plans = yamlFilesUnder('scenarios');

    it('ships plans to check', () => {
      expect(plans.length).to.be.greaterThan(0);
    });

    for (const path of plans) {
      it(`accepts ${path}`, () => {
        expect(problems(gameday, readYaml(path))).to.deep.equal([]);
      });
    }

    it('rejects a plan without experiments, and a notify URL that is neither a URL nor a reference', () => {
      const plan = readYaml(plans[0]!) as Record<string, unknown>;
      expect(problems(gameday, { ...plan, experiments: [] })).to.not.deep.equal([]);
      expect(problems(gameday, { ...plan, notify: [{ type: 'webhook', url: '${secrets.hook}' }] })).to.deep.equal([]);
      expect(problems(gameday, { ...plan, notify: [{ type: 'webhook', url: 'not a url' }] })).to.not.deep.equal([]);
    });
  });

  describe('the experiment schema', () => {
    const text = readFileSync(join(ROOT, 'schema/experiment.schema.json'), 'utf8');
    const schema = JSON.parse(text) as { $defs: Record<string, { oneOf?: unknown[] }> };

    it('is under 80 KB', () => {
      expect(text.length).to.be.below(80 * 1024);
    });

    it('names its shared definitions and defines each union of specs once', () => {
      expect(Object.keys(schema.$defs)).to.include.members(['probe', 'fault', 'action', 'target', 'duration', 'percent']);
      expect(Object.keys(schema.$defs).filter((name) => name.startsWith('__'))).to.deep.equal([]);
      // Each union is written once, in $defs; the other places (steady state, method, checks, guardrails, objectives)
      // reference it.
      for (const union of ['probe', 'fault', 'action', 'target']) {
        const firstBranch = JSON.stringify(schema.$defs[union]?.oneOf?.[0]);
        expect(text.split(firstBranch).length - 1, union).to.equal(1);
      }
    });
  });
});
