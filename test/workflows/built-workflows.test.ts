import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_WORKFLOWS_DIR, loadWorkflows } from '../../src/workflows/load-workflows.js';
import { tempDir } from '../helpers/temp.js';

type Loader = typeof import('../../src/workflows/load-workflows.js');

// The built program (test/global-setup.ts builds it, with the parsed built-in workflows beside it).
const BUILT = new URL('../../dist/workflows/load-workflows.js', import.meta.url).href;
const built = async (): Promise<Loader> => (await import(BUILT)) as Loader;

async function repoWith(name: string, content: string): Promise<string> {
  const repo = await tempDir();
  await mkdir(join(repo, '.adw', 'workflows'), { recursive: true });
  await writeFile(join(repo, '.adw', 'workflows', name), content);
  return repo;
}

describe('built-in workflows parsed by the build', () => {
  it('load exactly as the parser reads the files', async () => {
    const repo = await tempDir();
    expect(await (await built()).loadWorkflows(repo)).toEqual(await loadWorkflows(repo));
  });

  it('a repository file with the same text keeps its own path', async () => {
    const text = await readFile(join(BUILTIN_WORKFLOWS_DIR, 'build.md'), 'utf8');
    const repo = await repoWith('build.md', text);
    const workflows = await (await built()).loadWorkflows(repo);
    const build = workflows.find((workflow) => workflow.name === 'build');
    expect(build?.file).toBe(join(repo, '.adw', 'workflows', 'build.md'));
    expect(workflows).toEqual(await loadWorkflows(repo));
  });

  it('a file whose text differs from every built one is parsed, not taken from the build', async () => {
    const text = await readFile(join(BUILTIN_WORKFLOWS_DIR, 'build.md'), 'utf8');
    const edited = text.replace('Work only inside this worktree.', 'Touch nothing else.');
    expect(edited).not.toBe(text);
    const repo = await repoWith('build.md', edited);
    const workflows = await (await built()).loadWorkflows(repo);
    const build = workflows.find((workflow) => workflow.name === 'build');
    expect(build?.steps[0]?.template).toContain('Touch nothing else.');
    expect(build?.steps[0]?.template).not.toContain('Work only inside this worktree.');
    expect(workflows).toEqual(await loadWorkflows(repo));
  });

  it('a broken edit of a built-in file is still reported with its file and line', async () => {
    const text = await readFile(join(BUILTIN_WORKFLOWS_DIR, 'build.md'), 'utf8');
    const repo = await repoWith('build.md', text.replace('name: build', 'name: [build'));
    await expect((await built()).loadWorkflows(repo)).rejects.toThrow(
      /\.adw\/workflows\/build\.md:\d+: invalid YAML in front matter/,
    );
  });
});
