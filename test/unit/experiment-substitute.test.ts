import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { ChaosError, InvalidInputError, type Diagnostic } from '../../src/errors.js';
import { loadExperiment, loadExperimentText, type LoadOptions } from '../../src/experiment/load.js';
import { substituteTargetAttributes } from '../../src/experiment/substitute.js';
import type { ProbeStep } from '../../src/experiment/types.js';
import { createRegistry } from '../../src/plugins/registry.js';
import { testPlugins } from '../support/test-plugins.js';

const registry = createRegistry(testPlugins);

function withProbe(url: string, extra = ''): string {
  return `version: 1
name: subst
targets:
  app: { type: svc, url: http://127.0.0.1:1 }
secrets:
  token: { env: APP_TOKEN }
vars:
  rate: 5
  host: 127.0.0.1
method:
  - probe:
      type: web
      url: ${url}
${extra}`;
}

async function probeOf(text: string, options: Partial<LoadOptions> = {}) {
  const loaded = await loadExperimentText(text, 'exp.yaml', { registry, ...options });
  return { step: loaded.experiment.method[0] as ProbeStep, loaded };
}

async function problems(text: string, options: Partial<LoadOptions> = {}): Promise<readonly Diagnostic[]> {
  try {
    await loadExperimentText(text, 'exp.yaml', { registry, ...options });
  } catch (error) {
    if (error instanceof InvalidInputError) return error.diagnostics;
    throw error;
  }
  throw new Error('expected the experiment to be invalid');
}

describe('${...} substitution', () => {
  it('substitutes env from the given environment only', async () => {
    const { step } = await probeOf(withProbe('http://${env.HOST_NAME}:8080/'), { env: { HOST_NAME: 'h1' } });
    expect(step.params).to.deep.include({ url: 'http://h1:8080/' });
  });

  it('substitutes vars, with --var overriding the file defaults', async () => {
    expect((await probeOf(withProbe('http://${vars.host}/'))).step.params).to.deep.include({ url: 'http://127.0.0.1/' });
    const { step, loaded } = await probeOf(withProbe('http://${vars.host}/'), { vars: { host: 'localhost' } });
    expect(step.params).to.deep.include({ url: 'http://localhost/' });
    expect(loaded.experiment.vars).to.deep.equal({ rate: '5', host: 'localhost' });
  });

  it('gives a plain scalar that is exactly one reference the YAML type of its value', async () => {
    const file = withProbe('http://x/', '      rate: ${vars.rate}\n');
    expect((await probeOf(file)).step.params).to.deep.include({ rate: 5 });
    expect((await probeOf(file, { vars: { rate: '200' } })).step.params).to.deep.include({ rate: 200 });
    const quoted = withProbe('http://x/', '      status: ${env.STATUS}\n');
    expect((await probeOf(quoted, { env: { STATUS: '204' } })).step.params).to.deep.include({ status: 204 });
  });

  it('keeps a quoted scalar a string', async () => {
    const found = await problems(withProbe('http://x/', '      rate: "${vars.rate}"\n'));
    expect(found.map((d) => [d.code, d.path])).to.deep.equal([['E_TYPE', 'method[0].probe.rate']]);
  });

  it('substitutes secrets, lists their values for redaction, and keeps them out of configTemplate', async () => {
    const text = `version: 1
name: secret
targets:
  app: { type: svc, url: "http://\${secrets.token}@127.0.0.1/" }
secrets:
  token: { env: APP_TOKEN }
  unused: { env: UNUSED_TOKEN }
method:
  - probe: { type: web, url: "http://x/?t=\${secrets.token}" }
`;
    const { step, loaded } = await probeOf(text, { env: { APP_TOKEN: 'hunter2' } });
    expect(step.params).to.deep.include({ url: 'http://x/?t=hunter2' });
    expect(loaded.secretValues).to.deep.equal(['hunter2']);
    expect(loaded.experiment.targets.app?.rawConfig).to.deep.equal({ url: 'http://hunter2@127.0.0.1/' });
    expect(loaded.experiment.targets.app?.configTemplate).to.deep.equal({ url: 'http://${secrets.token}@127.0.0.1/' });
    expect(loaded.experiment.secrets).to.deep.equal({ token: { env: 'APP_TOKEN' }, unused: { env: 'UNUSED_TOKEN' } });
  });

  it('reads a file secret relative to the experiment file, without its final newline', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'chaosdrill-secret-'));
    try {
      await writeFile(path.join(dir, 'token.txt'), 'from-file\n');
      const file = path.join(dir, 'exp.yaml');
      await writeFile(file, `version: 1
name: file-secret
secrets:
  token: { file: token.txt }
method:
  - probe: { type: web, url: "http://x/?t=\${secrets.token}" }
`);
      const loaded = await loadExperiment(file, { registry });
      expect((loaded.experiment.method[0] as ProbeStep).params).to.deep.include({ url: 'http://x/?t=from-file' });
      expect(loaded.secretValues).to.deep.equal(['from-file']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a declared secret without a value as E_SECRET_MISSING where it is used', async () => {
    const found = await problems(withProbe('"http://x/?t=${secrets.token}"'));
    expect(found.map((d) => [d.code, d.line, d.column])).to.deep.equal([['E_SECRET_MISSING', 13, 12]]);
    expect(found[0]?.message).to.contain('APP_TOKEN');
  });

  it('reports undefined references with a did-you-mean among defined names', async () => {
    const found = await problems(withProbe('"http://${vars.hots}/${env.HOMR}/${secrets.tokn}/${targets.ap.url}/${targets.app.uri}"'), {
      env: { HOME: '/root' },
    });
    expect(found.map((d) => d.code)).to.deep.equal(Array(5).fill('E_UNDEFINED_REF'));
    expect(found.map((d) => d.hint)).to.deep.equal([
      'did you mean "host"?',
      'did you mean "HOME"?',
      'did you mean "token"?',
      'did you mean "app"?',
      'did you mean "url"?',
    ]);
  });

  it('treats $${ as a literal ${', async () => {
    const { step } = await probeOf(withProbe('"http://x/$${vars.host}"'));
    expect(step.params).to.deep.include({ url: 'http://x/${vars.host}' });
  });

  it('leaves ${targets.X.attr} for run time and marks the step', async () => {
    const { step } = await probeOf(withProbe('"${targets.app.url}/health?q=$${literal}"'));
    expect(step.needsTargetAttributes).to.equal(true);
    expect(step.rawParams).to.deep.equal({ url: '${targets.app.url}/health?q=$${literal}' });
    const resolved = substituteTargetAttributes(step.rawParams, { app: { url: 'http://127.0.0.1:9', port: 9 } });
    expect(resolved).to.deep.equal({ url: 'http://127.0.0.1:9/health?q=${literal}' });
  });
});

describe('${targets…} in safety', () => {
  it('is allowed in a guardrail probe, which runs once targets are connected, and resolved then', async () => {
    const { loaded } = await probeOf(withProbe('http://127.0.0.1:1', `safety:
  abortWhen:
    - probe: { type: web, url: "\${targets.app.url}/health" }
      failures: 2
`));
    const guardrail = loaded.experiment.safety.abortWhen[0]!;
    expect(guardrail.kind).to.equal('probe');
    const probe = (guardrail as { probe: ProbeStep }).probe;
    expect(probe.needsTargetAttributes).to.equal(true);
    expect(substituteTargetAttributes(probe.rawParams, { app: { url: 'http://127.0.0.1:9' } })).to.deep.equal({ url: 'http://127.0.0.1:9/health' });
  });

  it('is refused anywhere else in safety, which is read before connecting', async () => {
    const found = await problems(withProbe('http://127.0.0.1:1', `safety:
  maxDuration: "\${targets.app.url}"
  abortWhen:
    - probe: { type: web, url: "\${targets.app.url}/health" }
`));
    expect(found.map((d) => [d.code, d.path])).to.deep.include(['E_VALUE', 'safety.maxDuration']);
    expect(found.some((d) => d.path.startsWith('safety.abortWhen'))).to.equal(false);
    expect(found.find((d) => d.path === 'safety.maxDuration')?.message).to.contain('can only be used in steps');
  });
});

describe('substituteTargetAttributes', () => {
  const attributes = { app: { url: 'http://127.0.0.1:9', port: 9 } };

  it('gives a whole-string reference the attribute type and substitutes inside longer strings', () => {
    expect(
      substituteTargetAttributes({ port: '${targets.app.port}', url: '${targets.app.url}/x', list: ['${targets.app.port}'], n: 1 }, attributes),
    ).to.deep.equal({ port: 9, url: 'http://127.0.0.1:9/x', list: [9], n: 1 });
  });

  it('throws a ChaosError naming the target when an attribute was not published', () => {
    expect(() => substituteTargetAttributes({ url: '${targets.app.host}' }, attributes))
      .to.throw(ChaosError, 'target "app" did not publish the attribute "host"');
  });
});
