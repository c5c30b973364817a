import { describe, expect, it } from 'vitest';
import { parseTasks, type Task } from '../../src/tasks/index.js';
import { options } from './options.js';

function only(line: string, parseOptions = options): Task {
  const file = parseTasks(`${line}\n`, parseOptions);
  expect(file.tasks).toHaveLength(1);
  return file.tasks[0]!;
}

describe('tags, model, workflow and prompt', () => {
  it.each([
    ['[] a #sonnet', ['sonnet']],
    ['[] #start and end#not and #end', ['start', 'end']],
    ['[] issue #123 stays', []],
    ['[] issue #123abc is a tag', ['123abc']],
    ['[] sentence ends #opus.', ['opus']],
    ['[] C#sharp is not a tag', []],
    ['[] {opus, adw_build} and {x}', ['opus', 'adw_build', 'x']],
    ['[] {a,b} #c {d}', ['a', 'b', 'c', 'd']],
    ['[] prose {x: 1} and {see below} and {} stay', []],
    ['[] tolerant {opus,}', ['opus']],
    ['[] #model:claude-3.5 {workflow:review}', ['model:claude-3.5', 'workflow:review']],
  ])('%j has tags %j', (line, tags) => {
    expect(only(line).tags).toEqual(tags);
  });

  it.each([
    ['[] no tag', 'sonnet'],
    ['[] #haiku #opus', 'opus'],
    ['[] {haiku, sonnet}', 'sonnet'],
    ['[] #model:gpt-x #haiku', 'haiku'],
    ['[] #model:gpt-x #model:other', 'gpt-x'],
    ['[] #OPUS loud', 'opus'],
  ])('%j runs model %s', (line, model) => {
    expect(only(line).model).toBe(model);
  });

  it.each([
    ['[] no tag', 'build'],
    ['[] {adw_build}', 'build'],
    ['[] {adw_build_update_task}', 'build'],
    ['[] #adw_plan_implement', 'plan-implement'],
    ['[] {sonnet,adw_plan_implement_update_task}', 'plan-implement'],
    ['[] #workflow:plan-implement', 'plan-implement'],
  ])('%j runs workflow %s', (line, workflow) => {
    expect(only(line).workflow).toBe(workflow);
  });

  it('resolves the tags a workflow file declares, and workflow:NAME of a known workflow', () => {
    const withReview = {
      ...options,
      workflows: [
        { name: 'build', tags: [] },
        { name: 'review', tags: ['review', 'adw_review'] },
      ],
    };
    expect(only('[] check it #review', withReview)).toMatchObject({
      workflow: 'review',
      prompt: 'check it',
    });
    expect(only('[] check it {adw_review}', withReview).workflow).toBe('review');
    expect(only('[] check it #workflow:review', withReview).workflow).toBe('review');
  });

  it('reports a workflow that no workflow file defines, and the task never runs', () => {
    const file = parseTasks('[] do it #workflow:nope\n', options);
    expect(file.diagnostics).toEqual([
      {
        rule: 'unknown-workflow',
        severity: 'error',
        line: 1,
        column: 11,
        endLine: 1,
        endColumn: 24,
        message: 'Unknown workflow `nope` (tag `workflow:nope`); known: build, plan-implement',
        expected: ['build', 'plan-implement'],
        actual: 'nope',
      },
    ]);
    expect(file.tasks[0]).toMatchObject({ hasError: true, runnable: false });
  });

  it('reports adw_plan_implement when the configured workflows lack plan-implement', () => {
    const file = parseTasks('[] x #adw_plan_implement\n', {
      ...options,
      workflows: [{ name: 'build', tags: [] }],
    });
    expect(file.diagnostics.map((diagnostic) => diagnostic.rule)).toEqual(['unknown-workflow']);
    expect(file.tasks[0]?.hasError).toBe(true);
  });

  it('warns when two tags select different workflows; the first wins', () => {
    const file = parseTasks('[] x #adw_build #adw_plan_implement\n', options);
    expect(file.tasks[0]).toMatchObject({ workflow: 'build', hasError: false, runnable: true });
    expect(file.diagnostics).toMatchObject([
      { rule: 'multiple-workflows', severity: 'warning', column: 18 },
    ]);
  });

  it.each([
    ['[] Add a login form #sonnet', 'Add a login form'],
    ['[] Wire it {opus, adw_plan_implement}', 'Wire it'],
    ['[] keep {opus, urgent} other', 'keep {urgent} other'],
    ['[] keep #urgent tags #haiku', 'keep #urgent tags'],
    ['[] #opus first word', 'first word'],
    ['[] done. {opus}. next', 'done. next'],
    ['[] Fix bug {opus}.', 'Fix bug.'],
    ['[] spaces   and\ttabs   #opus   collapse', 'spaces and tabs collapse'],
    [
      '[✅ 981fc7982, b3ea5f5b] separate predict.py. Move the model code out. {sonnet,adw_plan_implement_update_task}. validate your work.',
      'separate predict.py. Move the model code out. validate your work.',
    ],
  ])('%j has prompt %j', (line, prompt) => {
    expect(only(line).prompt).toBe(prompt);
  });
});

describe('model names', () => {
  it.each([
    ['[] x #model:--dangerously-skip-permissions', '--dangerously-skip-permissions'],
    ['[] x #model:-c', '-c'],
    ['[] x {model:-rf}', '-rf'],
  ])('%j is a model-name error, and the task never runs', (line, model) => {
    const file = parseTasks(`${line}\n`, options);
    expect(file.tasks[0]).toMatchObject({ hasError: true, runnable: false, modelTag: null });
    expect(file.diagnostics).toEqual([
      expect.objectContaining({
        rule: 'model-name',
        severity: 'error',
        line: 1,
        message: expect.stringContaining(`Model \`${model}\``) as unknown,
      }),
    ]);
  });

  it('keeps the tag the task was given', () => {
    expect(
      parseTasks('[] a #model:gpt-5.1-codex\n[] b\n', options).tasks.map((t) => t.modelTag),
    ).toEqual(['gpt-5.1-codex', null]);
  });

  it('warns about a prompt over 1 MiB', () => {
    const details = `  ${'word '.repeat(220_000)}`;
    const file = parseTasks(`- [] big\n${details}\n`, options);
    expect(file.diagnostics.map((d) => [d.rule, d.severity])).toEqual([
      ['large-prompt', 'warning'],
    ]);
    expect(file.tasks[0]?.runnable).toBe(true);
  });
});
