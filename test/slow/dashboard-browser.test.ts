import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterEach, expect, it } from 'vitest';
import { waitFor } from '../helpers/cli.js';
import { startDashboardScene } from '../helpers/dashboard-repo.js';
import type { DashboardScene } from '../helpers/dashboard-repo.js';
import { readTasks } from '../helpers/task-repo.js';

// Debian's chromium, driven by playwright-core (no browser download), on the dashboard of a real
// daemon. `/usr/bin/chromium` is a wrapper script; the binary behind it starts faster.
const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((path) =>
  existsSync(path),
);
const SCREENSHOT = fileURLToPath(new URL('../../coverage/dashboard.png', import.meta.url));

let scene: DashboardScene | null = null;
let browser: Browser | null = null;

afterEach(async () => {
  await browser?.close();
  browser = null;
  await scene?.stop();
  scene = null;
});

it('shows live output, retries a failed task, and turns 🟡 into ✅ without a reload', async () => {
  if (CHROMIUM === undefined)
    throw new Error('chromium is not installed (apt-get install -y chromium)');
  scene = await startDashboardScene();
  const { url, repo, failedId, runningId } = scene;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // Offline: no DNS queries for Google's update and account hosts.
    args: ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost'],
  });
  const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  await page.goto(url);
  // Survives only as long as the page is not reloaded.
  await page.evaluate(() => {
    (globalThis as unknown as { loadedOnce: boolean }).loadedOnce = true;
  });
  const running = page.locator(`li[data-task-id="${runningId}"] .marker`);
  expect(await running.textContent()).toBe('🟡');

  // Live output: the tail of the running task keeps changing as the agent prints.
  const output = page.locator(`pre[data-output="${runningId}"]`);
  const first = await waitFor(
    async () => /tick \d+/.exec((await output.textContent()) ?? '')?.[0],
    20_000,
    'live output',
  );
  await waitFor(
    async () => {
      const ticks = ((await output.textContent()) ?? '').match(/tick \d+/g) ?? [];
      return ticks.length > 0 && ticks.at(-1) !== first;
    },
    20_000,
    'the output to move on',
  );
  await page.locator('#connection.live').waitFor();
  await mkdir(fileURLToPath(new URL('../../coverage/', import.meta.url)), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });

  // Retry: the daemon runs one task at a time and the slow one holds the slot, so the line stays [].
  await page.locator(`button[data-retry="${failedId}"]`).click();
  await waitFor(
    async () => (await readTasks(repo)).includes('\n[] Broken task FAIL\n'),
    20_000,
    'tasks.md to show the task as []',
  );
  await page.locator('li[data-task-line="3"][data-status="pending"]').waitFor();

  await scene.release();
  await page
    .locator(`li[data-task-id="${runningId}"][data-status="done"]`)
    .waitFor({ timeout: 30_000 });
  expect(await running.textContent()).toBe('✅');
  expect(
    await page.evaluate(() => (globalThis as unknown as { loadedOnce?: boolean }).loadedOnce),
  ).toBe(true);
});
