/** The Toxiproxy version whose HTTP API the embedded proxy speaks. */
export const TOXIPROXY_API_VERSION = '2.12.0';
