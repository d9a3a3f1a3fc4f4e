/**
 * Escaping for GitHub-flavoured Markdown. Text from the journal (probe messages, step names, error output) must
 * render as the text it is: no accidental emphasis, links, HTML, or broken table rows.
 */

/**
 * Escapes inline text: the punctuation that starts emphasis, code, links, strikethrough or a table cell gets a
 * backslash, and so does a leading block marker (`# `, `+ `, `- `, `1. `) since the text may start a list item;
 * `<`, `>` and `&` become entities (no raw HTML); newlines become spaces (a table row is one line).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/^([#+\-])(?=\s|$)/, '\\$1')
    .replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Code in a table cell: backticks cannot be escaped inside a code span, so the span is fenced with more of them. */
export function markdownCode(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A GFM table; every cell is already escaped by the caller. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
