// Where a task's time goes inside the daemon: the daemon's own building blocks (from dist/), run
// in this process one after another for N tasks, in the order a task run calls them, each timed.
// Phases named like the floor's (floor.mjs), plus what only the daemon does: the two tasks.md
// writes (claim and outcome, each under the lock, each with its late-append grace), the run
// record writes, and the extra git calls around the commit.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { agentPath, makeTaskRepo, median } from './lib.mjs';

async function daemonModules() {
  const [
    { openRepo },
    { updateTasksFile },
    { writeRunRecord },
    { loadWorkflows, runWorkflow },
    schema,
    { agentSpecOf, stepLimitsOf },
  ] = await Promise.all([
    import('../dist/git/index.js'),
    import('../dist/store/index.js'),
    import('../dist/runs/index.js'),
    import('../dist/workflows/index.js'),
    import('../dist/config/schema.js'),
    import('../dist/agents/index.js'),
  ]);
  return {
    openRepo,
    updateTasksFile,
    writeRunRecord,
    loadWorkflows,
    runWorkflow,
    schema,
    agentSpecOf,
    stepLimitsOf,
  };
}

function lap(phases, name, start) {
  const now = performance.now();
  (phases[name] ??= []).push(now - start);
  return now;
}

/** Median time per task of each daemon phase, in ms, over `count` tasks at concurrency 1. */
export async function profileDaemonPhases(count = 20) {
  const m = await daemonModules();
  const dir = await makeTaskRepo('commit');
  const tasksPath = join(dir, 'tasks.md');
  const lines = Array.from({ length: count }, (_, i) => `[] profile task ${i}`);
  await updateText(m, tasksPath, () => `# Tasks\n\n${lines.join('\n')}\n`);
  const repo = await m.openRepo(dir);
  const config = m.schema.configSchema.parse({
    agent: 'command',
    command: [process.execPath, agentPath('commit')],
  });
  const workflow = (await m.loadWorkflows(repo.root)).find((w) => w.name === 'build');
  const agent = m.agentSpecOf(config, repo.root);
  const limits = m.stepLimitsOf(config);
  const adwDir = join(repo.root, '.adw');
  const phases = {};
  for (let i = 0; i < count; i++) {
    const id = `p${String(i).padStart(7, '0')}`;
    const branch = `adw-${id}`;
    const worktree = join(repo.root, 'trees', id);
    const record = { id, host: 'bench', status: 'starting', startedAt: new Date().toISOString() };
    let time = performance.now();
    await updateText(m, tasksPath, (text) =>
      text.replace(`[] profile task ${i}\n`, `[🟡, ${id}] profile task ${i}\n`),
    );
    time = lap(phases, 'tasks.md claim write', time);
    await m.writeRunRecord(adwDir, record);
    await m.writeRunRecord(adwDir, { ...record, status: 'running' });
    time = lap(phases, 'run records (x2 before)', time);
    const base = await repo.ensureSectionBranch('adw', 'HEAD');
    await repo.addWorktree(worktree, branch, base);
    time = lap(phases, 'worktree', time);
    const outcome = await m.runWorkflow({
      workflow,
      task: {
        id,
        section: 'adw',
        prompt: `profile task ${i}`,
        details: [],
        description: `profile task ${i}`,
        model: 'sonnet',
      },
      branch,
      worktree,
      runDir: join(adwDir, 'runs', id),
      agent,
      limits,
      env: {},
    });
    if (!outcome.ok) throw new Error(`profile agent failed: ${outcome.error}`);
    time = lap(phases, 'agent (runWorkflow)', time);
    await repo.commitAll(worktree, `profile task ${i}`, { 'ADW-Id': id });
    const tip = await repo.resolveRef(branch);
    if ((await repo.commitsSince(base, tip)) === 0) throw new Error('profile agent made no commit');
    time = lap(phases, 'commit (commitAll + checks)', time);
    await repo.mergeIntoSection('adw', branch);
    time = lap(phases, 'merge', time);
    await m.writeRunRecord(adwDir, { ...record, status: 'done' });
    time = lap(phases, 'run record (done)', time);
    await updateText(m, tasksPath, (text) =>
      text.replace(`[🟡, ${id}]`, `[✅ ${tip.slice(0, 9)}, ${id}]`),
    );
    lap(phases, 'tasks.md outcome write', time);
  }
  const text = await readFile(tasksPath, 'utf8');
  if ((text.match(/\[✅/g) ?? []).length !== count)
    throw new Error(`profile: not all ✅:\n${text}`);
  return Object.fromEntries(Object.entries(phases).map(([name, values]) => [name, median(values)]));
}

async function updateText(m, path, edit) {
  await m.updateTasksFile(path, edit);
}

/**
 * The cost of one git command through the daemon's runGit against execFile, for a
 * command that prints something (`rev-parse HEAD`) and one that prints nothing (`update-ref`).
 */
export async function profileGitCall(runs = 15) {
  const { runGit, gitEnvironment } = await import('../dist/git/run-git.js');
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const execFileAsync = promisify(execFile);
  const dir = await makeTaskRepo('commit');
  const env = gitEnvironment();
  const time = async (fn) => {
    const values = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await fn(i);
      values.push(performance.now() - start);
    }
    return median(values);
  };
  const revParse = ['rev-parse', 'HEAD'];
  const updateRef = (i) => ['update-ref', `refs/heads/bench-${i % 3}`, 'HEAD'];
  return {
    'rev-parse (prints)': {
      runGit: await time(() => runGit(dir, revParse, { env })),
      execFile: await time(() => execFileAsync('git', revParse, { cwd: dir, env })),
    },
    'update-ref (silent)': {
      runGit: await time((i) => runGit(dir, updateRef(i), { env })),
      execFile: await time((i) => execFileAsync('git', updateRef(i), { cwd: dir, env })),
    },
  };
}
