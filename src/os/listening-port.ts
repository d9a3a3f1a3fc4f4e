/**
 * The port a server listens on. Node types `address()` for every kind of server at once (a pipe's path, or null
 * before `listen` called back); a TCP server that is listening has a port, and anything else is a bug to report.
 */
import type { AddressInfo } from 'node:net';

export function listeningPort(server: { address(): AddressInfo | string | null }): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`the server is not listening on a TCP port (address: ${String(address)})`);
  return address.port;
}
