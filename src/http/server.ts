import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { CommandContext } from '../cli/context.js';
import { isLoopback } from '../config/listen-address.js';
import type { ListenAddress } from '../config/listen-address.js';
import type { ConfigState, DaemonEvents } from '../daemon/index.js';
import { AdwError } from '../errors.js';
import { checkAccess, isTokenLogin, TOKEN_COOKIE } from './access.js';
import type { AccessRules } from './access.js';
import { apiState } from './api-state.js';
import type { DaemonInfo } from './api-state.js';
import { EventStream } from './event-stream.js';
import { HttpError, sendError } from './http-error.js';
import { OutputRelay } from './output-relay.js';
import { routes } from './routes.js';

/** What the HTTP server serves and where. */
export interface HttpServerOptions {
  address: ListenAddress;
  token: string | null;
  ctx: CommandContext;
  events: DaemonEvents;
  daemon: { host: string; pid: number; startedAt: string };
  /** Whether the configuration files on disk are in force (the daemon's, read at each request). */
  configState?: () => ConfigState;
  log: Logger;
}

/** A listening server: its dashboard address, and how to stop it. */
export interface HttpServer {
  url: string;
  close(): Promise<void>;
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Starts the dashboard and HTTP API. Refuses a non-loopback address without a token: anyone who
 * can reach the port could otherwise read the tasks and retry them.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const { address, token, ctx, events, log } = options;
  const loopback = isLoopback(address.host);
  if (!loopback && token === null) {
    throw new AdwError(
      'CONFIG_INVALID',
      `Expected \`httpToken\` to be set when \`http\` listens on ${address.host}, a non-loopback address; got none`,
    );
  }
  const stream = new EventStream();
  const relay = new OutputRelay(join(ctx.root, '.adw'), (output) => {
    stream.send(output);
  });
  const hosts = new Set<string>();
  const rules: AccessRules = {
    token,
    csrf: randomBytes(24).toString('base64url'),
    loopback,
    hosts,
  };
  const { configState } = options;
  const daemon: DaemonInfo = {
    ...options.daemon,
    configFile: ctx.loaded.file,
    dashboard: '',
    // A getter: the state changes with each reload, and the state JSON reads it when sent.
    get config() {
      return configState?.() ?? null;
    },
  };
  const table = routes({ ctx, daemon, stream, csrf: rules.csrf });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://server');
    const method = req.method ?? 'GET';
    const matching = table
      .map((route) => ({ route, match: route.pattern.exec(url.pathname) }))
      .filter((found) => found.match !== null);
    const changes = method !== 'GET' && method !== 'HEAD';
    // A browser on a non-loopback bind opens /?token=TOKEN once; the cookie carries it afterwards.
    if (token !== null && isTokenLogin(method, url, rules)) {
      res.writeHead(303, {
        location: '/',
        'set-cookie': `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
      });
      res.end();
      return;
    }
    checkAccess(req, rules, changes);
    if (matching.length === 0)
      throw new HttpError(404, 'NOT_FOUND', `no such path ${url.pathname}`);
    const found = matching.find(({ route }) => route.method === method);
    if (found === undefined) {
      const allow = matching.map(({ route }) => route.method).join(', ');
      throw new HttpError(
        405,
        'METHOD_NOT_ALLOWED',
        `${url.pathname} answers ${allow}, not ${method}`,
        {
          allow,
        },
      );
    }
    await found.route.handle([...(found.match ?? [])], req, res, url);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!(error instanceof HttpError) && !(error instanceof AdwError)) {
        log.error({ err: error, url: req.url }, 'HTTP request failed');
      }
      sendError(res, error);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => {
      reject(
        new AdwError(
          'USAGE',
          `cannot listen on ${address.host}:${address.port}: ${error.message}`,
          { cause: error },
        ),
      );
    });
    server.listen(address.port, address.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const shown = hostForUrl(address.host);
  for (const host of [shown, 'localhost', '127.0.0.1', '[::1]']) hosts.add(`${host}:${port}`);
  const url = `http://${shown === '0.0.0.0' || shown === '[::]' ? '127.0.0.1' : shown}:${port}/`;
  daemon.dashboard = url;

  const unsubscribe = events.subscribe((event) => {
    stream.send(event);
    if (event.type === 'task.claimed') relay.follow(event.id);
  });
  // Tasks already running when the server starts (it starts with the daemon: usually none).
  const running = await apiState(ctx, daemon).catch(() => null);
  for (const run of running?.runs ?? []) relay.follow(run.id);
  log.info({ url, loopback }, `dashboard and HTTP API on ${url}`);

  let closing: Promise<void> | null = null;
  return {
    url,
    close() {
      closing ??= (async () => {
        unsubscribe();
        stream.close();
        await relay.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => {
          server.close(() => {
            resolve();
          });
        });
      })();
      return closing;
    },
  };
}
