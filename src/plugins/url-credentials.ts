/**
 * URLs that carry credentials (`http://user:password@host`): what identifies the server is everything but the
 * credentials, and a password must never be part of a name, a message or a key written to disk.
 */

/** The URL without `user:password@` (unchanged when it does not parse). */
export function withoutCredentials(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.username === '' && parsed.password === '') return url;
  parsed.username = '';
  parsed.password = '';
  return parsed.toString();
}

/** The `Authorization: Basic …` value for a URL's `user:password@`, or null when it has none. */
export function basicAuthorization(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.username === '' && parsed.password === '') return null;
  const pair = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}
