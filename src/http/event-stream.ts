import type { IncomingMessage, ServerResponse } from 'node:http';

/** One message of the server's event stream: a daemon event or a running task's output. */
export interface StreamEvent {
  readonly type: string;
}

/** Fans events out to every open `GET /api/v1/events` response (Server-Sent Events). */
export class EventStream {
  private readonly clients = new Set<ServerResponse>();
  private readonly ping: NodeJS.Timeout;

  constructor(pingMs = 15_000) {
    // A comment line now and then keeps proxies from closing a quiet stream.
    this.ping = setInterval(() => {
      for (const res of this.clients) res.write(': ping\n\n');
    }, pingMs);
    this.ping.unref();
  }

  /** Number of open streams. */
  get size(): number {
    return this.clients.size;
  }

  /** Turns a request into an event stream that stays open until the client leaves. */
  open(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
  }

  /** Sends one event to every open stream. */
  send(event: StreamEvent): void {
    if (this.clients.size === 0) return;
    const frame = `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
    for (const res of this.clients) res.write(frame);
  }

  /** Ends every stream. */
  close(): void {
    clearInterval(this.ping);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}
