import { describe, expect, it } from 'vitest';
import { isTaskName, parseTasks, type Task } from '../../src/tasks/index.js';
import { options } from './options.js';

function only(line: string): Task {
  const file = parseTasks(`${line}\n`, options);
  expect(file.tasks).toHaveLength(1);
  return file.tasks[0]!;
}

describe('name: and after: tags', () => {
  it.each([
    ['[] Build the API #name:api', 'api', [], 'Build the API'],
    ['[] Deploy #after:api', null, ['api'], 'Deploy'],
    ['[] Deploy #after:api,docs now', null, ['api', 'docs'], 'Deploy now'],
    ['[] Deploy #after:api #after:docs', null, ['api', 'docs'], 'Deploy'],
    ['[] Deploy #after:api #after:api,docs', null, ['api', 'docs'], 'Deploy'],
    ['[] Deploy {after:api,docs, opus}', null, ['api', 'docs'], 'Deploy'],
    ['[] Deploy {after:api, docs}', null, ['api'], 'Deploy {docs}'],
    ['[] Deploy {name:ship, after:api, urgent}', 'ship', ['api'], 'Deploy {urgent}'],
    ['[] Ship #Name:Ship #AFTER:Build-API', 'Ship', ['Build-API'], 'Ship'],
    ['[] Ship it #after:api,docs.', null, ['api', 'docs'], 'Ship it.'],
    ['[] Release #name:v1.2_rc-3 today', 'v1.2_rc-3', [], 'Release today'],
    ['[] after:api is prose without a #', null, [], 'after:api is prose without a #'],
    ['[] #see,after:api stays', null, [], '#see,after:api stays'],
    ['[] #name: alone is a plain tag', null, [], '#name: alone is a plain tag'],
    ['[] C#after:api is not a tag', null, [], 'C#after:api is not a tag'],
  ])('%j: name %j, after %j, prompt %j', (line, name, after, prompt) => {
    const task = only(line);
    expect([task.name, task.after, task.prompt]).toEqual([name, after, prompt]);
  });

  it('keeps the tags in the task tags and out of the prompt, with model and workflow tags', () => {
    const task = only('[] Ship {opus, name:ship, adw_build} #after:a,b and go');
    expect(task.tags).toEqual(['opus', 'name:ship', 'adw_build', 'after:a,b']);
    expect([task.model, task.workflow, task.prompt]).toEqual(['opus', 'build', 'Ship and go']);
  });

  it.each([
    ['api', true],
    ['build-api', true],
    ['v1.2_rc', true],
    ['9lives', true],
    ['-api', false],
    ['.api', false],
    ['_api', false],
    ['a:b', false],
    ['a,b', false],
    ['', false],
    ['a b', false],
    ['ä', false],
  ])('task name %j is valid: %j', (name, valid) => {
    expect(isTaskName(name)).toBe(valid);
  });
});
