/**
 * Escaping for XML 1.0 text and attribute values (JUnit). Besides the five entities, characters XML 1.0 forbids
 * outright (control characters other than tab, newline and carriage return; lone surrogates; U+FFFE and U+FFFF)
 * cannot be escaped at all, so they are replaced with U+FFFD: a probe that captured binary output must not make
 * the whole junit.xml unreadable to CI.
 */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for element content or a double- or single-quoted attribute value. */
export function escapeXml(text: string): string {
  return text.replace(FORBIDDEN, '\uFFFD').replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

/**
 * Escapes an attribute value: as escapeXml, plus tab/newline/carriage return as character references, since an
 * XML parser normalizes literal ones in attributes to spaces.
 */
export function escapeXmlAttribute(text: string): string {
  return escapeXml(text).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}
