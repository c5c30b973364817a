import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { HttpError } from './http-error.js';
import type { ApiState } from './api-state.js';

// The dashboard's files ship in the package's `dashboard/` folder (beside `src/` and `dist/`).
const ASSET_DIR = new URL('../../dashboard/', import.meta.url);

// The only files the server hands out: a fixed list, never a path taken from the request.
const ASSETS: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
};

const cache = new Map<string, Buffer>();

function asset(name: string): Buffer {
  let body = cache.get(name);
  if (body === undefined) {
    body = readFileSync(new URL(name, ASSET_DIR));
    cache.set(name, body);
  }
  return body;
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

/** Serves one of the dashboard's own files; anything else is a 404. */
export function dashboardAsset(res: ServerResponse, name: string): void {
  const type = ASSETS[name];
  if (type === undefined) throw new HttpError(404, 'NOT_FOUND', `no asset ${name}`);
  const body = asset(name);
  res.writeHead(200, {
    'content-type': type,
    'content-length': body.length,
    'cache-control': 'no-cache',
    ...SECURITY_HEADERS,
  });
  res.end(body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// JSON inside <script>: nothing in the data can close the element or start a comment.
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The dashboard page: the state at the time of the request, the CSRF token, and the script. */
export function dashboardPage(res: ServerResponse, state: ApiState, csrf: string): void {
  const title = `adw-trigger · ${state.file}`;
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${escapeHtml(csrf)}">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/assets/style.css">
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><span id="connection" class="muted">connecting…</span></header>
<main id="app"><p class="muted">${state.tasks.length} tasks. This page needs JavaScript to show them; the same data is at <a href="/api/v1/state">/api/v1/state</a>.</p></main>
<script id="initial-state" type="application/json">${scriptJson(state)}</script>
<script src="/assets/app.js" type="module"></script>
</body>
</html>
`;
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    ...SECURITY_HEADERS,
  });
  res.end(html);
}
