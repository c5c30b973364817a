import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeAgent } from '../fixtures/agents/paths.js';
import { runCli } from '../helpers/cli.js';
import { git } from '../helpers/git.js';
import { makeTaskRepo, markers, readTasks } from '../helpers/task-repo.js';
import { tempDir } from '../helpers/temp.js';

const agent = fakeAgent('sh-commit');

// Running, not a zombie (a container's PID 1 may never reap the killed orphans).
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('worktree hooks', () => {
  it('runs afterCreate, which installs a tool the agent then uses, with task data only in ADW_* variables', async () => {
    // The "install": a tool under node_modules/.bin, as `npm ci` would make it.
    const install = [
      'mkdir -p node_modules/.bin',
      `printf '#!/bin/sh\\necho "hello from the installed tool"\\n' > node_modules/.bin/greet`,
      'chmod +x node_modules/.bin/greet',
      'echo "installed for $ADW_ID on $ADW_BRANCH in $ADW_SECTION"',
    ].join(' && ');
    const repo = await makeTaskRepo('## Git Worktree web\n[] Use the tool; $(touch pwned)\n', {
      agent,
      config: { hooks: { afterCreate: install, afterRun: 'echo after run' } },
      files: { '.gitignore': 'node_modules/\n' },
    });
    const result = await runCli(['start', '--once'], {
      cwd: repo,
      env: { ADW_FAKE_SH: 'node_modules/.bin/greet > greeting.txt' },
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const [task] = markers(await readTasks(repo));
    expect(task?.emoji).toBe('✅');
    const id = task!.id!;
    expect(await git(repo, 'show', 'web:greeting.txt')).toBe('hello from the installed tool');
    // The installed files were not committed (ignored), and the task text never ran as shell.
    expect(await git(repo, 'ls-tree', '-r', '--name-only', 'web')).not.toContain('node_modules');
    expect(existsSync(join(repo, 'trees', id, 'pwned'))).toBe(false);
    const log = await readFile(join(repo, '.adw', 'runs', id, 'hook-afterCreate.log'), 'utf8');
    expect(log).toBe(`installed for ${id} on web-${id} in web\n`);
    expect(await readFile(join(repo, '.adw', 'runs', id, 'hook-afterRun.log'), 'utf8')).toBe(
      'after run\n',
    );
  });

  it('fails the task naming beforeRun and its last line when it fails; the agent never runs', async () => {
    const repo = await makeTaskRepo('[] Needs a database\n', {
      agent,
      config: { hooks: { beforeRun: 'echo checking; echo "database not reachable" >&2; exit 4' } },
    });
    const result = await runCli(['start', '--once'], {
      cwd: repo,
      env: { ADW_FAKE_SH: 'echo ran > ran.txt' },
    });
    expect(result.code).toBe(3);
    const [task] = markers(await readTasks(repo));
    expect(task?.emoji).toBe('❌');
    expect(task?.rest).toBe(
      'Needs a database // Failed: hook beforeRun exited with code 4: database not reachable',
    );
    expect(existsSync(join(repo, 'trees', task!.id!, 'ran.txt'))).toBe(false);
  });

  it('stops a hanging beforeRun and everything it started at hooksTimeout', async () => {
    const pids = join(await tempDir('adw-pids-'), 'pids');
    const repo = await makeTaskRepo('[] Hangs in setup\n', {
      agent,
      config: {
        hooksTimeout: '1s',
        hooks: { beforeRun: `sleep 300 & echo $! >> ${pids}; echo $$ >> ${pids}; sleep 300` },
      },
    });
    const result = await runCli(['start', '--once'], { cwd: repo });
    expect(result.code).toBe(3);
    const [task] = markers(await readTasks(repo));
    expect(task?.rest).toBe(
      'Hangs in setup // Failed: hook beforeRun timed out after 1s (hooksTimeout)',
    );
    const started = (await readFile(pids, 'utf8')).trim().split('\n').map(Number);
    expect(started).toHaveLength(2);
    for (const pid of started) expect(alive(pid), `process ${pid}`).toBe(false);
  });
});

describe('.worktreeinclude and linkDirs', () => {
  it('copies the ignored files it names into the worktree, never over a tracked file', async () => {
    const repo = await makeTaskRepo('[] Read the settings\n', {
      agent,
      files: {
        '.gitignore': '.env\nconfig/master.key\nsecret.txt\n',
        '.worktreeinclude': '# copied into each worktree\n.env\nconfig/master.key\nsettings.json\n',
        'settings.json': '{"tracked": true}\n',
      },
    });
    await writeFile(join(repo, '.env'), 'TOKEN=local\n');
    await mkdir(join(repo, 'config'));
    await writeFile(join(repo, 'config', 'master.key'), 'key\n');
    await writeFile(join(repo, 'secret.txt'), 'not named in .worktreeinclude\n');
    // A local edit of a tracked file: the worktree keeps the committed version.
    await writeFile(join(repo, 'settings.json'), '{"tracked": "edited locally"}\n');
    const result = await runCli(['start', '--once'], {
      cwd: repo,
      env: {
        ADW_FAKE_SH:
          'cat .env config/master.key settings.json > seen.txt; test -e secret.txt && echo secret >> seen.txt; true',
      },
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const [task] = markers(await readTasks(repo));
    expect(await git(repo, 'show', `adw-${task!.id!}:seen.txt`)).toBe(
      'TOKEN=local\nkey\n{"tracked": true}',
    );
    const files = await git(repo, 'ls-tree', '-r', '--name-only', 'adw');
    expect(files.split('\n')).not.toContain('.env');
  });

  it('symlinks linkDirs from the main checkout and never commits the link', async () => {
    const repo = await makeTaskRepo('[] Use a dependency\n', {
      agent,
      config: { linkDirs: ['node_modules'] },
      files: { '.gitignore': 'node_modules/\n' },
    });
    await mkdir(join(repo, 'node_modules', 'dep'), { recursive: true });
    await writeFile(join(repo, 'node_modules', 'dep', 'index.txt'), 'shared dependency\n');
    const result = await runCli(['start', '--once'], {
      cwd: repo,
      env: { ADW_FAKE_SH: 'cat node_modules/dep/index.txt > used.txt' },
    });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const [task] = markers(await readTasks(repo));
    const id = task!.id!;
    expect(lstatSync(join(repo, 'trees', id, 'node_modules')).isSymbolicLink()).toBe(true);
    expect(await git(repo, 'show', `adw-${id}:used.txt`)).toBe('shared dependency');
    expect(await git(repo, 'ls-tree', '-r', '--name-only', `adw-${id}`)).not.toContain(
      'node_modules',
    );
  });
});
