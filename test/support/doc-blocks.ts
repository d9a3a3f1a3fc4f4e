/**
 * The fenced code blocks of the Markdown documentation, with the marker comment that precedes each, read with a
 * real Markdown lexer (marked). Markers say what a block is for the tests that check the docs:
 * - `<!-- fragment -->` before a ```yaml block: part of an experiment or plan, checked as YAML only;
 * - `<!-- getting-started: file NAME -->`: a file the getting-started test writes before running the commands;
 * - `<!-- getting-started: run -->` before a ```sh block: commands the getting-started test runs, one per line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { marked, type Token, type Tokens } from 'marked';
import { ROOT } from './cli.js';

export interface DocBlock {
  /** Relative to the repository root. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  text: string;
  /** The text of the HTML comment right before the block, trimmed, e.g. "fragment"; null without one. */
  marker: string | null;
}

/** README.md and every page under docs/, sorted. */
export function documentationFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.md'))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
  return ['README.md', ...docs.sort()];
}

export function docBlocks(file: string): DocBlock[] {
  const markdown = readFileSync(join(ROOT, file), 'utf8');
  const blocks: DocBlock[] = [];
  let offset = 0;
  let previous: Token | undefined;
  for (const token of marked.lexer(markdown)) {
    if (token.type === 'code') {
      const code = token as Tokens.Code;
      const comment = previous?.type === 'html' ? /^<!--([\s\S]*?)-->\s*$/.exec(previous.raw.trim()) : null;
      blocks.push({
        file,
        line: markdown.slice(0, offset).split('\n').length,
        lang: code.lang ?? '',
        text: code.text,
        marker: comment ? comment[1]!.trim() : null,
      });
    }
    offset += token.raw.length;
    if (token.type !== 'space') previous = token;
  }
  return blocks;
}

/** The relative links of a page (`[text](path)`, anchors dropped), for checking they lead somewhere. */
export function relativeLinks(file: string): string[] {
  const links: string[] = [];
  // walkTokens returns what the callback returns, one per token: nothing here, so nothing to wait for.
  void marked.walkTokens(marked.lexer(readFileSync(join(ROOT, file), 'utf8')), (token) => {
    if (token.type === 'link') {
      const href = (token as Tokens.Link).href;
      if (!/^[a-z]+:/i.test(href) && !href.startsWith('#')) links.push(href.split('#')[0]!);
    }
  });
  return links;
}
