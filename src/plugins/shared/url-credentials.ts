/**
 * URLs that carry credentials (`http://user:password@host`): what identifies the server is everything but the
 * credentials, and a password must never be part of a name, a message or a key written to disk.
 */

/** The URL when it parses and carries credentials; null otherwise. */
function withCredentials(url: string): URL | null {
  try {
    const parsed = new URL(url);
    return parsed.username === '' && parsed.password === '' ? null : parsed;
  } catch {
    return null;
  }
}

/** The URL without `user:password@` (unchanged when it has none or does not parse). */
export function withoutCredentials(url: string): string {
  const parsed = withCredentials(url);
  if (parsed === null) return url;
  parsed.username = '';
  parsed.password = '';
  return parsed.toString();
}

/** The `Authorization: Basic …` value for a URL's `user:password@`, or null when it has none. */
export function basicAuthorization(url: string): string | null {
  const parsed = withCredentials(url);
  if (parsed === null) return null;
  const pair = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}
