// Benchmark: the dashboard of a daemon holding 1,000 tasks (10 sections, 4 agents running), in
// Debian's headless Chromium: time from navigation to the whole board rendered, and from an edit of
// tasks.md to the board showing it. Floors from the same run: the rendered board loaded as static
// HTML (page.setContent), and fetching + parsing /api/v1/state from the page.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTaskRepo, median, saveByRename, sleep, startDaemon, waitForText } from './lib.mjs';

const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((path) =>
  existsSync(path),
);
const RUNS = 5;

function tasksFile(count) {
  const perSection = count / 10;
  const parts = ['# Tasks\n'];
  for (let index = 0; index < count; index += 1) {
    if (index % perSection === 0) {
      parts.push(`\n## Git Worktree area-${index / perSection}\n\n[] start area ${index}\n`);
    } else {
      parts.push(index % 2 === 0 ? `[x] done task ${index}\n` : `[⏰] later task ${index}\n`);
    }
  }
  return parts.join('');
}

async function dashboardUrl(repo) {
  const deadline = Date.now() + 30_000;
  const dir = join(repo, '.adw', 'daemons');
  while (Date.now() < deadline) {
    for (const name of await readdir(dir).catch(() => [])) {
      const record = JSON.parse(await readFile(join(dir, name), 'utf8').catch(() => '{}'));
      if (typeof record.dashboard === 'string') return record.dashboard;
    }
    await sleep(50);
  }
  throw new Error('the daemon did not record its dashboard address');
}

async function timed(run) {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

/** Load and live-update times of the dashboard with `count` tasks, with their floors, in ms. */
export async function benchDashboard(count = 1000) {
  if (CHROMIUM === undefined) throw new Error('chromium is not installed');
  const { chromium } = await import('playwright-core');
  const repo = await makeTaskRepo('hang', { concurrency: 4, http: '0' });
  const path = join(repo, 'tasks.md');
  const text = tasksFile(count);
  const claimed = waitForText(path, (current) => (current.match(/\[🟡/gu) ?? []).length === 4);
  await saveByRename(path, text);
  const daemon = await startDaemon(repo);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost'],
  });
  try {
    await claimed;
    const url = await dashboardUrl(repo);
    const loads = [];
    const staticLoads = [];
    let html = '';
    for (let run = 0; run < RUNS; run += 1) {
      const page = await browser.newPage();
      loads.push(
        await timed(async () => {
          await page.goto(url);
          await page
            .locator(`li[data-task-line] >> nth=${count - 1}`)
            .waitFor({ state: 'attached' });
        }),
      );
      html = await page.content();
      await page.close();
      const blank = await browser.newPage();
      staticLoads.push(await timed(() => blank.setContent(html, { waitUntil: 'load' })));
      await blank.close();
    }
    const page = await browser.newPage();
    await page.goto(url);
    await page.locator('#connection.live').waitFor();
    const updates = [];
    const fetches = [];
    let current = await readFile(path, 'utf8');
    for (let run = 0; run < RUNS; run += 1) {
      const note = `edited ${run}`;
      current = current.replace(/\[x\] done task 2\b[^\n]*/u, `[x] done task 2 ${note}`);
      updates.push(
        await timed(async () => {
          await saveByRename(path, current);
          await page.getByText(note).waitFor({ state: 'attached' });
        }),
      );
      fetches.push(
        await page.evaluate(async () => {
          const start = performance.now();
          await (await fetch('/api/v1/state')).json();
          return performance.now() - start;
        }),
      );
    }
    return [
      {
        name: `dashboard, ${count.toLocaleString('en')} tasks: open to rendered`,
        medianMs: median(loads),
        floorMs: median(staticLoads),
        ratio: median(loads) / median(staticLoads),
      },
      {
        name: `dashboard, ${count.toLocaleString('en')} tasks: edit to shown`,
        medianMs: median(updates),
        floorMs: median(fetches),
        ratio: median(updates) / median(fetches),
      },
    ];
  } finally {
    await browser.close();
    await daemon.stop();
  }
}
