// parseWorkflow (parse-workflow.js) is not re-exported here: it brings the YAML parser, which
// loadWorkflows loads only for a workflow file the build did not parse.
export { BUILTIN_WORKFLOWS_DIR, loadWorkflows } from './load-workflows.js';
export { renderTemplate, TEMPLATE_VARIABLES, templateReferences } from './render-template.js';
export type { TemplateValues, TemplateVariable } from './render-template.js';
export { runWorkflow } from './run-workflow.js';
export type {
  Step,
  StepOutcome,
  Workflow,
  WorkflowJob,
  WorkflowOutcome,
  WorkflowTask,
} from './types.js';
