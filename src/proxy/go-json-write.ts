/**
 * Writes JSON as Toxiproxy's Go server writes it (encoding/json): `<`, `>`, `&`, U+2028 and U+2029 escaped as
 * `\u003c`..., control characters as `\u00XX` except `\n`, `\r` and `\t`, and 32-bit floats (a toxic's toxicity) in
 * the shortest form that reads back as the same float32 (0.123456789 → 0.12345679).
 */

/** A number Go holds as a float32. */
export class Float32 {
  constructor(readonly value: number) {}
}

export type GoJsonValue = string | number | boolean | null | Float32 | GoJsonValue[] | { [key: string]: GoJsonValue };

export function writeGoJson(value: GoJsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return goString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Float32) return String(shortestFloat32(value.value));
  if (Array.isArray(value)) return `[${value.map(writeGoJson).join(',')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${goString(k)}:${writeGoJson(v)}`)
    .join(',')}}`;
}

/** The shortest decimal that rounds to the same float32 (Go's strconv.FormatFloat(f, 'g', -1, 32) digits). */
function shortestFloat32(value: number): number {
  const f = Math.fround(value);
  if (f === 0 || !Number.isFinite(f)) return f === 0 ? 0 : f;
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(f.toPrecision(digits));
    if (Math.fround(candidate) === f) return candidate;
  }
  return f;
}

function goString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low < 0xe000) {
        out += text[i] + text[i + 1];
        i++;
        continue;
      }
    }
    if (c >= 0xd800 && c < 0xe000) out += '\\ufffd';
    else if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
      out += `\\u${c.toString(16).padStart(4, '0')}`;
    } else out += text[i];
  }
  return `${out}"`;
}
