/**
 * The README stays a front page (issue 18): at most ~8,000 characters, with the two set-up commands exactly as a new
 * user types them, and a link to every page under docs/ (reference pages are reached through their index links).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { ROOT } from '../support/cli.js';
import { relativeLinks } from '../support/doc-blocks.js';

describe('the README as a front page', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

  it('is at most 8,000 characters; the rest belongs in docs/', () => {
    expect([...readme].length).to.be.at.most(8_000);
  });

  it('shows the two set-up commands as they are typed', () => {
    expect(readme).to.match(/^npm ci$/m);
    expect(readme).to.match(/^npx chaos run experiments\/[a-z0-9-]+\.yaml$/m);
  });

  it('links every page under docs/ (outside reference/)', () => {
    const pages = readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`);
    expect(relativeLinks('README.md')).to.include.members(pages);
  });
});
