import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { InvalidInputError, type Diagnostic } from '../../src/errors.js';
import { loadExperiment, loadExperimentText, type LoadOptions } from '../../src/experiment/load.js';
import type { FaultStep, PauseStep, ProbeStep } from '../../src/experiment/types.js';
import { createRegistry } from '../../src/plugins/registry.js';
import { testPlugins } from '../support/test-plugins.js';

const registry = createRegistry(testPlugins);

async function load(text: string, options: Partial<LoadOptions> = {}) {
  return loadExperimentText(text, 'exp.yaml', { registry, ...options });
}

async function problems(text: string, options: Partial<LoadOptions> = {}): Promise<readonly Diagnostic[]> {
  try {
    await load(text, options);
  } catch (error) {
    if (error instanceof InvalidInputError) return error.diagnostics;
    throw error;
  }
  throw new Error('expected the experiment to be invalid');
}

const minimal = `version: 1
name: minimal
targets:
  app: { type: svc, url: http://127.0.0.1:1 }
method:
  - pause: 10s
`;

describe('loading an experiment', () => {
  it('applies every default of the format', async () => {
    const { experiment } = await load(minimal);
    expect(experiment).to.deep.include({
      version: 1,
      name: 'minimal',
      title: 'minimal',
      description: null,
      tags: [],
      runbook: null,
      secrets: {},
      vars: {},
      steadyState: [],
      rollbacks: [],
      load: null,
      objectives: { rto: null, rpo: null, slo: [] },
    });
    expect(experiment.safety).to.deep.equal({ maxDurationMs: 30 * 60_000, blastRadius: null, allowNamespaces: [], autoRecover: false, abortWhen: [] });
    expect(experiment.targets.app).to.deep.equal({
      name: 'app',
      type: 'svc',
      environment: null,
      config: { url: 'http://127.0.0.1:1', replicas: 1 },
      rawConfig: { url: 'http://127.0.0.1:1' },
      configTemplate: { url: 'http://127.0.0.1:1' },
    });
  });

  it('resolves steps with default timeouts, flags, names and locations', async () => {
    const { experiment } = await load(`version: 1
name: steps
targets:
  app: { type: svc, url: http://127.0.0.1:1 }
steadyState:
  - probe: { type: svc.healthy, target: app }
method:
  - pause: 10s
  - fault: { type: svc.latency, target: app, latency: 1.5s }
    duration: 30s
  - fault: { type: svc.latency, target: app, latency: 200ms }
    background: true
    timeout: 5s
  - probe: { type: web, url: http://127.0.0.1:1/ }
    continueOnFailure: true
  - action: { type: web.request, url: http://127.0.0.1:1/ }
  - pause: 10s
rollbacks:
  - action: { type: web.request, url: http://127.0.0.1:1/undo, method: POST }
    name: undo
`);
    const [pause, fault1, fault2, probe, action, pause2] = experiment.method;
    expect(pause).to.deep.equal({
      kind: 'pause', name: 'pause 10s', location: { line: 8, column: 5 }, timeoutMs: 10_000,
      background: false, continueOnFailure: false, durationMs: 10_000,
    } satisfies PauseStep);
    expect(fault1).to.deep.equal({
      kind: 'fault', name: 'svc.latency app', location: { line: 9, column: 5 }, timeoutMs: 60_000,
      background: false, continueOnFailure: false, type: 'svc.latency', target: 'app',
      params: { latency: 1500 }, rawParams: { latency: '1.5s' }, needsTargetAttributes: false, durationMs: 30_000,
    } satisfies FaultStep);
    expect(fault2).to.deep.include({ name: 'svc.latency app #2', background: true, timeoutMs: 5000, durationMs: null });
    expect(probe).to.deep.include({ kind: 'probe', name: 'web', target: null, timeoutMs: 30_000, continueOnFailure: true });
    expect((probe as ProbeStep).params).to.deep.equal({ url: 'http://127.0.0.1:1/', status: 200 });
    expect(action).to.deep.include({ kind: 'action', name: 'web.request', timeoutMs: 60_000 });
    expect(pause2?.name).to.equal('pause 10s #2');
    expect(experiment.steadyState[0]).to.deep.include({ name: 'svc.healthy app', target: 'app', timeoutMs: 30_000 });
    expect(experiment.rollbacks[0]).to.deep.include({ name: 'undo', params: { url: 'http://127.0.0.1:1/undo', method: 'POST' } });
  });

  it('numbers generated names around explicit ones', async () => {
    const { experiment } = await load(`version: 1
name: names
method:
  - pause: 1s
    name: pause 1s
  - pause: 1s
  - pause: 1s
`);
    expect(experiment.method.map((s) => s.name)).to.deep.equal(['pause 1s', 'pause 1s #2', 'pause 1s #3']);
  });

  it('reads safety, runbook, title and tags as written', async () => {
    const { experiment } = await load(`version: 1
name: safe
title: Safe run
description: checks things
tags: [dr]
safety:
  maxDuration: 10m
  blastRadius: { maxPods: 3, maxPercent: 50% }
  allowNamespaces: [shop]
  autoRecover: true
runbook:
  name: DR-07
  steps:
    - { id: detect, say: "Router marks region A unhealthy", expected: within 5 s, check: { probe: { type: web, url: http://127.0.0.1:1 } } }
    - { id: page, say: "On-call is paged", manual: true }
method:
  - pause: 1s
`);
    expect(experiment).to.deep.include({ title: 'Safe run', description: 'checks things', tags: ['dr'] });
    expect(experiment.safety).to.deep.equal({ maxDurationMs: 600_000, blastRadius: { maxPods: 3, maxPercent: 0.5 }, allowNamespaces: ['shop'], autoRecover: true, abortWhen: [] });
    expect(experiment.runbook?.name).to.equal('DR-07');
    expect(experiment.runbook?.steps[0]).to.deep.include({ id: 'detect', expected: 'within 5 s' });
    expect(experiment.runbook?.steps[0]?.check).to.deep.include({ kind: 'probe', type: 'web', timeoutMs: 30_000 });
    expect(experiment.runbook?.steps[1]).to.deep.equal({ id: 'page', say: 'On-call is paged', expected: null, check: null, manual: true });
  });

  it('keeps a plugin-level refinement of target configs and fault params', async () => {
    const found = await problems(`version: 1
name: refine
targets:
  app: { type: svc, url: ftp://x }
method:
  - fault: { type: svc.latency, target: app, latency: 100ms, jitter: 1s }
`);
    expect(found.map((d) => [d.code, d.path])).to.deep.equal([
      ['E_VALUE', 'targets.app.url'],
      ['E_VALUE', 'method[0].fault.jitter'],
    ]);
    expect(found[1]?.message).to.contain('jitter is larger than latency');
  });

  it('records where the file came from and its sha256', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'chaosdrill-load-'));
    try {
      const file = path.join(dir, 'exp.yaml');
      await writeFile(file, minimal);
      const loaded = await loadExperiment(file, { registry });
      expect(loaded.source).to.deep.equal({ path: file, sha256: createHash('sha256').update(minimal).digest('hex') });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports every problem of the file at once, in file order, each at its own position', async () => {
    const found = await problems(`version: 1
name: many
targets:
  app: { type: svc, url: http://127.0.0.1:1 }
method:
  - pause: 10
  - fault: { type: svc.latncy, target: app }
  - fault: { type: svc.stop, target: ap }
    duraton: 5s
  - probe: { type: web, url: "\${vars.missing}" }
rollback: []
`);
    expect(found.map((d) => [d.code, d.line, d.column, d.path])).to.deep.equal([
      ['E_DURATION', 6, 12, 'method[0].pause'],
      ['E_UNKNOWN_TYPE', 7, 20, 'method[1].fault.type'],
      ['E_UNKNOWN_TARGET', 8, 38, 'method[2].fault.target'],
      ['E_UNKNOWN_KEY', 9, 5, 'method[2].duraton'],
      ['E_UNDEFINED_REF', 10, 30, 'method[3].probe.url'],
      ['E_RENAMED_KEY', 11, 1, 'rollback'],
    ]);
    expect(found.every((d) => d.file === 'exp.yaml')).to.equal(true);
  });

  it('reports a missing key at the mapping that lacks it', async () => {
    const found = await problems(`version: 1
name: missing
method:
  - probe:
      type: web
      status: 200
`);
    expect(found.map((d) => [d.code, d.line, d.column, d.path])).to.deep.equal([['E_REQUIRED', 5, 7, 'method[0].probe.url']]);
  });

  it('explains a step with two kinds without listing every union branch', async () => {
    const found = await problems(`version: 1
name: kinds
method:
  - pause: 1s
    probe: { type: web, url: x }
`);
    expect(found).to.have.length(1);
    expect(found[0]).to.deep.include({ code: 'E_STEP_KIND', line: 4, column: 5 });
    expect(found[0]?.message).to.contain('"pause" and "probe"');
  });
});
