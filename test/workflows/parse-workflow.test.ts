import { describe, expect, it } from 'vitest';
import { isAdwError } from '../../src/errors.js';
import { parseWorkflow } from '../../src/workflows/parse-workflow.js';

const FILE = 'flows/review.md';

function errorOf(source: string): string {
  try {
    parseWorkflow(source, FILE);
  } catch (error) {
    if (!isAdwError(error, 'WORKFLOW_INVALID')) throw error;
    return error.message;
  }
  throw new Error('expected WORKFLOW_INVALID');
}

describe('parseWorkflow', () => {
  it('reads front matter, agent steps and sh steps', () => {
    const source = [
      '---', // 1
      'name: review', // 2
      'tags: [adw_review, review:deep]', // 3
      'model: opus', // 4
      'description: Plan, check, implement', // 5
      '---', // 6
      '', // 7
      '# Review workflow', // 8
      '', // 9
      'Text before the first step is a comment.', // 10
      '', // 11
      '## plan', // 12
      '', // 13
      'Plan {{task}} for {{id}} in {{section}}.', // 14
      '', // 15
      '```md', // 16
      '## not a step: inside a fence', // 17
      '```', // 18
      '', // 19
      '## check', // 20
      '```sh', // 21
      'npm test -- --run "$ADW_ID"', // 22
      'echo done', // 23
      '```', // 24
      '', // 25
      '## implement ##', // 26
      'Implement on {{ branch }} in {{worktree}}:', // 27
      '{{plan.output}}', // 28
      '{{details}}', // 29
      '', // 30
    ].join('\n');
    expect(parseWorkflow(source, FILE)).toEqual({
      name: 'review',
      tags: ['adw_review', 'review:deep'],
      model: 'opus',
      description: 'Plan, check, implement',
      file: FILE,
      steps: [
        {
          name: 'plan',
          kind: 'agent',
          line: 12,
          template:
            'Plan {{task}} for {{id}} in {{section}}.\n\n```md\n## not a step: inside a fence\n```',
        },
        {
          name: 'check',
          kind: 'sh',
          line: 20,
          template: 'npm test -- --run "$ADW_ID"\necho done',
        },
        {
          name: 'implement',
          kind: 'agent',
          line: 26,
          template: 'Implement on {{ branch }} in {{worktree}}:\n{{plan.output}}\n{{details}}',
        },
      ],
    });
  });

  it('accepts CRLF, a BOM, no tags and no model', () => {
    const source = '\uFEFF---\r\nname: tiny\r\n---\r\n## go\r\nDo {{task}}\r\n';
    expect(parseWorkflow(source, FILE)).toMatchObject({
      name: 'tiny',
      tags: [],
      model: null,
      description: null,
      steps: [{ name: 'go', kind: 'agent', template: 'Do {{task}}', line: 4 }],
    });
  });

  it('treats a fenced sh block followed by text as a prompt', () => {
    const source = '---\nname: x\n---\n## go\n```sh\nls\n```\nThen explain the listing.\n';
    expect(parseWorkflow(source, FILE).steps[0]?.kind).toBe('agent');
  });

  it.each<[string, string, string]>([
    ['no front matter', '## go\nDo it\n', `${FILE}:1: Expected front matter starting with \`---\``],
    [
      'unclosed front matter',
      '---\nname: x\n## go\nDo it\n',
      `${FILE}:1: Expected the front matter to end`,
    ],
    [
      'bad YAML',
      '---\nname: x\ntags: [a, b\n---\n## go\nDo\n',
      `${FILE}:3: invalid YAML in front matter`,
    ],
    [
      'front matter not a map',
      '---\n- a\n- b\n---\n## go\nDo\n',
      `${FILE}:2: Expected the front matter to be a map`,
    ],
    [
      'missing name',
      '---\ntags: [a]\n---\n## go\nDo\n',
      `${FILE}:1: Expected \`name\` to be a workflow name such as build, got nothing`,
    ],
    [
      'bad name',
      '---\nname: two words\n---\n## go\nDo\n',
      `${FILE}:2: Expected \`name\` to be a workflow name`,
    ],
    [
      'tags not a list',
      '---\nname: x\ntags: adw_x\n---\n## go\nDo\n',
      `${FILE}:3: Expected \`tags\` to be a list of tag words, got \`"adw_x"\``,
    ],
    [
      'tag with a space',
      '---\nname: x\ntags: ["a b"]\n---\n## go\nDo\n',
      `${FILE}:3: Expected \`tags\` to be a list of tag words`,
    ],
    [
      'model not text',
      '---\nname: x\nmodel: [1]\n---\n## go\nDo\n',
      `${FILE}:3: Expected \`model\` to be a model name`,
    ],
    ['no steps', '---\nname: x\n---\n\nJust text.\n', `${FILE}:4: Expected at least one step`],
    [
      'step heading only inside a fence',
      '---\nname: x\n---\n```\n## go\n```\n',
      `${FILE}:4: Expected at least one step`,
    ],
    ['empty step', '---\nname: x\n---\n## go\n\n## next\nDo\n', `${FILE}:4: step go is empty`],
    [
      'bad step name',
      '---\nname: x\n---\n## do it\nDo\n',
      `${FILE}:4: Expected a step name of letters, digits, - and _, got \`do it\``,
    ],
    [
      'duplicate step',
      '---\nname: x\n---\n## go\nDo\n## go\nAgain\n',
      `${FILE}:6: step go is defined twice (lines 4 and 6)`,
    ],
    [
      'unknown variable',
      '---\nname: x\n---\n## go\nDo\nthe {{taks}} now\n',
      `${FILE}:6: unknown template variable \`{{taks}}\`; expected one of {{task}}`,
    ],
    [
      'unknown step output',
      '---\nname: x\n---\n## go\nUse {{plan.output}}\n',
      `${FILE}:5: unknown template variable \`{{plan.output}}\``,
    ],
    [
      'later step output',
      '---\nname: x\n---\n## go\nUse {{check.output}}\n## check\nCheck\n',
      `${FILE}:5: \`{{check.output}}\` refers to step check, which runs later than step go`,
    ],
    [
      'own output',
      '---\nname: x\n---\n## go\nUse {{go.output}}\n',
      `${FILE}:5: step go cannot use its own output \`{{go.output}}\``,
    ],
    [
      'template in sh',
      '---\nname: x\n---\n## test\n```sh\necho {{task}}\n```\n',
      `${FILE}:6: sh step test cannot use {{…}} templates`,
    ],
  ])('%s → WORKFLOW_INVALID naming file and line', (_name, source, expected) => {
    expect(errorOf(source)).toContain(expected);
  });

  it('lists the known variables, including earlier outputs, for an unknown one', () => {
    const message = errorOf('---\nname: x\n---\n## plan\nP\n## go\n{{nope}}\n');
    expect(message).toBe(
      `${FILE}:7: unknown template variable \`{{nope}}\`; expected one of {{task}}, {{details}}, {{id}}, {{section}}, {{branch}}, {{worktree}}, {{plan.output}}`,
    );
  });
});
