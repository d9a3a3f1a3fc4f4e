/**
 * defineTarget, the typed declaration of a plugin's kind of target: what the compiler refuses is held by
 * `tsc -p test/tsconfig.json` (`@ts-expect-error` fails the type check when the line it marks compiles), what it
 * returns by the tests.
 */
import { expect } from 'chai';
import { z } from 'zod';
import { defineTarget, type ChaosPlugin, type ConfigOf } from '../../src/plugins/api.js';

const dirTarget = defineTarget({
  config: z.object({ dir: z.string(), depth: z.number().int().default(1) }).strict(),
  attributes: ['dir'],
  // `config` is the schema's output: `depth` is a number here, its default applied.
  targetKey: (config) => `dir:${config.dir}:${config.depth.toFixed(0)}`,
});

describe('defineTarget', () => {
  it('gives targetKey the output of its config schema, and spreads into a plugin of that config', () => {
    const plugin: ChaosPlugin<ConfigOf<typeof dirTarget>> = { name: 'dir', description: 'a directory (tests only)', ...dirTarget };
    const config = plugin.config?.parse({ dir: '/tmp/x' });
    expect(config).to.deep.equal({ dir: '/tmp/x', depth: 1 });
    expect(config && plugin.targetKey?.(config)).to.equal('dir:/tmp/x:1');
  });

  it('is refused by the compiler for a setting the schema does not have, or a plugin whose config type differs', () => {
    defineTarget({
      config: z.object({ dir: z.string() }),
      // @ts-expect-error `path` is not a setting of this target
      targetKey: (config) => config.path,
    });
    // @ts-expect-error the plugin says its config's `dir` is a number; its schema says a string
    const wrong: ChaosPlugin<{ dir: number }> = { name: 'dir', description: 'a directory (tests only)', ...dirTarget };
    expect(wrong.name).to.equal('dir');
  });
});
