/**
 * Label and field selectors in their string form (`app=web,tier in (a,b),!canary`; `spec.nodeName=n1`), and
 * LabelSelector objects (matchLabels, matchExpressions) as they appear in specs.
 */
import type { KubeObject } from './store.js';

type Requirement = { key: string; op: 'in' | 'notin' | 'exists' | '!exists'; values: string[] };

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  if (current.trim() !== '') parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

export function parseLabelSelector(text: string): Requirement[] {
  return splitTopLevel(text).map((part) => {
    let m = /^([^\s!=]+)\s+(in|notin)\s+\((.*)\)$/.exec(part);
    if (m) return { key: m[1]!, op: m[2] as 'in' | 'notin', values: m[3]!.split(',').map((v) => v.trim()) };
    m = /^([^\s!=]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (m) return { key: m[1]!, op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]!.trim()] };
    if (part.startsWith('!')) return { key: part.slice(1).trim(), op: '!exists', values: [] };
    return { key: part, op: 'exists', values: [] };
  });
}

function matches(labels: Record<string, string>, reqs: Requirement[]): boolean {
  return reqs.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    switch (r.op) {
      case 'in': return has && r.values.includes(labels[r.key]!);
      case 'notin': return !has || !r.values.includes(labels[r.key]!);
      case 'exists': return has;
      case '!exists': return !has;
    }
  });
}

export function matchesLabelSelector(obj: KubeObject, text: string | null): boolean {
  if (text === null || text === '') return true;
  return matches(obj.metadata.labels ?? {}, parseLabelSelector(text));
}

/** A spec's LabelSelector object; an empty selector selects everything (as for NetworkPolicy podSelector). */
export function matchesSelectorObject(labels: Record<string, string> | undefined, selector: any): boolean {
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) reqs.push({ key, op: 'in', values: [String(value)] });
  for (const e of selector?.matchExpressions ?? []) {
    const op = ({ In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!exists' } as const)[e.operator as 'In'];
    reqs.push({ key: e.key, op, values: e.values ?? [] });
  }
  return matches(labels ?? {}, reqs);
}

function fieldValue(obj: KubeObject, path: string): string {
  let node: any = obj;
  for (const part of path.split('.')) node = node?.[part];
  return node === undefined || node === null ? '' : String(node);
}

export function matchesFieldSelector(obj: KubeObject, text: string | null): boolean {
  if (text === null || text === '') return true;
  return splitTopLevel(text).every((part) => {
    const m = /^([^!=]+)(==|=|!=)(.*)$/.exec(part);
    if (!m) return false;
    const actual = fieldValue(obj, m[1]!.trim());
    return m[2] === '!=' ? actual !== m[3] : actual === m[3];
  });
}
