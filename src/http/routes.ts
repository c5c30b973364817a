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
    {
      pattern: /^\/api\/v1\/tasks\/([^/]+)\/retry$/,
      method: 'POST',
      handle: async (match, _req, res) => {
        const id = taskId(match[1]);
        const { line } = await retryTask(rc.ctx, id);
        sendJson(res, 200, {
          id,
          line,
          status: 'pending',
          message: `${rc.ctx.tasksName}:${line}: task ${id} is pending again`,
        });
      },
    },
    {
      pattern: /^\/api\/v1\/tasks\/([^/]+)\/cancel$/,
      method: 'POST',
      handle: async (match, _req, res) => {
        const id = taskId(match[1]);
        const { line } = await cancelTask(rc.ctx, id);
        sendJson(res, 200, {
          id,
          line,
          status: 'failed',
          message: `${rc.ctx.tasksName}:${line}: task ${id} cancelled`,
        });
      },
    },
  ];
}
