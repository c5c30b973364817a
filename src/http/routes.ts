import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { cancelTask } from '../actions/cancel-task.js';
import { retryTask } from '../actions/retry-task.js';
import type { CommandContext } from '../cli/context.js';
import { apiState, taskDetail } from './api-state.js';
import type { DaemonInfo } from './api-state.js';
import { dashboardAsset, dashboardPage } from './dashboard-page.js';
import type { EventStream } from './event-stream.js';
import { HttpError, sendJson } from './http-error.js';
import { sendLog } from './log-route.js';
import { taskIdProblem } from '../tasks/index.js';

/** What the routes read and change. */
export interface RouteContext {
  ctx: CommandContext;
  daemon: DaemonInfo;
  stream: EventStream;
  csrf: string;
}

/** A route: the methods it answers and what it does. */
interface Route {
  pattern: RegExp;
  method: 'GET' | 'POST';
  handle: (
    match: string[],
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
  ) => Promise<void> | void;
}

function taskId(raw: string | undefined): string {
  const id = decodeURIComponent(raw ?? '');
  const problem = taskIdProblem(id, 64);
  if (problem !== null) throw new HttpError(400, 'BAD_REQUEST', problem);
  return id;
}

function closedSignal(req: IncomingMessage): AbortSignal {
  const controller = new AbortController();
  req.on('close', () => {
    controller.abort();
  });
  return controller.signal;
}

// A POST that changes one task's line: the ID in the path, the line and the new status answered.
function taskAction(
  rc: RouteContext,
  verb: 'retry' | 'cancel',
  act: (ctx: CommandContext, id: string) => Promise<{ line: number }>,
  status: 'pending' | 'failed',
  said: string,
): Route {
  return {
    pattern: new RegExp(`^/api/v1/tasks/([^/]+)/${verb}$`),
    method: 'POST',
    handle: async (match, _req, res) => {
      const id = taskId(match[1]);
      const { line } = await act(rc.ctx, id);
      const message = `${rc.ctx.tasksName}:${line}: task ${id} ${said}`;
      sendJson(res, 200, { id, line, status, message });
    },
  };
}

/** The routes of the server; anything else is a 404, a known path with another method a 405. */
export function routes(rc: RouteContext): Route[] {
  const adwDir = join(rc.ctx.root, '.adw');
  return [
    {
      pattern: /^\/$/,
      method: 'GET',
      handle: async (_m, _req, res) => {
        const state = await apiState(rc.ctx, rc.daemon);
        dashboardPage(res, state, rc.csrf);
      },
    },
    {
      pattern: /^\/assets\/([a-z.-]+)$/,
      method: 'GET',
      handle: (match, _req, res) => {
        dashboardAsset(res, match[1] ?? '');
      },
    },
    {
      pattern: /^\/api\/v1\/state$/,
      method: 'GET',
      handle: async (_m, _req, res) => {
        sendJson(res, 200, await apiState(rc.ctx, rc.daemon));
      },
    },
    {
      pattern: /^\/api\/v1\/events$/,
      method: 'GET',
      handle: (_m, req, res) => {
        rc.stream.open(req, res);
      },
    },
    {
      pattern: /^\/api\/v1\/tasks\/([^/]+)$/,
      method: 'GET',
      handle: async (match, _req, res) => {
        const id = taskId(match[1]);
        const detail = await taskDetail(rc.ctx, id);
        if (detail === null) throw new HttpError(404, 'NOT_FOUND', `no task has the ID ${id}`);
        sendJson(res, 200, detail);
      },
    },
    {
      pattern: /^\/api\/v1\/tasks\/([^/]+)\/log$/,
      method: 'GET',
      handle: async (match, req, res, url) => {
        await sendLog(res, adwDir, taskId(match[1]), url.searchParams, closedSignal(req));
      },
    },
    taskAction(rc, 'retry', retryTask, 'pending', 'is pending again'),
    taskAction(rc, 'cancel', cancelTask, 'failed', 'cancelled'),
  ];
}
