/**
 * Finds every error code chaosdrill raises (`E_…` string literals in src/) by reading the TypeScript source, with
 * what each site says about it: the exit code (`exitCode: ExitCode.X`, or 2 for a located diagnostic of an input
 * file), the message and the hint. Codes live where they are raised, so this reads them there rather than from a
 * list that would go stale.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { ExitCode } from '../../src/errors.js';

export interface ErrorCodeSite {
  file: string;
  /** null where the raiser passes it in (e.g. 5 while connecting, 1 during the method). */
  exitCode: ExitCode | null;
  /** The message or its template, `${…}` parts shown as `…`; null where it is built elsewhere. */
  message: string | null;
  hint: string | null;
}

export interface ErrorCode {
  code: string;
  sites: ErrorCodeSite[];
}

const CODE = /^E_[A-Z0-9_]+$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** A string literal or template as readers see it: substitutions become `…`. */
function textOf(node: ts.Node | undefined): string | null {
  if (!node) return null;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) return (node.head.text + node.templateSpans.map((s) => `…${s.literal.text}`).join('')).replace(/…+/g, '…');
  if (ts.isParenthesizedExpression(node)) return textOf(node.expression);
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = textOf(node.left);
    const right = textOf(node.right);
    return left === null && right === null ? null : `${left ?? '…'}${right ?? '…'}`.replace(/…+/g, '…');
  }
  if (ts.isConditionalExpression(node)) return textOf(node.whenTrue) ?? textOf(node.whenFalse);
  return null;
}

function property(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of object.properties) {
    if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === name) return p.initializer;
  }
  return undefined;
}

function exitCodeOf(node: ts.Expression | undefined): ExitCode | null {
  if (node && ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'ExitCode') {
    const value = (ExitCode as unknown as Record<string, ExitCode>)[node.name.text];
    if (value !== undefined) return value;
  }
  return null;
}

/** Whether `node` is the value of a `code:` property (through `a ? 'E_X' : 'E_Y'` or `given ?? 'E_X'`). */
function codeProperty(node: ts.Node): ts.PropertyAssignment | null {
  let at: ts.Node = node;
  while (ts.isConditionalExpression(at.parent) || ts.isParenthesizedExpression(at.parent) || ts.isBinaryExpression(at.parent)) at = at.parent;
  const holder = at.parent;
  return ts.isPropertyAssignment(holder) && ts.isIdentifier(holder.name) && holder.name.text === 'code' ? holder : null;
}

/**
 * What one `E_…` literal's surroundings say about it, when it is raised there; null where it is only compared with
 * (`error.code === 'E_X'`) or named in a type.
 */
function siteOf(literal: ts.StringLiteral, file: string): ErrorCodeSite | null {
  const holder = codeProperty(literal);
  if (holder && ts.isObjectLiteralExpression(holder.parent)) {
    const object = holder.parent;
    // zod: `ctx.addIssue({ message, params: { code, hint } })`
    const params = object.parent;
    const outer = ts.isPropertyAssignment(params) && ts.isObjectLiteralExpression(params.parent) ? params.parent : null;
    // `new ChaosError(message, { code, exitCode, hint })`, or a diagnostic `{ code, message, hint }`.
    const call = object.parent;
    const message =
      textOf(property(object, 'message')) ??
      (outer ? textOf(property(outer, 'message')) : null) ??
      ((ts.isNewExpression(call) || ts.isCallExpression(call)) && call.arguments?.[1] === object ? textOf(call.arguments[0]) : null);
    const hint = textOf(property(object, 'hint')) ?? (outer ? textOf(property(outer, 'hint')) : null);
    const hasExitCode = object.properties.some((p) => p.name && ts.isIdentifier(p.name) && p.name.text === 'exitCode');
    // Without an exit code it is a located problem of an input file, which InvalidInputError turns into exit 2.
    const exitCode = hasExitCode ? exitCodeOf(property(object, 'exitCode')) : ExitCode.InvalidInput;
    return { file, exitCode, message, hint };
  }
  // A helper that builds a diagnostic: `at(source, path, 'E_X', message, hint?)`.
  if (ts.isCallExpression(literal.parent)) {
    const args = literal.parent.arguments;
    const i = args.indexOf(literal);
    return { file, exitCode: ExitCode.InvalidInput, message: textOf(args[i + 1]), hint: textOf(args[i + 2]) };
  }
  return null;
}

/** Every error code under `srcDir`, sorted, each with every place it is raised. */
export function findErrorCodes(srcDir: string, root: string): ErrorCode[] {
  const codes = new Map<string, ErrorCodeSite[]>();
  for (const path of sourceFiles(srcDir)) {
    const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
    const file = relative(root, path);
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node) && CODE.test(node.text)) {
        const site = siteOf(node, file);
        if (site) codes.set(node.text, [...(codes.get(node.text) ?? []), site]);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return [...codes.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([code, sites]) => ({ code, sites }));
}
