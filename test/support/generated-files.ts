/**
 * Checks a committed generated file (schema/*.json) against what the code generates now; when it is stale, the
 * failure shows a unified diff of the two, so the reader sees what changed without regenerating it first.
 */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { expect } from 'chai';
import { createTwoFilesPatch } from 'diff';
import { ROOT } from './cli.js';

/** A schema that changed wholesale would print thousands of lines; the first ones tell the story. */
const MAX_DIFF_LINES = 200;

export async function expectCommittedFileIsFresh(path: string, generated: string, regenerate: string): Promise<void> {
  const onDisk = await readFile(path, 'utf8');
  if (onDisk === generated) return;
  const name = relative(ROOT, path);
  const patch = createTwoFilesPatch(`${name} (committed)`, `${name} (generated now)`, onDisk, generated, undefined, undefined, { context: 3 });
  const lines = patch.split('\n');
  const shown = lines.length > MAX_DIFF_LINES ? [...lines.slice(0, MAX_DIFF_LINES), `… ${lines.length - MAX_DIFF_LINES} more lines`] : lines;
  expect.fail(`${name} is stale: run \`${regenerate}\`\n${shown.join('\n')}`);
}
