import type { Logger } from 'pino';
import { parseListenAddress } from '../config/listen-address.js';
import { createDaemonEvents } from '../daemon/index.js';
import type { ConfigInForce, DaemonEvents } from '../daemon/index.js';
import { thisHost } from '../runs/index.js';
import { announceSectionsDone } from '../daemon/section-done.js';
import type { HttpServer, HttpServerOptions } from '../http/server.js';
import type { CommandContext } from './context.js';

// The dashboard's code (routes, page, event stream) is loaded only when it is served.
async function startHttp(options: HttpServerOptions): Promise<HttpServer> {
  const { startHttpServer } = await import('../http/server.js');
  return startHttpServer(options);
}

/** What watches a daemon: its events, the dashboard (config `http`), notifications (`notify`). */
export interface Observers {
  deps: { events: DaemonEvents; dashboardUrl?: string };
  close(): Promise<void>;
}

/**
 * Starts the HTTP server and the notifier when configured; both listen to the daemon's events.
 * Their code is loaded only then: a daemon without `http` or `notify` holds neither in memory.
 */
export async function startObservers(
  ctx: CommandContext,
  log: Logger,
  live?: ConfigInForce,
): Promise<Observers> {
  const { config } = ctx.loaded;
  const events = createDaemonEvents((error) => {
    log.error({ err: error }, 'a listener of daemon events failed');
  });
  const stopSections = announceSectionsDone(events, ctx.tasksPath, ctx.parseOptions);
  const notifier =
    config.notify === undefined
      ? null
      : (await import('../notify/notifier.js')).startNotifier(events, config.notify, log);
  const address = config.http === undefined ? null : parseListenAddress(config.http);
  const http =
    address === null
      ? null
      : await startHttp({
          address,
          token: config.httpToken ?? null,
          ctx,
          events,
          daemon: { host: thisHost(), pid: process.pid, startedAt: new Date().toISOString() },
          ...(live === undefined ? {} : { configState: () => live.state() }),
          log,
        });
  return {
    deps: http === null ? { events } : { events, dashboardUrl: http.url },
    async close() {
      // Each in its own try: one failing must not leave the others running.
      // Sections first: a check under way still reaches the notifier and the event stream.
      const stops: (() => Promise<void> | undefined)[] = [
        stopSections,
        () => http?.close(),
        () => notifier?.close(),
      ];
      for (const stop of stops) {
        try {
          await stop();
        } catch (error) {
          log.error({ err: error }, 'error while stopping the dashboard or notifier');
        }
      }
    },
  };
}
