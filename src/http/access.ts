import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

/** Who may do what: the server's token (if any), its CSRF token, and whether it is loopback-only. */
export interface AccessRules {
  token: string | null;
  csrf: string;
  loopback: boolean;
  /** `host:port` values a browser may send in Host (and Origin) for this server. */
  hosts: ReadonlySet<string>;
}

/** The cookie that carries the token for a browser on a non-loopback bind. */
export const TOKEN_COOKIE = 'adw_token';

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function cookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return null;
}

/** True when the request carries the server's token (Bearer header, or the dashboard's cookie). */
export function hasToken(req: IncomingMessage, rules: AccessRules): boolean {
  if (rules.token === null) return false;
  const header = req.headers.authorization ?? '';
  const bearer = header.startsWith('Bearer ') ? header.slice(7) : null;
  if (bearer !== null && same(bearer, rules.token)) return true;
  const fromCookie = cookie(req, TOKEN_COOKIE);
  return fromCookie !== null && same(fromCookie, rules.token);
}

/** True when `/?token=TOKEN` gives the server's token (a browser's first visit on a non-loopback bind). */
export function isTokenLogin(method: string, url: URL, rules: AccessRules): boolean {
  const given = url.searchParams.get('token');
  return (
    method === 'GET' &&
    url.pathname === '/' &&
    given !== null &&
    rules.token !== null &&
    same(given, rules.token)
  );
}

/** True when the request carries the exact Bearer token (not a cookie a browser adds by itself). */
function hasBearer(req: IncomingMessage, rules: AccessRules): boolean {
  const header = req.headers.authorization ?? '';
  return rules.token !== null && header.startsWith('Bearer ') && same(header.slice(7), rules.token);
}

/**
 * Checks a request against the rules, throwing the HttpError to answer when it may not go on:
 * - the Host header must name this server (a page elsewhere cannot reach it by DNS rebinding);
 * - on a non-loopback bind every request needs the token;
 * - a request that changes something needs the Bearer token, or comes from the dashboard's own
 *   origin with its CSRF token.
 */
export function checkAccess(req: IncomingMessage, rules: AccessRules, changes: boolean): void {
  const host = (req.headers.host ?? '').toLowerCase();
  if (rules.loopback && !rules.hosts.has(host)) {
    throw new HttpError(403, 'FORBIDDEN', `Host ${host || '(none)'} is not this server`);
  }
  if (!rules.loopback && !hasToken(req, rules)) {
    throw new HttpError(
      401,
      'UNAUTHORIZED',
      'this server needs its token: Authorization: Bearer TOKEN',
      {
        'www-authenticate': 'Bearer',
      },
    );
  }
  if (!changes || hasBearer(req, rules)) return;
  const origin = req.headers.origin ?? '';
  const csrf = req.headers['x-csrf-token'];
  const ownOrigin = origin === `http://${host}`;
  if (!ownOrigin || typeof csrf !== 'string' || !same(csrf, rules.csrf)) {
    throw new HttpError(
      403,
      'FORBIDDEN',
      "a request that changes something needs Authorization: Bearer TOKEN, or the dashboard's CSRF token from its own origin",
    );
  }
}
