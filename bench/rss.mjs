// Benchmark: resident memory (VmRSS) of the daemon process itself, not its agents: idle after
// start, and with 8 tasks running (an agent that never ends, concurrency 8). Floor: the RSS of a
// bare `node -e "setInterval(() => {}, 1e9)"`. Run `npm run build` first; `node bench/rss.mjs`
// prints the rows on their own.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  cleanup,
  countMarkers,
  makeTaskRepo,
  median,
  rssMiB,
  saveByRename,
  sleep,
  startDaemon,
  waitForText,
} from './lib.mjs';

async function sampleRss(pid, samples = 5, everyMs = 100) {
  const values = [];
  for (let i = 0; i < samples; i++) {
    values.push(await rssMiB(pid));
    await sleep(everyMs);
  }
  if (values.some((value) => value === null)) throw new Error(`cannot read /proc/${pid}/status`);
  return median(values);
}

async function bareNodeRss() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)'], { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('close', resolve));
  try {
    await sleep(1000);
    return await sampleRss(child.pid);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** Daemon RSS idle and with `running` tasks, and the floor, in MiB. */
export async function benchRss(running = 8) {
  const floorMiB = await bareNodeRss();
  const repo = await makeTaskRepo('hang', { concurrency: running });
  const daemon = await startDaemon(repo);
  let idleMiB;
  let busyMiB;
  try {
    await sleep(1000);
    idleMiB = await sampleRss(daemon.pid);
    const path = join(repo, 'tasks.md');
    const lines = Array.from({ length: running }, (_, i) => `[] rss task ${i}\n`).join('');
    const claimed = waitForText(path, (text) => countMarkers(text, '🟡') === running);
    await saveByRename(path, `# Tasks\n\n${lines}`);
    await claimed;
    const deadline = Date.now() + 30_000;
    while (daemon.logs().filter((entry) => entry.msg === 'step started').length < running) {
      if (Date.now() > deadline) throw new Error(`agents did not start:\n${daemon.output()}`);
      await sleep(50);
    }
    await sleep(1000);
    busyMiB = await sampleRss(daemon.pid);
  } finally {
    await daemon.stop();
  }
  return [
    { name: 'daemon RSS, idle', mib: idleMiB, floorMiB, ratio: idleMiB / floorMiB },
    {
      name: `daemon RSS, ${running} tasks running`,
      mib: busyMiB,
      floorMiB,
      ratio: busyMiB / floorMiB,
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    for (const result of await benchRss(8)) {
      console.log(
        `${result.name}: ${result.mib.toFixed(1)} MiB, floor (bare node) ${result.floorMiB.toFixed(1)} MiB, ratio ${result.ratio.toFixed(2)}×`,
      );
    }
  } finally {
    await cleanup();
  }
}
