/**
 * docs/reference/errors.md: the exit codes (from the `ExitCode` enum, its doc comments and `exitCodeMeaning`) and
 * every error code found where it is raised, with its exit code, messages and hints.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { ExitCode, exitCodeMeaning } from '../../src/errors.js';
import type { ErrorCode } from './error-codes.js';
import { builtElsewhere } from './error-meanings.js';
import { GENERATED_NOTICE, cell } from './markdown.js';

/** The doc comment of each `ExitCode` member, read from src/errors.ts. */
function exitCodeDetails(root: string): Map<string, string> {
  const path = join(root, 'src', 'errors.ts');
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const details = new Map<string, string>();
  source.forEachChild((node) => {
    if (!ts.isEnumDeclaration(node) || node.name.text !== 'ExitCode') return;
    for (const member of node.members) {
      const comment = ts.getJSDocCommentsAndTags(member).map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '').join(' ');
      details.set(member.name.getText(source), comment.replace(/\s+/g, ' ').trim());
    }
  });
  return details;
}

function exitCodeLabel(code: ExitCode | null): string {
  return code === null ? 'set where it is raised (5 while connecting, else 1)' : `${code}: ${exitCodeMeaning[code]}`;
}

export function renderErrorsPage(codes: readonly ErrorCode[], root: string): string {
  const details = exitCodeDetails(root);
  const exitCodes = Object.entries(ExitCode).filter((e): e is [string, ExitCode] => typeof e[1] === 'number');
  const lines = [
    '# Exit codes and error codes',
    '',
    GENERATED_NOTICE,
    '',
    '## Exit codes',
    '',
    '`chaos run`, `chaos validate`, `chaos gameday` and every other command end with one of these.',
    '',
    '| code | meaning | in detail |',
    '|---|---|---|',
    ...exitCodes.map(([name, code]) => `| ${code} | ${cell(exitCodeMeaning[code])} | ${cell(details.get(name) ?? '')} |`),
    '',
    '## Error codes',
    '',
    'Every error names its code (`--json` puts it in `error.code`). Below, each code with its exit code and the',
    'messages and hints it is raised with; `…` stands for what the message fills in (a target name, a path, a value).',
    'Problems in an input file are reported with `file:line:column`, all at once, and exit 2.',
    '',
  ];
  for (const { code, sites } of codes) {
    const exits = [...new Set(sites.map((s) => exitCodeLabel(s.exitCode)))];
    lines.push(`### ${code}`, '', `Exit ${exits.join('; or ')}. Raised in ${[...new Set(sites.map((s) => `\`${s.file}\``))].join(', ')}.`, '');
    const said = new Set<string>();
    for (const site of sites) {
      if (site.message === null && site.hint === null) continue;
      const line = `- ${site.message === null ? 'a message built where it is raised' : cell(site.message)}${site.hint === null ? '' : ` — hint: ${cell(site.hint)}`}`;
      if (!said.has(line)) lines.push(line);
      said.add(line);
    }
    if (builtElsewhere[code] !== undefined) lines.push(`- ${builtElsewhere[code]}`);
    else if (said.size === 0) lines.push('- the message is built where it is raised; see the file above');
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
