/**
 * Reads a table out of a Markdown document (the README, generated docs) with a real Markdown lexer, so tests can
 * hold documentation to the code it describes.
 */
import { marked, type Tokens } from 'marked';

export interface MarkdownTable {
  header: string[];
  /** Each cell's Markdown source, trimmed: `code spans` keep their backticks. */
  rows: string[][];
}

/** The first table after the heading whose text is `heading`, before the next heading of the same or a higher level. */
export function tableUnderHeading(markdown: string, heading: string): MarkdownTable {
  const tokens = marked.lexer(markdown);
  const start = tokens.findIndex((t) => t.type === 'heading' && (t as Tokens.Heading).text === heading);
  if (start < 0) throw new Error(`no heading "${heading}"`);
  const depth = (tokens[start] as Tokens.Heading).depth;
  for (const token of tokens.slice(start + 1)) {
    if (token.type === 'heading' && (token as Tokens.Heading).depth <= depth) break;
    if (token.type === 'table') {
      const table = token as Tokens.Table;
      return { header: table.header.map((cell) => cell.text.trim()), rows: table.rows.map((row) => row.map((cell) => cell.text.trim())) };
    }
  }
  throw new Error(`no table under the heading "${heading}"`);
}
