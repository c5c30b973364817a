import { describe, expect, it } from 'vitest';
import { parseTasks } from '../../src/tasks/index.js';
import { options } from './options.js';

function parse(source: string) {
  return parseTasks(source, options);
}

function statuses(source: string): string[] {
  return parse(source).tasks.map((task) => `${task.line}:${task.status}`);
}

describe('parseTasks: what is a task line', () => {
  it.each([
    ['- [] dash', 3],
    ['* [] star', 3],
    ['+ [] plus', 3],
    ['1. [] ordered', 4],
    ['3) [] ordered paren', 4],
    ['   [] indented three', 4],
    ['-   [] wide bullet', 5],
  ])('%j is a task with its marker at column %i', (line, column) => {
    expect(parse(`${line}\n`).tasks).toMatchObject([{ line: 1, column, status: 'pending' }]);
  });

  it.each([
    ['fenced code', '```\n[] not a task\n```\n'],
    ['tilde fence', '~~~md\n[] not a task\n~~~\n'],
    ['indented code', 'para\n\n    [] not a task\n'],
    ['html block', '<div>\n[] not a task\n</div>\n'],
    ['html comment', '<!--\n[] not a task\n-->\n'],
    ['block quote', '> [] not a task\n'],
    ['lazy block quote', '> quoted\n[] lazy, still quoted\n'],
    ['table', '| a | b |\n|---|---|\n| [] x | y |\n'],
    ['link', '[text](https://example.com) not a task\n'],
    ['reference link', '[text][ref] not a task\n\n[ref]: https://example.com\n'],
    ['definition', '[ref]: https://example.com\n'],
    ['prose bracket', '[note] something\n'],
    ['escaped bracket', '\\[] not a task\n'],
    ['setext heading text', '[] becomes a heading\n---\n'],
  ])('%s holds no task', (_name, source) => {
    expect(parse(source).tasks).toEqual([]);
    expect(parse(source).diagnostics).toEqual([]);
  });

  it('reads the original tool files unchanged', () => {
    const file = parse(
      [
        '## Git Worktree validation-workflow',
        '[✅ 3ecdebb33, 17b93f48] Add a row to data/tweets_v1.csv',
        '[✅ 981fc7982, 05e5d6f6] add docs for the sentiment model in app_docs/tweet_sentiment.md. {opus}',
        '[✅ 981fc7982, b3ea5f5b] separate predict.py. Move the model code out. {sonnet,adw_plan_implement_update_task}. validate your work.',
        '[✅] Task 1',
        '[🟡] Task 2',
        '',
      ].join('\n'),
    );
    expect(file.diagnostics).toEqual([]);
    expect(
      file.tasks.map(({ section, status, commit, id, model, workflow, description }) => ({
        section,
        status,
        commit,
        id,
        model,
        workflow,
        description,
      })),
    ).toEqual([
      {
        section: 'validation-workflow',
        status: 'done',
        commit: '3ecdebb33',
        id: '17b93f48',
        model: 'sonnet',
        workflow: 'build',
        description: 'Add a row to data/tweets_v1.csv',
      },
      {
        section: 'validation-workflow',
        status: 'done',
        commit: '981fc7982',
        id: '05e5d6f6',
        model: 'opus',
        workflow: 'build',
        description: 'add docs for the sentiment model in app_docs/tweet_sentiment.md. {opus}',
      },
      {
        section: 'validation-workflow',
        status: 'done',
        commit: '981fc7982',
        id: 'b3ea5f5b',
        model: 'sonnet',
        workflow: 'plan-implement',
        description:
          'separate predict.py. Move the model code out. {sonnet,adw_plan_implement_update_task}. validate your work.',
      },
      {
        section: 'validation-workflow',
        status: 'done',
        commit: null,
        id: null,
        model: 'sonnet',
        workflow: 'build',
        description: 'Task 1',
      },
      {
        section: 'validation-workflow',
        status: 'in_progress',
        commit: null,
        id: null,
        model: 'sonnet',
        workflow: 'build',
        description: 'Task 2',
      },
    ]);
  });

  it('reads every status, done by hand included', () => {
    expect(
      statuses('[] a\n[ ] b\n[⏰] c\n[🟡, i1] d\n[✅ abcd, i2] e\n[❌, i3] f\n[x] g\n[X] h\n'),
    ).toEqual([
      '1:pending',
      '2:pending',
      '3:blocked',
      '4:in_progress',
      '5:done',
      '6:failed',
      '7:done',
      '8:done',
    ]);
    expect(parse('[x] g\n').tasks[0]?.manual).toBe(true);
  });
});

describe('parseTasks: details, notes and errors', () => {
  it('takes the following lines of the paragraph as details, trimmed, until the next task', () => {
    const file = parse(
      '[] first #opus\n  step one\n\tstep two\n[] second\nits detail\n\nnot a detail\n',
    );
    expect(file.tasks.map((task) => task.details)).toEqual([
      ['step one', 'step two'],
      ['its detail'],
    ]);
    expect(file.tasks[0]?.prompt).toBe('first\nstep one\nstep two');
  });

  it('takes the later paragraphs of the same list item as details, not nested items', () => {
    const file = parse(
      '- [] item task\n  more\n\n  second paragraph\n  - [] nested task\n- next item\n',
    );
    expect(file.tasks.map((task) => [task.line, task.details])).toEqual([
      [1, ['more', 'second paragraph']],
      [5, []],
    ]);
  });

  it('ignores prose lines before the first task of a paragraph', () => {
    expect(parse('Intro line\n[] task\n').tasks).toMatchObject([{ line: 2, details: [] }]);
  });

  it('splits a note off a line that has not failed', () => {
    expect(parse('[] do it // ask Bob // really\n').tasks[0]).toMatchObject({
      description: 'do it // ask Bob',
      note: 'really',
      error: null,
      prompt: 'do it // ask Bob',
    });
  });

  it('keeps a URL with // in the description', () => {
    expect(parse('[] see https://x.org/a\n').tasks[0]).toMatchObject({
      description: 'see https://x.org/a',
      note: null,
    });
  });

  it.each([
    ['[❌, a1] task // Failed: agent timed out after 30m', 'task', 'agent timed out after 30m'],
    ['[❌, a1] task // prior note // Failed: boom', 'task // prior note', 'boom'],
    ['[❌, a1] task // hand-written reason', 'task', 'hand-written reason'],
    ['[❌, a1] task without reason', 'task without reason', null],
  ])('%j has description %j and error %j', (line, description, error) => {
    expect(parse(`${line}\n`).tasks[0]).toMatchObject({ description, error, note: null });
  });
});

describe('parseTasks: sections', () => {
  it('starts sections at ATX and setext worktree headings of any level; other headings are decoration', () => {
    const source = [
      '[] default',
      '# Git Worktree one',
      '## To Do',
      '[] in one',
      '',
      'Git Worktree two/sub',
      '===================',
      '[] in two',
      '###### git worktree   three',
      '[] in three',
      '## Done',
      '[] still three',
      '',
    ].join('\n');
    expect(parse(source).tasks.map((task) => task.section)).toEqual([
      'adw',
      'one',
      'two/sub',
      'three',
      'three',
    ]);
    expect(parseTasks(source, { ...options, defaultSection: 'main-work' }).tasks[0]?.section).toBe(
      'main-work',
    );
  });

  it('reports an invalid section name and keeps its tasks from running; other sections carry on', () => {
    const file = parse('## Git Worktree bad name\n[] a\n[⏰] b\n## Git Worktree good\n[] c\n');
    expect(file.diagnostics).toEqual([
      {
        rule: 'invalid-section-name',
        severity: 'error',
        line: 1,
        column: 1,
        message: 'Section name `bad name` is not a valid git branch name: it contains " "',
        expected: ['a valid git branch name'],
        actual: 'bad name',
      },
    ]);
    expect(file.tasks.map((task) => [task.section, task.hasError, task.runnable])).toEqual([
      ['bad name', true, false],
      ['bad name', true, false],
      ['good', false, true],
    ]);
  });

  it('reports an empty section name', () => {
    expect(parse('## Git Worktree\n[] a\n').diagnostics).toMatchObject([
      { rule: 'invalid-section-name', message: expect.stringContaining('it is empty') as unknown },
    ]);
  });
});

describe('parseTasks: diagnostics', () => {
  it('reports a bad marker with its place and span, what was expected and what was found', () => {
    const file = parse('[] ok\n- [🟢] x\n[✅ zzz, id1] y\n');
    expect(file.tasks.map((task) => task.line)).toEqual([1]);
    expect(file.diagnostics).toEqual([
      {
        rule: 'unknown-marker',
        severity: 'error',
        line: 2,
        column: 3,
        endLine: 2,
        endColumn: 7,
        message: expect.stringMatching(/^Unknown marker `\[🟢\]`; expected one of/) as unknown,
        expected: ['[]', '[ ]', '[⏰]', '[🟡, ID]', '[✅ HASH, ID]', '[❌, ID]', '[x]'],
        actual: '[🟢]',
      },
      {
        rule: 'malformed-hash',
        severity: 'error',
        line: 3,
        column: 1,
        endLine: 3,
        endColumn: 13,
        message: 'Expected a commit hash of 4 to 40 hex characters in `[✅ zzz, id1]`, got `zzz`',
        expected: ['a commit hash of 4 to 40 hex characters'],
        actual: 'zzz',
      },
    ]);
  });

  it("does not make the lines after a bad marker its details, nor the previous task's", () => {
    expect(parse('[] a\n[🟢] bad\nafter\n').tasks[0]?.details).toEqual([]);
  });

  it('reports a duplicate ID on the later line, naming the first one', () => {
    const file = parse('[🟡, 1a2b3c4d] a\n\n\n[❌, 1a2b3c4d] b\n');
    expect(file.diagnostics).toEqual([
      {
        rule: 'duplicate-id',
        severity: 'error',
        line: 4,
        column: 1,
        message: 'ID 1a2b3c4d is already used on line 1',
        actual: '1a2b3c4d',
      },
    ]);
    expect(file.tasks.map((task) => task.hasError)).toEqual([false, true]);
  });

  it('reports a pending task without any text', () => {
    const file = parse('[] #opus\n[✅] \n');
    expect(file.diagnostics).toMatchObject([{ rule: 'empty-task', line: 1 }]);
    expect(file.tasks.map((task) => task.hasError)).toEqual([true, false]);
  });

  it('counts columns in UTF-16 code units after a BOM-free start', () => {
    const file = parse('\uFEFF- [🟢] x\n  - 🟡 [❌, 1] y\n');
    expect(file.diagnostics[0]).toMatchObject({ line: 1, column: 3 });
  });
});
