// Shared helpers of the benchmarks: temp git repositories, a real daemon child process, watching
// tasks.md for markers, statistics. Plain JS; run `npm run build` first (the daemon is dist/).
import { execFile, execFileSync, spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { devNull, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** The built CLI. */
export const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

/** A bench agent script by name (bench/agents/NAME.mjs). */
export function agentPath(name) {
  return fileURLToPath(new URL(`./agents/${name}.mjs`, import.meta.url));
}

/** Environment of every git command, daemon and agent: fixed identity, no user or system config. */
export function benchEnv(extra = {}) {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'Bench',
    GIT_AUTHOR_EMAIL: 'bench@example.com',
    GIT_COMMITTER_NAME: 'Bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: devNull,
  };
  for (const key of Object.keys(env)) if (key.startsWith('ADW_')) delete env[key];
  return { ...env, ...extra };
}

/** Runs git synchronously in `cwd`; returns trimmed stdout. */
export function gitSync(cwd, ...args) {
  return execFileSync('git', args, { cwd, env: benchEnv(), encoding: 'utf8' }).trim();
}

/** Runs git in `cwd`; returns trimmed stdout. */
export async function git(cwd, ...args) {
  const { stdout } = await execFileAsync('git', args, { cwd, env: benchEnv() });
  return stdout.trim();
}

const tempDirs = [];

/** A new temp directory, removed by cleanup(). */
export async function tempDir(prefix = 'adw-bench-') {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Removes every temp directory made so far. */
export async function cleanup() {
  while (tempDirs.length > 0) await rm(tempDirs.pop(), { recursive: true, force: true });
}

/** A git repository on `main` with README.md and an adw-trigger.json running `agent`. */
export async function makeTaskRepo(agent, config = {}, tasks = '# Tasks\n\n') {
  const dir = await tempDir('adw-bench-repo-');
  gitSync(dir, 'init', '-q', '-b', 'main');
  gitSync(dir, 'config', 'commit.gpgsign', 'false');
  await writeFile(join(dir, 'README.md'), '# bench\n');
  const full = { agent: 'command', command: [process.execPath, agentPath(agent)], ...config };
  await writeFile(join(dir, 'adw-trigger.json'), `${JSON.stringify(full, null, 2)}\n`);
  gitSync(dir, 'add', '-A');
  gitSync(dir, 'commit', '-q', '-m', 'initial');
  await writeFile(join(dir, 'tasks.md'), tasks);
  return dir;
}

/** Replaces `path` by `text` the way editors save: write a temp file beside it, rename it over. */
export async function saveByRename(path, text) {
  const temp = `${path}.bench-${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}

/**
 * Starts `adw-trigger start ARGS` in `repo` as a child process and resolves once it logs that it
 * watches the tasks file. `stop()` sends SIGTERM and waits for the exit.
 */
export async function startDaemon(repo, args = [], env = {}) {
  const child = spawn(process.execPath, [CLI, 'start', ...args], {
    cwd: repo,
    env: benchEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk) => (stderr += chunk.toString()));
  const exited = new Promise((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  const daemon = {
    pid: child.pid,
    output: () => stdout + stderr,
    /** The daemon's JSON log lines (stdout is not a TTY, so pino writes JSON). */
    logs: () =>
      stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line)),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
  const deadline = Date.now() + 20_000;
  // The `watching ... tasks file` line (its wording has varied: matched loosely).
  while (!/"msg":"watching[^"]*tasks file/.test(stdout)) {
    if (child.exitCode !== null) throw new Error(`daemon exited early:\n${daemon.output()}`);
    if (Date.now() > deadline) {
      await daemon.stop();
      throw new Error(`daemon did not start within 20 s:\n${daemon.output()}`);
    }
    await sleep(5);
  }
  return daemon;
}

/** Resolves after `ms`. */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Resolves with performance.now() at the first moment `check(text)` is true for the file's text,
 * looking on every fs.watch event of its folder (and every `pollMs` as a safety net).
 */
export function waitForText(path, check, { timeoutMs = 60_000, pollMs = 20 } = {}) {
  const folder = join(path, '..');
  return new Promise((resolve, reject) => {
    let done = false;
    let reading = false;
    let again = false;
    const finish = (error, value) => {
      if (done) return;
      done = true;
      watcher.close();
      clearInterval(poller);
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(value);
    };
    const look = async () => {
      if (done) return;
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      do {
        again = false;
        const text = await readFile(path, 'utf8').catch(() => '');
        const now = performance.now();
        if (check(text)) return finish(null, now);
      } while (again && !done);
      reading = false;
    };
    const watcher = watch(folder, () => void look());
    const poller = setInterval(() => void look(), pollMs);
    const timer = setTimeout(
      () => finish(new Error(`timed out after ${timeoutMs} ms waiting on ${path}`)),
      timeoutMs,
    );
    void look();
  });
}

/** Count of task lines whose marker is `emoji` (🟡, ✅, ❌). */
export function countMarkers(text, emoji) {
  let count = 0;
  for (const line of text.split('\n')) if (line.startsWith(`[${emoji}`)) count++;
  return count;
}

/** The median of numbers. */
export function median(values) {
  return percentile(values, 50);
}

/** The p-th percentile (nearest rank) of numbers. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

/** VmRSS of a process in MiB (Linux /proc), or null when unreadable. */
export async function rssMiB(pid) {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Formats milliseconds for the log. */
export function ms(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'n/a';
  return `${value.toFixed(value < 10 ? 2 : 1)} ms`;
}
