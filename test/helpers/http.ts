import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { waitFor } from './cli.js';

/** A finished HTTP exchange. */
export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  json: () => unknown;
}

/** One request with exactly the headers given (node:http adds only Host and Content-Length). */
export function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: () => JSON.parse(body) as unknown,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A streaming GET: everything received so far, and a way to stop. */
export interface HttpStream {
  text: () => string;
  ended: Promise<void>;
  close: () => void;
}

/** Starts a GET whose body keeps coming (event stream, followed log). */
export function httpStream(url: string, headers: Record<string, string> = {}): HttpStream {
  let text = '';
  let close = (): void => undefined;
  const ended = new Promise<void>((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', resolve);
      res.on('close', resolve);
    });
    req.on('error', (error) => {
      if (text === '') reject(error);
      else resolve();
    });
    req.end();
    close = () => {
      req.destroy();
    };
  });
  return {
    text: () => text,
    ended,
    close: () => {
      close();
    },
  };
}

/** The events of an event-stream text: `{type, data}` per frame with a data line. */
export function sseEvents(text: string): { type: string; data: Record<string, unknown> }[] {
  return text
    .split('\n\n')
    .map((frame) => ({
      type: /^event: (.*)$/m.exec(frame)?.[1] ?? 'message',
      data: /^data: (.*)$/m.exec(frame)?.[1],
    }))
    .filter((frame) => frame.data !== undefined)
    .map((frame) => ({
      type: frame.type,
      data: JSON.parse(frame.data ?? '') as Record<string, unknown>,
    }));
}

/** Waits for the daemon of `repo` to record its dashboard address, and returns it. */
export async function dashboardOf(repo: string, timeoutMs = 30_000): Promise<string> {
  return waitFor(
    async () => {
      const dir = join(repo, '.adw', 'daemons');
      const names = await readdir(dir).catch(() => []);
      for (const name of names.filter((n) => n.endsWith('.json'))) {
        const text = await readFile(join(dir, name), 'utf8').catch(() => '{}');
        const record = JSON.parse(text) as { dashboard?: string };
        if (record.dashboard !== undefined) return record.dashboard;
      }
      return null;
    },
    timeoutMs,
    'the daemon to record its dashboard address',
  );
}
