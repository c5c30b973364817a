import type { ParseOptions } from '../../src/tasks/index.js';

/** The defaults of the config (SPEC §7), with no workflow files: build and plan-implement known. */
export const options: ParseOptions = {
  defaultSection: 'adw',
  defaultModel: 'sonnet',
  defaultWorkflow: 'build',
  workflows: [],
};
