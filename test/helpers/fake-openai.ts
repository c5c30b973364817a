import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenLocal, readJsonBody, type Json } from './local-server.js';
import { tempDir } from './temp.js';

/** One scripted model turn: a final message, or a shell command through codex's exec_command tool. */
export type CodexTurn = { text: string } | { cmd: string };

/** An API error answered instead of a response. */
export interface CodexApiError {
  status: number;
  body: Json;
}

/** Answers `error` while `failing(request)` says so (asked once per request), then plays `then`. */
export interface CodexFailing {
  error: CodexApiError;
  failing: (request: CodexRequest) => boolean;
  then: CodexTurn[];
}

/** Scripted turns, a broken API (HTTP 500 / never answering), or errors first. */
export type CodexScenario = CodexTurn[] | 'error500' | 'hang' | CodexFailing;

/** The errors of the real API: a usage limit (429 with its reset), 500, 401. */
export const CODEX_ERRORS = {
  usageLimit: (resetAt: number): CodexApiError => ({
    status: 429,
    body: {
      error: {
        type: 'usage_limit_reached',
        message: 'The usage limit has been reached',
        plan_type: 'plus',
        resets_at: Math.floor(resetAt / 1000),
        resets_in_seconds: Math.max(1, Math.round((resetAt - Date.now()) / 1000)),
      },
    },
  }),
  serverError: {
    status: 500,
    body: { error: { message: 'Internal server error (fake)', type: 'server_error' } },
  },
  unauthorized: {
    status: 401,
    body: {
      error: {
        type: 'invalid_request_error',
        code: 'invalid_api_key',
        message: 'Incorrect API key provided: dummy.',
      },
    },
  },
} satisfies Record<string, CodexApiError | ((resetAt: number) => CodexApiError)>;

/** What the stand-in saw: one entry per request. */
export interface CodexRequest {
  url: string;
  model: string | null;
  scenario: string | null;
  /** Number of tool results already in the conversation (= index of the scripted turn). */
  turn: number;
  /** The whole request input as JSON text (where the prompt is). */
  input: string;
  /** When it arrived (ms since the epoch). */
  at: number;
  /** The HTTP status answered. */
  status: number;
}

/** A running stand-in for the OpenAI Responses API on 127.0.0.1. */
export interface FakeOpenAI {
  /** The base URL for a codex model provider (ends in /v1). */
  url: string;
  requests: CodexRequest[];
  close(): Promise<void>;
}

/** Tokens reported per response. */
export const CODEX_USAGE = { input: 1000, cached: 200, output: 50 };
const SCENARIO = /SCENARIO:([A-Za-z0-9_-]+)/;

function outputItem(turn: CodexTurn, id: string): Json {
  if ('text' in turn) {
    return {
      type: 'message',
      id: `msg_${id}`,
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: turn.text, annotations: [] }],
    };
  }
  return {
    type: 'function_call',
    id: `fc_${id}`,
    call_id: `call_${id}`,
    name: 'exec_command',
    status: 'completed',
    // Not a login shell: the user's profile (pyenv, nvm, …) has no place in a test's command.
    arguments: JSON.stringify({ cmd: turn.cmd, login: false, yield_time_ms: 10_000 }),
  };
}

// Streams one response as the API does: response.created, the output item, response.completed
// with usage.
function sendStream(res: ServerResponse, turn: CodexTurn, id: string): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (event: Json): void => {
    res.write(`event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`);
  };
  const response = { id: `resp_${id}`, object: 'response', status: 'in_progress', output: [] };
  send({ type: 'response.created', response });
  const item = outputItem(turn, id);
  send({ type: 'response.output_item.added', output_index: 0, item });
  send({ type: 'response.output_item.done', output_index: 0, item });
  send({
    type: 'response.completed',
    response: {
      ...response,
      status: 'completed',
      output: [item],
      usage: {
        input_tokens: CODEX_USAGE.input,
        input_tokens_details: { cached_tokens: CODEX_USAGE.cached },
        output_tokens: CODEX_USAGE.output,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: CODEX_USAGE.input + CODEX_USAGE.output,
      },
    },
  });
  res.end();
}

/**
 * Starts a local stand-in for the Responses API (`POST /v1/responses`, SSE) that the real codex
 * CLI talks to offline. A request whose input mentions `SCENARIO:NAME` plays that scenario turn
 * by turn (codex replays the whole conversation each time, so the stand-in is stateless).
 */
export async function startFakeOpenAI(
  scenarios: Record<string, CodexScenario> = {},
): Promise<FakeOpenAI> {
  const requests: CodexRequest[] = [];
  let counter = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readJsonBody(req);
    const url = req.url ?? '/';
    const inputs = Array.isArray(body.input) ? (body.input as Json[]) : [];
    const input = JSON.stringify(inputs);
    const userText = JSON.stringify(inputs.filter((item) => item.role === 'user'));
    const matches = [...userText.matchAll(new RegExp(SCENARIO.source, 'g'))];
    const scenario = matches.at(-1)?.[1] ?? null;
    const turn = inputs.filter((item) => item.type === 'function_call_output').length;
    requests.push({
      url,
      model: typeof body.model === 'string' ? body.model : null,
      scenario,
      turn,
      input,
      at: Date.now(),
      status: 200,
    });
    counter += 1;
    if (req.method !== 'POST' || !url.startsWith('/v1/responses')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `not found: ${url}` } }));
      return;
    }
    const script = scenario === null ? undefined : scenarios[scenario];
    if (script === 'hang') return;
    if (script === 'error500') {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: { message: 'Internal server error (fake)', type: 'server_error' },
        }),
      );
      return;
    }
    let turns: CodexTurn[] | undefined;
    if (typeof script === 'object' && !Array.isArray(script)) {
      const seen = requests.at(-1);
      if (seen !== undefined && script.failing(seen)) {
        seen.status = script.error.status;
        res.writeHead(script.error.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(script.error.body));
        return;
      }
      turns = script.then;
    } else {
      turns = script;
    }
    sendStream(res, turns?.[turn] ?? { text: 'OK' }, `fake${counter}`);
  };

  const server = await listenLocal(handle);
  return { url: `http://127.0.0.1:${server.port}/v1`, requests, close: server.close };
}

/** The real codex CLI of the devDependency. */
export const codexBin = new URL('../../node_modules/.bin/codex', import.meta.url).pathname;

/**
 * The agentArgs that point codex at the stand-in with no login and no retries, and the
 * environment with its own CODEX_HOME.
 */
export async function codexSetup(
  url: string,
): Promise<{ agentArgs: string[]; env: Record<string, string> }> {
  return {
    agentArgs: [
      '-c',
      'model_provider=fake',
      '-c',
      `model_providers.fake={name="fake",base_url="${url}",wire_api="responses",env_key="FAKE_OPENAI_KEY",request_max_retries=0,stream_max_retries=0}`,
      '-c',
      'model=gpt-fake',
    ],
    env: { FAKE_OPENAI_KEY: 'dummy', CODEX_HOME: await tempDir('adw-codex-home-') },
  };
}
