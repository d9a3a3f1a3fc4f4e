import { join } from 'node:path';
import { expect } from 'chai';
import { formatJsonSchema } from '../../src/experiment/json-schema-for-editors.js';
import { experimentJsonSchema } from '../../src/experiment/schema.js';
import { createRegistry } from '../../src/plugins/registry.js';
import { ROOT } from '../support/cli.js';
import { expectCommittedFileIsFresh } from '../support/generated-files.js';

describe('the committed JSON Schema', () => {
  it('is what the zod schema of the built-in plugins generates (run `npm run schema` when this fails)', async () => {
    const generated = formatJsonSchema(experimentJsonSchema(createRegistry()));
    await expectCommittedFileIsFresh(join(ROOT, 'schema/experiment.schema.json'), generated, 'npm run build && npm run schema');
  });

  it('describes every fault, probe and action type of the built-in plugins', () => {
    const text = JSON.stringify(experimentJsonSchema(createRegistry()));
    const registry = createRegistry();
    for (const type of [...registry.faults.keys(), ...registry.probes.keys(), ...registry.actions.keys()]) {
      expect(text).to.contain(`"const":"${type}"`);
    }
  });

  it('rejects unknown keys at the top level and has an $id', () => {
    const schema = experimentJsonSchema(createRegistry()) as Record<string, unknown>;
    expect(schema.additionalProperties).to.equal(false);
    expect(schema.$id).to.be.a('string');
    expect(schema.required).to.include.members(['version', 'name', 'method']);
  });
});
