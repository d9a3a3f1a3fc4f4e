/**
 * A toxiproxy target publishes `<proxy>.listen` and `<proxy>.port` for each of its proxies: attribute names with a
 * dot, declared as `*.listen` / `*.port`. They are checked at load time and substituted at run time.
 */
import { expect } from 'chai';
import { InvalidInputError, type Diagnostic } from '../../src/errors.js';
import { loadExperimentText } from '../../src/experiment/load.js';
import { substituteTargetAttributes } from '../../src/experiment/substitute.js';
import { createRegistry } from '../../src/plugins/registry.js';

const registry = createRegistry();

function experiment(url: string): string {
  return `version: 1
name: attrs
targets:
  net: { type: toxiproxy, proxies: [{ name: db, upstream: "127.0.0.1:5432" }] }
method:
  - probe: { type: http, url: "${url}" }
`;
}

async function problems(text: string): Promise<readonly Diagnostic[]> {
  try {
    await loadExperimentText(text, 'exp.yaml', { registry, env: {} });
  } catch (error) {
    if (error instanceof InvalidInputError) return error.diagnostics;
    throw error;
  }
  return [];
}

describe('toxiproxy target attributes', () => {
  it('accepts ${targets.net.<proxy>.listen}, .port and ${targets.net.url}', async () => {
    expect(await problems(experiment('http://${targets.net.db.listen}/x'))).to.deep.equal([]);
    expect(await problems(experiment('http://127.0.0.1:${targets.net.db.port}/x'))).to.deep.equal([]);
    expect(await problems(experiment('${targets.net.url}/proxies'))).to.deep.equal([]);
  });

  it('rejects an attribute the plugin does not publish, naming it', async () => {
    const found = await problems(experiment('http://${targets.net.db.host}/x'));
    expect(found).to.have.length(1);
    expect(found[0]!.message).to.match(/no attribute "db\.host"/);
    expect((await problems(experiment('http://${targets.net.port}/x')))[0]!.message).to.match(/no attribute "port"/);
  });

  it('substitutes dotted attribute names at run time, keeping a whole reference typed', () => {
    const attributes = { net: { url: 'http://127.0.0.1:1', 'db.listen': '127.0.0.1:4000', 'db.port': 4000 } };
    expect(substituteTargetAttributes({ url: 'http://${targets.net.db.listen}/x', port: '${targets.net.db.port}' }, attributes)).to.deep.equal({
      url: 'http://127.0.0.1:4000/x',
      port: 4000,
    });
  });
});
