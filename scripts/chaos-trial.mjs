// One fault-injection trial against the built daemon: a real repository, real daemons and a fake
// agent, while a driver saves older copies of tasks.md (by rename, in place in two writes, with
// `git checkout`), appends lines, and (with faults) kills daemons with -9 or SIGTERM, restarts
// them and starts a second one. Then it checks the promises. Used by `npm run chaos` and a short
// run in the test suite.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  appendFile,
  mkdtemp,
  open,
  readFile,
  readdir,
  rename,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Counts of each fault a trial injected, all zero. */
export function faultCounts() {
  return {
    staleSaves: 0,
    inPlaceSaves: 0,
    checkouts: 0,
    appends: 0,
    kills: 0,
    terms: 0,
    second: 0,
  };
}

/** A small seeded random generator (mulberry32): the same seed gives the same trial. */
export function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Chaos',
  GIT_AUTHOR_EMAIL: 'chaos@example.com',
  GIT_COMMITTER_NAME: 'Chaos',
  GIT_COMMITTER_EMAIL: 'chaos@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};
const git = (cwd, ...args) => execFileSync('git', args, { cwd, env: GIT_ENV }).toString().trim();
const TASK =
  /^\[(🟡|✅|❌|)\s*([0-9a-f]{4,40})?,?\s*([0-9a-f]{8})?\] (.*?)(?: \/\/ Failed: (.*))?$/u;

function taskLines(text) {
  return text.split('\n').flatMap((line) => {
    const match = TASK.exec(line);
    return match === null
      ? []
      : [{ emoji: match[1], hash: match[2] ?? null, id: match[3] ?? null, text: match[4] }];
  });
}

// A zombie (state Z: ended, not yet reaped by its parent) counts as gone: the process ended.
function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * Runs one trial. `cli` is the built main.js, `agent` the fake agent script (it logs each start to
 * ADW_FAKE_LOG and commits). Returns the problems found (empty: the trial passed) and counts.
 */
export async function runTrial({
  seed,
  cli,
  agent,
  actions = 12,
  faults = true,
  timeoutMs = 120_000,
}) {
  const random = seeded(seed);
  const pick = (items) => items[Math.floor(random() * items.length)];
  const repo = await mkdtemp(join(tmpdir(), 'adw-chaos-'));
  const starts = join(repo, '.git', 'starts.log');
  const tasksPath = join(repo, 'tasks.md');
  const concurrency = 1 + Math.floor(random() * 3);
  git(repo, 'init', '-q', '-b', 'main');
  const config = {
    agent: 'command',
    command: [process.execPath, agent],
    pollInterval: '1s',
    concurrency,
  };
  await writeFile(join(repo, 'adw-trigger.json'), JSON.stringify(config));
  const initial = Array.from({ length: 5 }, (_, i) => `[] Chaos task ${i + 1}\n`).join('');
  await writeFile(tasksPath, `# Tasks\n\n${initial}`);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'tasks');
  const env = {
    ...GIT_ENV,
    ADW_FAKE_LOG: starts,
    ADW_FAKE_SLEEP_MS: String(Math.floor(random() * 400)),
  };
  const daemons = [];
  const output = [];
  const start = () => {
    const child = spawn(process.execPath, [cli, 'start'], {
      cwd: repo,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk) => output.push(chunk.toString()));
    const done = new Promise((resolve) => child.on('close', resolve));
    daemons.push({ child, done });
  };
  const counts = faultCounts();
  const history = [await readFile(tasksPath, 'utf8')];
  const appended = [];
  // An older copy, with every line the person appended since: the markers go back in time, the
  // person's lines do not (a person who loses their own line in an editor is not our bug).
  const older = () => {
    const text = pick(history);
    const missing = appended.filter((line) => !text.includes(line));
    return text + missing.map((line) => `[] ${line}\n`).join('');
  };
  start();
  for (let step = 0; step < actions; step++) {
    await sleep(20 + random() * 400);
    const now = await readFile(tasksPath, 'utf8');
    if (now !== history.at(-1)) history.push(now);
    const action = pick(
      faults
        ? ['stale', 'inplace', 'checkout', 'append', 'append', 'kill', 'term', 'second']
        : ['stale', 'inplace', 'checkout', 'append'],
    );
    if (action === 'stale') {
      const temp = `${tasksPath}.chaos.tmp`;
      await writeFile(temp, older());
      await rename(temp, tasksPath);
      counts.staleSaves++;
    } else if (action === 'inplace') {
      // One open file, two writes of its bytes: what an editor saving in place does. The cut is
      // in bytes, so it may fall inside a character (never a lone UTF-16 surrogate, which a file
      // cannot hold: slicing the string there wrote U+FFFD twice and forged a broken marker).
      const bytes = Buffer.from(older());
      const cut = Math.floor(bytes.length / 2);
      const handle = await open(tasksPath, 'w');
      await handle.write(bytes.subarray(0, cut));
      await sleep(40);
      await handle.write(bytes.subarray(cut));
      await handle.close();
      counts.inPlaceSaves++;
    } else if (action === 'checkout') {
      git(repo, 'checkout', '--', 'tasks.md');
      const text = await readFile(tasksPath, 'utf8');
      const missing = appended.filter((line) => !text.includes(line));
      await appendFile(tasksPath, missing.map((line) => `[] ${line}\n`).join(''));
      counts.checkouts++;
    } else if (action === 'append') {
      const line = `Appended task ${String(appended.length + 1)}`;
      appended.push(line);
      await appendFile(tasksPath, `[] ${line}\n`);
      counts.appends++;
    } else if (action === 'kill' || action === 'term') {
      const victim = pick(
        daemons.filter((d) => d.child.exitCode === null && d.child.signalCode === null),
      );
      if (victim !== undefined) {
        victim.child.kill(action === 'kill' ? 'SIGKILL' : 'SIGTERM');
        await victim.done;
        counts[action === 'kill' ? 'kills' : 'terms']++;
      }
      start();
    } else if (daemons.filter((d) => d.child.exitCode === null).length < 2) {
      start();
      counts.second++;
    }
  }
  const problems = [];
  // Let the daemons finish: every task line ✅ or ❌, with nothing claimed or pending.
  const deadline = Date.now() + timeoutMs;
  let final = '';
  for (;;) {
    final = await readFile(tasksPath, 'utf8');
    const lines = taskLines(final);
    if (lines.every((task) => task.emoji === '✅' || task.emoji === '❌')) break;
    if (Date.now() > deadline) {
      problems.push(
        `not settled after ${timeoutMs} ms: ${lines
          .filter((t) => t.emoji !== '✅' && t.emoji !== '❌')
          .map((t) => `[${t.emoji}] ${t.text}`)
          .join('; ')}`,
      );
      break;
    }
    await sleep(200);
  }
  for (const daemon of daemons) if (daemon.child.exitCode === null) daemon.child.kill('SIGTERM');
  await Promise.all(daemons.map((daemon) => daemon.done));
  final = await readFile(tasksPath, 'utf8');
  const lines = taskLines(final);
  const records = new Map();
  for (const id of await readdir(join(repo, '.adw', 'runs')).catch(() => [])) {
    try {
      records.set(
        id,
        JSON.parse(await readFile(join(repo, '.adw', 'runs', id, 'run.json'), 'utf8')),
      );
    } catch {
      // A run folder without a record (a cancel request alone) is checked through the file.
    }
  }
  const started = (await readFile(starts, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  const result = {
    lostLines: 0,
    ranTwice: 0,
    leftInProgress: 0,
    falseDone: 0,
    agentsLeft: 0,
    disagree: 0,
  };
  for (const line of [
    ...initial
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(3)),
    ...appended,
  ]) {
    if (!lines.some((task) => task.text === line)) {
      result.lostLines++;
      problems.push(`line lost: ${line}`);
    }
  }
  for (const id of new Set(started)) {
    if (started.filter((s) => s === id).length > 1) {
      result.ranTwice++;
      problems.push(`run ${id} started twice`);
    }
  }
  const doneByText = new Map();
  for (const record of records.values()) {
    if (record.status === 'done')
      doneByText.set(record.task, (doneByText.get(record.task) ?? 0) + 1);
    if (
      record.agentPid !== null &&
      isAlive(record.agentPid) &&
      ['done', 'failed', 'interrupted', 'cancelled', 'released'].includes(record.status)
    ) {
      result.agentsLeft++;
      problems.push(`agent ${record.agentPid} of ${record.id} still running`);
    }
  }
  for (const [text, count] of doneByText) {
    if (count > 1) {
      result.ranTwice++;
      problems.push(`task "${text}" finished ${count} times`);
    }
  }
  for (const task of lines) {
    if (task.emoji === '🟡' || task.emoji === '') {
      result.leftInProgress++;
      problems.push(`left [${task.emoji}]: ${task.text}`);
      continue;
    }
    const record = task.id === null ? undefined : records.get(task.id);
    if (record === undefined) {
      result.disagree++;
      problems.push(`no run record for ${task.id} (${task.text})`);
    } else if (task.emoji === '✅') {
      let real = true;
      try {
        git(repo, 'cat-file', '-e', `${task.hash}^{commit}`);
      } catch {
        real = false;
      }
      if (
        !real ||
        (record.status !== 'done' && record.status !== 'merge-waiting') ||
        !record.commit?.startsWith(task.hash)
      ) {
        result.falseDone++;
        problems.push(`false ✅ on ${task.id}: record ${record.status} ${record.commit}`);
      }
    } else if (!['failed', 'interrupted', 'cancelled'].includes(record.status)) {
      result.disagree++;
      problems.push(`❌ on ${task.id} but its record says ${record.status}`);
    }
  }
  if (problems.length === 0) await rm(repo, { recursive: true, force: true });
  return { seed, repo, problems, counts, result, output: output.join('') };
}
