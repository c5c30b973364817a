import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { readRunRecord, runDir } from '../runs/index.js';
import { followRun, isStepName, listStepLogs, readHumanLog } from '../humanize/index.js';
import { HttpError } from './http-error.js';

/** `GET /api/v1/tasks/:id/log?step=NAME[&follow=1]`: a step's output, humanized, as text lines. */
export async function sendLog(
  res: ServerResponse,
  adwDir: string,
  id: string,
  query: URLSearchParams,
  closed: AbortSignal,
): Promise<void> {
  const asked = query.get('step');
  if (asked !== null && !isStepName(asked)) {
    throw new HttpError(
      400,
      'BAD_REQUEST',
      `Expected step to be a step name such as implement, got \`${asked}\``,
    );
  }
  const follow = query.get('follow');
  if (follow !== null && follow !== '0' && follow !== '1') {
    throw new HttpError(400, 'BAD_REQUEST', `Expected follow to be 0 or 1, got \`${follow}\``);
  }
  const [record, logs] = await Promise.all([
    readRunRecord(adwDir, id),
    listStepLogs(runDir(adwDir, id)),
  ]);
  if (record === null && logs.length === 0) {
    throw new HttpError(404, 'NOT_FOUND', `no run of task ${id}`);
  }
  // Without a step: the one running now, else the last one that wrote a log.
  const step = asked ?? record?.step ?? logs.at(-1)?.step ?? null;
  const exists = logs.some((log) => log.step === step);
  if (step === null || (!exists && follow !== '1')) {
    const steps = logs.map((log) => log.step).join(', ') || 'none yet';
    throw new HttpError(
      404,
      'NOT_FOUND',
      `task ${id} has no log for step ${step ?? '(none)'} (steps: ${steps})`,
    );
  }
  res.writeHead(200, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    'x-adw-step': step,
  });
  if (follow !== '1') {
    const lines = await readHumanLog(join(runDir(adwDir, id), `${step}.log`));
    res.end(lines.map((line) => `${line}\n`).join(''));
    return;
  }
  await followRun({
    adwDir,
    id,
    step,
    signal: closed,
    onLines: (_step, lines) => {
      res.write(lines.map((line) => `${line}\n`).join(''));
    },
  });
  res.end();
}
