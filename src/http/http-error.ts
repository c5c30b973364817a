import type { ServerResponse } from 'node:http';
import { isAdwError } from '../errors.js';
import type { AdwErrorCode } from '../errors.js';

/** A request that cannot be served: its status, a code programs switch on, a message for people. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

// How the program's own errors answer over HTTP.
const STATUS_OF: Partial<Record<AdwErrorCode, number>> = {
  USAGE: 400,
  TASK_NOT_FOUND: 404,
  TASK_STATE: 409,
  LOCK_TIMEOUT: 503,
  TASKS_FILE_MISSING: 503,
};

/** Writes a JSON body with the given status. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** Answers `{error: {code, message}}` for an HttpError, an AdwError, or anything else (500). */
export function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof HttpError) {
    sendJson(
      res,
      error.status,
      { error: { code: error.code, message: error.message } },
      error.headers,
    );
  } else if (isAdwError(error)) {
    const status = STATUS_OF[error.code] ?? 500;
    sendJson(res, status, { error: { code: error.code, message: error.message } });
  } else {
    const message = error instanceof Error ? error.message : String(error);
    sendJson(res, 500, { error: { code: 'INTERNAL', message: `internal error: ${message}` } });
  }
}
