import { describe, expect, it } from 'vitest';
import { isAdwError } from '../../src/errors.js';
import { renderTemplate, type TemplateValues } from '../../src/workflows/render-template.js';

const values: TemplateValues = {
  task: 'Add a login form',
  details: 'use the existing CSS\nkeep it small',
  id: '1a2b3c4d',
  section: 'feature-auth',
  branch: 'feature-auth-1a2b3c4d',
  worktree: 'trees/1a2b3c4d',
  outputs: { plan: 'the plan text' },
};

describe('renderTemplate', () => {
  it('fills in every variable, with or without inner spaces', () => {
    const template =
      '{{task}}|{{ details }}|{{id}}|{{section}}|{{branch}}|{{worktree}}|{{plan.output}}';
    expect(renderTemplate(template, values)).toBe(
      'Add a login form|use the existing CSS\nkeep it small|1a2b3c4d|feature-auth|feature-auth-1a2b3c4d|trees/1a2b3c4d|the plan text',
    );
  });

  it('never expands placeholders inside substituted text', () => {
    const rendered = renderTemplate('Task: {{task}} ({{id}})', {
      ...values,
      task: 'print {{id}} and {{plan.output}} literally',
    });
    expect(rendered).toBe('Task: print {{id}} and {{plan.output}} literally (1a2b3c4d)');
  });

  it('leaves text without placeholders and single braces alone', () => {
    expect(renderTemplate('function f() { return {a: 1}; }', values)).toBe(
      'function f() { return {a: 1}; }',
    );
  });

  it('fails on a variable it does not know', () => {
    let caught: unknown;
    try {
      renderTemplate('{{implement.output}}', values);
    } catch (error) {
      caught = error;
    }
    expect(isAdwError(caught, 'WORKFLOW_INVALID')).toBe(true);
    expect((caught as Error).message).toBe(
      'Expected a known template variable, got `{{implement.output}}`',
    );
  });
});
