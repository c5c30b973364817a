import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { runCli, waitFor } from '../helpers/cli.js';
import { startDashboardScene } from '../helpers/dashboard-repo.js';
import type { DashboardScene } from '../helpers/dashboard-repo.js';
import { httpRequest, httpStream, sseEvents } from '../helpers/http.js';
import { makeTaskRepo, markers, readTasks } from '../helpers/task-repo.js';
import type { ApiState, TaskDetail } from '../../src/http/api-state.js';
import type { ServingDaemon } from '../../src/cli/status-daemon.js';

// `adw-trigger start --http` (the built CLI) with real runs of a scripted fake agent: every
// endpoint of the API, its errors, and who may call what.

let scene: DashboardScene | null = null;

afterEach(async () => {
  await scene?.stop();
  scene = null;
});

function csrfOf(page: string): string {
  const token = /<meta name="csrf-token" content="([^"]+)">/.exec(page)?.[1];
  if (token === undefined) throw new Error('no CSRF token in the page');
  return token;
}

describe('HTTP API on loopback', () => {
  it('serves state, task detail, logs and events of a real daemon, and retries through the dashboard token', async () => {
    scene = await startDashboardScene();
    const { url, repo, failedId, doneId, runningId } = scene;
    const base = new URL(url);

    const state = await httpRequest(`${url}api/v1/state`);
    expect(state.status).toBe(200);
    const body = state.json() as ApiState;
    expect(body.file).toBe('tasks.md');
    expect(body.tasks.map((t) => t.status)).toEqual(['failed', 'done', 'in_progress']);
    expect(body.runs.map((r) => r.id)).toEqual([runningId]);
    expect(body.daemon).toMatchObject({ pid: scene.cli.child.pid, dashboard: url });
    expect(body.daemon.configFile).toBe(join(repo, 'adw-trigger.json'));

    // status says who serves the file, its dashboard, and the log of the running task.
    const status = await runCli(['status'], { cwd: repo });
    expect(status.stdout).toContain(`Served by daemon ${scene.cli.child.pid}`);
    expect(status.stdout).toContain(`dashboard ${url}`);
    expect(status.stdout).toContain(
      `.adw/runs/${runningId}/implement.log  adw-trigger logs ${runningId} -f`,
    );
    const statusJson = JSON.parse((await runCli(['status', '--json'], { cwd: repo })).stdout) as {
      daemons: ServingDaemon[];
    };
    expect(statusJson.daemons).toEqual([
      expect.objectContaining({ pid: scene.cli.child.pid, dashboard: url }),
    ]);

    const detail = await httpRequest(`${url}api/v1/tasks/${doneId}`);
    expect(detail.status).toBe(200);
    const done = detail.json() as TaskDetail;
    expect(done.task).toMatchObject({ line: 4, status: 'done' });
    expect(done.record).toMatchObject({ id: doneId, status: 'done', costUsd: 0.25 });
    expect(done.steps).toHaveLength(1);
    expect(done.steps[0]!).toMatchObject({
      step: 'implement',
      log: `.adw/runs/${doneId}/implement.log`,
    });
    expect(done.steps[0]!.tail).toContain('→ Bash: ls -la');
    expect(done.steps[0]!.tail.at(-2)).toBe('✔ result: success, 3 turns, $0.25');

    const log = await httpRequest(`${url}api/v1/tasks/${failedId}/log?step=implement`);
    expect(log.status).toBe(200);
    expect(log.headers['content-type']).toContain('text/plain');
    expect(log.body).toContain('● session started (model fake-model)\n');
    expect(log.body).toContain('✗ result: error_during_execution, 1 turn, $0.01\n');
    expect(log.body).not.toContain('{"type"');

    // Events and a followed log, open while the running task ends.
    const events = httpStream(`${url}api/v1/events`);
    const follow = httpStream(`${url}api/v1/tasks/${runningId}/log?follow=1`);
    await waitFor(
      () => follow.text().includes('💬 tick'),
      20_000,
      'live output on the followed log',
    );
    await waitFor(
      () =>
        sseEvents(events.text()).some((e) => e.type === 'task.output' && e.data.id === runningId),
      20_000,
      'task.output on the event stream',
    );
    await scene.release();
    await follow.ended;
    expect(follow.text()).toMatch(
      /✔ result: success, 3 turns, \$0\.25\n {2}Committed agent-\w+\.txt\n$/,
    );
    await waitFor(
      () => sseEvents(events.text()).some((e) => e.type === 'task.done' && e.data.id === runningId),
      20_000,
      'task.done on the event stream',
    );
    // The outcome written, the daemon scans the file again and says so.
    await waitFor(
      () => sseEvents(events.text()).some((e) => e.type === 'file.changed'),
      20_000,
      'file.changed on the event stream',
    );
    events.close();

    // Retry: refused without the dashboard's token, from another origin, then done as the CLI does.
    const before = await readTasks(repo);
    const retryUrl = `${url}api/v1/tasks/${failedId}/retry`;
    const csrf = csrfOf((await httpRequest(url)).body);
    const plain = await httpRequest(retryUrl, { method: 'POST' });
    expect(plain.status).toBe(403);
    expect(plain.json()).toEqual({
      error: { code: 'FORBIDDEN', message: expect.stringContaining('CSRF') as unknown },
    });
    const foreign = await httpRequest(retryUrl, {
      method: 'POST',
      headers: { origin: 'http://evil.example', 'x-csrf-token': csrf },
    });
    expect(foreign.status).toBe(403);
    const rebound = await httpRequest(`${url}api/v1/state`, { headers: { host: 'evil.example' } });
    expect(rebound.status).toBe(403);
    expect(await readTasks(repo)).toBe(before);

    const own = { origin: base.origin, 'x-csrf-token': csrf };
    const retried = await httpRequest(retryUrl, { method: 'POST', headers: own });
    expect(retried.status).toBe(200);
    expect(retried.json()).toEqual({
      id: failedId,
      line: 3,
      status: 'pending',
      message: `tasks.md:3: task ${failedId} is pending again`,
    });
    // Same rules and messages as `adw-trigger retry`: a done task is not failed.
    const again = await httpRequest(`${url}api/v1/tasks/${doneId}/retry`, {
      method: 'POST',
      headers: own,
    });
    expect(again.status).toBe(409);
    const cli = await runCli(['retry', doneId], { cwd: repo });
    expect(again.json()).toEqual({
      error: { code: 'TASK_STATE', message: cli.stderr.replace('adw-trigger: ', '').trim() },
    });
    const cancel = await httpRequest(`${url}api/v1/tasks/${doneId}/cancel`, {
      method: 'POST',
      headers: own,
    });
    // Cancel: the same rules and messages as `adw-trigger cancel`.
    expect(cancel.status).toBe(409);
    const cliCancel = await runCli(['cancel', doneId], { cwd: repo });
    expect(cancel.json()).toEqual({
      error: { code: 'TASK_STATE', message: cliCancel.stderr.replace('adw-trigger: ', '').trim() },
    });
  });

  it('answers 404, 400 and 405 with JSON error bodies, and serves only its own files', async () => {
    scene = await startDashboardScene();
    const { url, failedId } = scene;
    const cases: [string, string, number, string][] = [
      ['GET', 'api/v1/tasks/0badc0de', 404, 'NOT_FOUND'],
      ['GET', 'api/v1/tasks/not%20an%20id', 400, 'BAD_REQUEST'],
      ['GET', `api/v1/tasks/${failedId}/log?step=..%2Fx`, 400, 'BAD_REQUEST'],
      ['GET', `api/v1/tasks/${failedId}/log?step=review`, 404, 'NOT_FOUND'],
      ['GET', `api/v1/tasks/${failedId}/log?follow=yes`, 400, 'BAD_REQUEST'],
      ['GET', 'api/v1/tasks/0badc0de/log', 404, 'NOT_FOUND'],
      ['GET', 'api/v2/state', 404, 'NOT_FOUND'],
      ['GET', 'assets/..%2F..%2Fpackage.json', 404, 'NOT_FOUND'],
      ['GET', 'assets/secret.txt', 404, 'NOT_FOUND'],
      ['GET', `api/v1/tasks/${failedId}/retry`, 405, 'METHOD_NOT_ALLOWED'],
    ];
    for (const [method, path, status, code] of cases) {
      const answer = await httpRequest(`${url}${path}`, { method });
      expect([path, answer.status]).toEqual([path, status]);
      expect(answer.headers['content-type']).toContain('application/json');
      expect(answer.json()).toEqual({ error: { code, message: expect.any(String) as unknown } });
    }
    const script = await httpRequest(`${url}assets/app.js`);
    expect([script.status, script.headers['content-type']]).toEqual([
      200,
      'text/javascript; charset=utf-8',
    ]);
  });
});

describe('HTTP API on a non-loopback address', () => {
  it('refuses to start without httpToken, leaving tasks.md as it was', async () => {
    const tasks = '[] A task\n';
    const repo = await makeTaskRepo(tasks, {
      agent: fakeAgent('commit'),
      config: { http: '0.0.0.0:0' },
    });
    const result = await runCli(['start', '--once'], { cwd: repo });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'Expected `httpToken` to be set when `http` listens on 0.0.0.0',
    );
    expect(await readTasks(repo)).toBe(tasks);
  });

  it('needs the token for every request; a browser gets it once as a cookie', async () => {
    const token = 'a-token-that-is-long-enough';
    scene = await startDashboardScene({ http: '0.0.0.0:0', httpToken: token });
    const { url, failedId, repo } = scene;
    const bearer = { authorization: `Bearer ${token}` };

    const anonymous = await httpRequest(`${url}api/v1/state`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer');
    expect((anonymous.json() as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    const wrong = await httpRequest(`${url}api/v1/state`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.status).toBe(401);
    expect((await httpRequest(`${url}api/v1/state`, { headers: bearer })).status).toBe(200);

    const login = await httpRequest(`${url}?token=${token}`);
    expect(login.status).toBe(303);
    const cookie = String(login.headers['set-cookie']?.[0]).split(';')[0] ?? '';
    const page = await httpRequest(url, { headers: { cookie } });
    expect(page.status).toBe(200);
    // The cookie alone does not change anything: a POST needs the Bearer token or the CSRF token.
    const before = await readTasks(repo);
    const cookieOnly = await httpRequest(`${url}api/v1/tasks/${failedId}/retry`, {
      method: 'POST',
      headers: { cookie },
    });
    expect(cookieOnly.status).toBe(403);
    expect(await readTasks(repo)).toBe(before);

    const retried = await httpRequest(`${url}api/v1/tasks/${failedId}/retry`, {
      method: 'POST',
      headers: bearer,
    });
    expect(retried.status).toBe(200);
    expect(markers(await readTasks(repo))[0]).toMatchObject({ emoji: '', id: null });
    const text = await readFile(join(repo, 'tasks.md'), 'utf8');
    expect(text).toContain('[] Broken task FAIL\n');
  });
});
