/**
 * Reads a request body the way Toxiproxy's Go server does (`json.NewDecoder(body).Decode(&v)`), so a client that
 * sends bad JSON gets the same error text from both servers: the first JSON value is read and anything after it is
 * ignored; an empty body is "EOF", a body cut short is "unexpected EOF", and a bad byte is reported as Go's scanner
 * reports it ("invalid character 'x' after object key"). Numbers keep their literal text, because Go's errors quote
 * it ("cannot unmarshal number 1.5 into ... of type int64") and integers reach 2^63.
 */

export type GoJson =
  | { kind: 'object'; entries: [string, GoJson][] }
  | { kind: 'array'; items: GoJson[] }
  | { kind: 'string'; value: string }
  | { kind: 'number'; literal: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' };

/** A body Go's decoder refuses; `message` is Go's text ("unexpected EOF", "invalid character ..."). */
export class GoJsonSyntaxError extends Error {
  override name = 'GoJsonSyntaxError';
}

/** Go's limit on nesting (encoding/json maxNestingDepth). */
const MAX_DEPTH = 10_000;

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

type Container = { kind: 'object'; entries: [string, GoJson][]; key: string | null } | { kind: 'array'; items: GoJson[] };

/** Parses the first JSON value of `body`; throws GoJsonSyntaxError with Go's message. */
export function parseGoJson(body: Uint8Array): GoJson {
  return new Parser(body).parse();
}

class Parser {
  #i = 0;
  readonly #stack: Container[] = [];

  readonly #bytes: Uint8Array;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  parse(): GoJson {
    this.#skipSpace();
    if (this.#i >= this.#bytes.length) throw new GoJsonSyntaxError('EOF');
    let value: GoJson | null = null;
    for (;;) {
      value = this.#beginValue();
      // Close every container this value completes; stop at one that wants more.
      for (;;) {
        const top = this.#stack.at(-1);
        if (top === undefined) return value;
        if (top.kind === 'array') top.items.push(value);
        else top.entries.push([top.key!, value]);
        this.#skipSpace();
        const c = this.#next();
        if (top.kind === 'array') {
          if (c === 0x2c) break;
          if (c !== 0x5d) this.#fail(c, 'after array element');
        } else {
          if (c === 0x2c) {
            this.#skipSpace();
            top.key = this.#objectKey(this.#next());
            break;
          }
          if (c !== 0x7d) this.#fail(c, 'after object key:value pair');
        }
        this.#stack.pop();
        value = top.kind === 'array' ? { kind: 'array', items: top.items } : { kind: 'object', entries: top.entries };
      }
    }
  }

  /** A scalar value, or the start of a container (pushed, with its first key read); returns the value when done. */
  #beginValue(): GoJson {
    for (;;) {
      this.#skipSpace();
      const c = this.#next();
      if (c === 0x7b || c === 0x5b) {
        if (this.#stack.length >= MAX_DEPTH) this.#fail(c, 'exceeded max depth');
        this.#skipSpace();
        const first = this.#peek();
        if (c === 0x7b) {
          if (first === 0x7d) {
            this.#i++;
            return { kind: 'object', entries: [] };
          }
          this.#stack.push({ kind: 'object', entries: [], key: this.#objectKey(this.#next()) });
        } else {
          if (first === 0x5d) {
            this.#i++;
            return { kind: 'array', items: [] };
          }
          this.#stack.push({ kind: 'array', items: [] });
        }
        continue;
      }
      if (c === 0x22) return { kind: 'string', value: this.#stringBody() };
      if (c === 0x2d || isDigit(c)) return { kind: 'number', literal: this.#number() };
      if (c === 0x74) return this.#literal('true', { kind: 'bool', value: true });
      if (c === 0x66) return this.#literal('false', { kind: 'bool', value: false });
      if (c === 0x6e) return this.#literal('null', { kind: 'null' });
      this.#fail(c, 'looking for beginning of value');
    }
  }

  /** After `{` or `,`: a key string and its colon. `c` is the byte already read. */
  #objectKey(c: number): string {
    if (c !== 0x22) this.#fail(c, 'looking for beginning of object key string');
    const key = this.#stringBody();
    this.#skipSpace();
    const colon = this.#next();
    if (colon !== 0x3a) this.#fail(colon, 'after object key');
    return key;
  }

  /** The rest of a string after its opening quote, decoded as Go decodes it (bad UTF-8 and lone surrogates: U+FFFD). */
  #stringBody(): string {
    const start = this.#i;
    let hasEscape = false;
    for (;;) {
      const c = this.#next();
      if (c === 0x22) break;
      if (c === 0x5c) {
        hasEscape = true;
        const e = this.#next();
        if (e === 0x75) {
          for (let k = 0; k < 4; k++) {
            const h = this.#next();
            if (!isHex(h)) this.#fail(h, 'in \\u hexadecimal character escape');
          }
        } else if (!'bfnrt\\/"'.includes(String.fromCharCode(e))) {
          this.#fail(e, 'in string escape code');
        }
      } else if (c < 0x20) {
        this.#fail(c, 'in string literal');
      }
    }
    const raw = this.#bytes.subarray(start, this.#i - 1);
    return hasEscape ? unescape(raw) : utf8(raw);
  }

  #number(): string {
    const start = this.#i - 1;
    let c = this.#bytes[start];
    if (c === 0x2d) {
      c = this.#next();
      if (!isDigit(c)) this.#fail(c, 'in numeric literal');
    }
    if (c !== 0x30) while (this.#i < this.#bytes.length && isDigit(this.#bytes[this.#i])) this.#i++;
    if (this.#peek() === 0x2e) {
      this.#i++;
      const d = this.#next();
      if (!isDigit(d)) this.#fail(d, 'after decimal point in numeric literal');
      while (this.#i < this.#bytes.length && isDigit(this.#bytes[this.#i])) this.#i++;
    }
    const e = this.#peek();
    if (e === 0x65 || e === 0x45) {
      this.#i++;
      let d = this.#next();
      if (d === 0x2b || d === 0x2d) d = this.#next();
      if (!isDigit(d)) this.#fail(d, 'in exponent of numeric literal');
      while (this.#i < this.#bytes.length && isDigit(this.#bytes[this.#i])) this.#i++;
    }
    return utf8(this.#bytes.subarray(start, this.#i));
  }

  #literal(word: string, value: GoJson): GoJson {
    for (let k = 1; k < word.length; k++) {
      const c = this.#next();
      if (c !== word.charCodeAt(k)) this.#fail(c, `in literal ${word} (expecting '${word[k]}')`);
    }
    return value;
  }

  #skipSpace(): void {
    while (this.#i < this.#bytes.length && isSpace(this.#bytes[this.#i])) this.#i++;
  }

  #peek(): number {
    return this.#i < this.#bytes.length ? this.#bytes[this.#i] : -1;
  }

  /** The next byte; the body ending inside a value is Go's "unexpected EOF". */
  #next(): number {
    if (this.#i >= this.#bytes.length) throw new GoJsonSyntaxError('unexpected EOF');
    return this.#bytes[this.#i++];
  }

  #fail(c: number, context: string): never {
    throw new GoJsonSyntaxError(`invalid character ${quoteChar(c)} ${context}`);
  }
}

const decoder = new TextDecoder('utf-8');
function utf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Decodes a string's escapes, as Go does: `\uD83D\uDE00` is one character; a lone surrogate becomes U+FFFD. */
function unescape(raw: Uint8Array): string {
  const text = utf8(raw);
  let out = '';
  for (let k = 0; k < text.length; k++) {
    const ch = text[k];
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const e = text[++k];
    if (e !== 'u') {
      out += { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' }[e] ?? e;
      continue;
    }
    const unit = parseInt(text.slice(k + 1, k + 5), 16);
    k += 4;
    if (unit >= 0xd800 && unit < 0xdc00 && text.startsWith('\\u', k + 1)) {
      const low = parseInt(text.slice(k + 3, k + 7), 16);
      if (low >= 0xdc00 && low < 0xe000) {
        out += String.fromCharCode(unit, low);
        k += 6;
        continue;
      }
    }
    out += unit >= 0xd800 && unit < 0xe000 ? '\ufffd' : String.fromCharCode(unit);
  }
  return out;
}

/** Go's quoteChar: a byte shown as a quoted rune (`'x'`, `'\t'`, `'"'`, `'\x01'`, `'Ã'` for the byte 0xC3). */
function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  const escapes: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 0x5c: '\\\\' };
  if (escapes[c] !== undefined) return `'${escapes[c]}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  // Go's strconv.Quote: C1 controls, no-break space and soft hyphen are not printable.
  if ((c >= 0x80 && c < 0xa0) || c === 0xa0 || c === 0xad) return `'\\u00${c.toString(16).padStart(2, '0')}'`;
  return `'${String.fromCharCode(c)}'`;
}
