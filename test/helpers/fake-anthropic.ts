import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenLocal, readJsonBody, type Json } from './local-server.js';

/** One scripted assistant turn: a final text, or a call of one of claude's tools (Bash, Write, …). */
export type FakeTurn = { text: string } | { tool: string; input: Record<string, unknown> };

/** An API error answered instead of a turn: status, error type and message, extra headers. */
export interface FakeApiError {
  status: number;
  type: string;
  message: string;
  headers?: Record<string, string>;
}

/** Answers `error` while `failing(request)` says so (asked once per request), then plays `then`. */
export interface FakeFailing {
  error: FakeApiError;
  failing: (request: FakeRequest) => boolean;
  then: FakeTurn[];
}

/**
 * A scenario: scripted turns, a function choosing them from the first user message (e.g. one
 * script per workflow step), a broken API (HTTP 500 / never answering), or errors first.
 */
export type FakeScenario =
  FakeTurn[] | ((prompt: string) => FakeTurn[]) | 'error500' | 'hang' | FakeFailing;

/** The errors of the real API: 429 of a subscription's usage limit (with its reset), 500, 401. */
export const API_ERRORS = {
  /** Claude Code shows the reset time only for a subscription (CLAUDE_CODE_OAUTH_TOKEN). */
  usageLimit: (resetAt: number): FakeApiError => ({
    status: 429,
    type: 'rate_limit_error',
    message: 'rate limited',
    headers: {
      'anthropic-ratelimit-unified-status': 'rejected',
      'anthropic-ratelimit-unified-reset': String(Math.floor(resetAt / 1000)),
      'anthropic-ratelimit-unified-representative-claim': 'five_hour',
    },
  }),
  serverError: { status: 500, type: 'api_error', message: 'Internal server error (fake)' },
  unauthorized: { status: 401, type: 'authentication_error', message: 'invalid x-api-key' },
} satisfies Record<string, FakeApiError | ((resetAt: number) => FakeApiError)>;

/** What the fake saw: one entry per request. */
export interface FakeRequest {
  method: string;
  url: string;
  model: string | null;
  stream: boolean;
  /** The `SCENARIO:NAME` keyword found in the messages, if any. */
  scenario: string | null;
  /** Number of assistant messages already in the conversation (= index of the scripted turn). */
  turn: number;
  /** The first user message as JSON text (where the prompt is). */
  prompt: string;
  /** When it arrived (ms since the epoch). */
  at: number;
  /** The HTTP status answered. */
  status: number;
}

/** A running stand-in for the Anthropic Messages API on 127.0.0.1. */
export interface FakeAnthropic {
  /** For ANTHROPIC_BASE_URL. */
  url: string;
  /** Scenarios by name; a request whose messages contain `SCENARIO:NAME` plays NAME. */
  scenarios: Map<string, FakeScenario>;
  requests: FakeRequest[];
  close(): Promise<void>;
}

/** Tokens reported per answer: claude computes total_cost_usd from them. */
const USAGE = { input_tokens: 1200, output_tokens: 80 };
const SCENARIO = /SCENARIO:([A-Za-z0-9_-]+)/;

// The content blocks of one assistant message for a turn.
function blocks(turn: FakeTurn, id: string): Json[] {
  if ('text' in turn) return [{ type: 'text', text: turn.text }];
  return [{ type: 'tool_use', id: `toolu_${id}`, name: turn.tool, input: turn.input }];
}

function sendJson(res: ServerResponse, status: number, body: Json): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_fake' });
  res.end(JSON.stringify(body));
}

// Streams a message as the API does: message_start, one content block (text or tool_use with
// input_json_delta), message_delta with stop_reason and usage, message_stop.
function sendStream(res: ServerResponse, model: string, turn: FakeTurn, id: string): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (event: Json): void => {
    res.write(`event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`);
  };
  send({
    type: 'message_start',
    message: {
      id: `msg_${id}`,
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: USAGE.input_tokens, output_tokens: 1 },
    },
  });
  if ('text' in turn) {
    send({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    send({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: turn.text } });
  } else {
    send({
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'tool_use', id: `toolu_${id}`, name: turn.tool, input: {} },
    });
    const json = JSON.stringify(turn.input);
    const half = Math.floor(json.length / 2);
    for (const part of [json.slice(0, half), json.slice(half)]) {
      send({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: part },
      });
    }
  }
  send({ type: 'content_block_stop', index: 0 });
  send({
    type: 'message_delta',
    delta: { stop_reason: 'text' in turn ? 'end_turn' : 'tool_use', stop_sequence: null },
    usage: { output_tokens: USAGE.output_tokens },
  });
  send({ type: 'message_stop' });
  res.end();
}

/**
 * Starts a local stand-in for the Messages API that Claude Code can talk to offline
 * (ANTHROPIC_BASE_URL). Requests mentioning `SCENARIO:NAME` play that scenario turn by turn;
 * everything else (claude's warm-up and housekeeping calls) gets a short text answer.
 */
export async function startFakeAnthropic(
  scenarios: Record<string, FakeScenario> = {},
): Promise<FakeAnthropic> {
  const map = new Map(Object.entries(scenarios));
  const requests: FakeRequest[] = [];
  let counter = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readJsonBody(req);
    const url = req.url ?? '/';
    const messages = Array.isArray(body.messages) ? (body.messages as Json[]) : [];
    const firstUser = JSON.stringify(messages.find((message) => message.role === 'user') ?? '');
    const scenario = SCENARIO.exec(firstUser)?.[1] ?? null;
    const turn = messages.filter((message) => message.role === 'assistant').length;
    const model = typeof body.model === 'string' ? body.model : 'claude-sonnet-4-5';
    requests.push({
      method: req.method ?? 'GET',
      url,
      model: typeof body.model === 'string' ? body.model : null,
      stream: body.stream === true,
      scenario,
      turn,
      prompt: firstUser,
      at: Date.now(),
      status: 200,
    });
    counter += 1;
    const id = `fake${counter}`;

    if (req.method !== 'POST' || !url.startsWith('/v1/messages')) {
      sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: url } });
      return;
    }
    if (url.startsWith('/v1/messages/count_tokens')) {
      sendJson(res, 200, { input_tokens: USAGE.input_tokens });
      return;
    }
    const script = scenario === null ? undefined : map.get(scenario);
    if (script === 'hang') return;
    if (script === 'error500') {
      sendJson(res, 500, {
        type: 'error',
        error: { type: 'api_error', message: 'Internal server error (fake)' },
      });
      return;
    }
    let plays: FakeTurn[] | ((prompt: string) => FakeTurn[]) | undefined;
    if (typeof script === 'object' && !Array.isArray(script)) {
      const seen = requests.at(-1);
      if (seen !== undefined && script.failing(seen)) {
        const { status, type, message, headers } = script.error;
        seen.status = status;
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify({ type: 'error', error: { type, message } }));
        return;
      }
      plays = script.then;
    } else {
      plays = script;
    }
    const turns = typeof plays === 'function' ? plays(firstUser) : plays;
    const next: FakeTurn = turns?.[turn] ?? { text: 'OK' };
    if (body.stream === true) {
      sendStream(res, model, next, id);
      return;
    }
    sendJson(res, 200, {
      id: `msg_${id}`,
      type: 'message',
      role: 'assistant',
      model,
      content: blocks(next, id),
      stop_reason: 'text' in next ? 'end_turn' : 'tool_use',
      stop_sequence: null,
      usage: USAGE,
    });
  };

  const server = await listenLocal(handle);
  return {
    url: `http://127.0.0.1:${server.port}`,
    scenarios: map,
    requests,
    close: server.close,
  };
}
