/** Where the HTTP server listens: `start --http [HOST:]PORT`. */
export interface ListenAddress {
  host: string;
  port: number;
}

/**
 * Reads `PORT`, `HOST:PORT` or `[IPv6]:PORT` (a number is a port); the host defaults to
 * 127.0.0.1. Null when the value is none of these.
 */
export function parseListenAddress(value: unknown): ListenAddress | null {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
  const match = /^(?:(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):)?(\d{1,5})$/.exec(text.trim());
  if (match === null) return null;
  const port = Number(match[2]);
  if (port > 65_535) return null;
  const host = (match[1] ?? '127.0.0.1').replace(/^\[|\]$/g, '');
  return { host, port };
}

/** True when only this machine can reach the address (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}
