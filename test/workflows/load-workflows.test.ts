import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAdwError } from '../../src/errors.js';
import { loadWorkflows } from '../../src/workflows/load-workflows.js';
import { tempDir } from '../helpers/temp.js';

async function repoWith(files: Record<string, string>): Promise<string> {
  const repo = await tempDir();
  await mkdir(join(repo, '.adw', 'workflows'), { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    await writeFile(join(repo, '.adw', 'workflows', name), content);
  }
  return repo;
}

async function loadError(repo: string): Promise<string> {
  try {
    await loadWorkflows(repo);
  } catch (error) {
    if (!isAdwError(error, 'WORKFLOW_INVALID')) throw error;
    return error.message;
  }
  throw new Error('expected WORKFLOW_INVALID');
}

describe('loadWorkflows', () => {
  it('loads the built-in build and plan-implement workflows', async () => {
    const workflows = await loadWorkflows(await tempDir());
    const byName = new Map(workflows.map((workflow) => [workflow.name, workflow]));
    expect([...byName.keys()].sort()).toEqual(['build', 'plan-implement']);
    expect(byName.get('build')).toMatchObject({
      tags: ['adw_build', 'adw_build_update_task'],
      model: null,
      steps: [{ name: 'implement', kind: 'agent' }],
    });
    expect(byName.get('build')?.file).toMatch(/workflows[\\/]build\.md$/);
    expect(byName.get('plan-implement')).toMatchObject({
      tags: ['adw_plan_implement', 'adw_plan_implement_update_task'],
      steps: [
        { name: 'plan', kind: 'agent' },
        { name: 'implement', kind: 'agent' },
      ],
    });
    const [plan, implement] = byName.get('plan-implement')?.steps ?? [];
    expect(plan?.template).toContain('specs/plan-{{id}}.md');
    expect(implement?.template).toContain('specs/plan-{{id}}.md');
    expect(implement?.template).toContain('{{plan.output}}');
    expect(byName.get('build')?.steps[0]?.template).toContain('WORK_RESULT:failed');
  });

  it('lets a repository override a built-in and add its own', async () => {
    const repo = await repoWith({
      'build.md':
        '---\nname: build\ntags: [adw_build]\nmodel: haiku\n---\n## implement\nJust {{task}}\n',
      'lint.md':
        '---\nname: lint-fix\ntags: [adw_lint]\n---\n## fix\nFix lint\n## check\n```sh\nnpm run lint\n```\n',
      'notes.txt': 'not a workflow',
    });
    const workflows = await loadWorkflows(repo);
    const byName = new Map(workflows.map((workflow) => [workflow.name, workflow]));
    expect([...byName.keys()].sort()).toEqual(['build', 'lint-fix', 'plan-implement']);
    expect(byName.get('build')).toMatchObject({
      file: join(repo, '.adw', 'workflows', 'build.md'),
      tags: ['adw_build'],
      model: 'haiku',
      steps: [{ name: 'implement', template: 'Just {{task}}' }],
    });
    expect(byName.get('lint-fix')?.steps.map((step) => step.kind)).toEqual(['agent', 'sh']);
  });

  it('names the file and line of a broken repository workflow', async () => {
    const repo = await repoWith({ 'broken.md': '---\nname: broken\n---\n## go\n{{nope}}\n' });
    expect(await loadError(repo)).toBe(
      `${join(repo, '.adw', 'workflows', 'broken.md')}:5: unknown template variable \`{{nope}}\`; expected one of {{task}}, {{details}}, {{id}}, {{section}}, {{branch}}, {{worktree}}`,
    );
  });

  it('rejects two repository files with the same name', async () => {
    const repo = await repoWith({
      'a.md': '---\nname: same\n---\n## go\nA\n',
      'b.md': '---\nname: same\n---\n## go\nB\n',
    });
    expect(await loadError(repo)).toBe(
      `${join(repo, '.adw', 'workflows', 'b.md')}:1: workflow same is also defined in ${join(repo, '.adw', 'workflows', 'a.md')}`,
    );
  });

  it('rejects a tag that would select two workflows', async () => {
    const repo = await repoWith({
      'mine.md': '---\nname: mine\ntags: [adw_build]\n---\n## go\nA\n',
    });
    expect(await loadError(repo)).toContain(
      `${join(repo, '.adw', 'workflows', 'mine.md')}:1: tag adw_build already selects workflow build`,
    );
  });
});
