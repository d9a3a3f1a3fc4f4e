/**
 * `host:port` addresses as Toxiproxy writes them (`127.0.0.1:8474`, `localhost:0`, `[::1]:5432`).
 */
export interface HostPort {
  host: string;
  port: number;
}

/** Parses `host:port`; null when it is not one. An empty host means every interface, as in Go's net.Listen. */
export function parseHostPort(text: string): HostPort | null {
  const colon = text.lastIndexOf(':');
  if (colon < 0) return null;
  let host = text.slice(0, colon);
  const portText = text.slice(colon + 1);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (!/^\d{1,5}$/.test(portText)) return null;
  const port = Number(portText);
  if (port > 65535) return null;
  return { host, port };
}

export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
