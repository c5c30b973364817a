import { AdwError } from '../errors.js';

/** The task variables a template may use besides `{{STEP.output}}`. */
export const TEMPLATE_VARIABLES = [
  'task',
  'details',
  'id',
  'section',
  'branch',
  'worktree',
] as const;

/** A task variable name. */
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

/** Values for one rendering: the task variables and the outputs of the steps run so far. */
export type TemplateValues = Record<TemplateVariable, string> & {
  outputs: Readonly<Record<string, string>>;
};

/** A `{{ … }}` placeholder: what is inside, and where. */
export interface TemplateReference {
  name: string;
  index: number;
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const OUTPUT_REF = /^([A-Za-z][A-Za-z0-9_-]*)\.output$/;

/** Every `{{ … }}` placeholder of a template, in order. */
export function templateReferences(template: string): TemplateReference[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => ({
    name: match[1] ?? '',
    index: match.index,
  }));
}

/** The step named by a `{{STEP.output}}` reference, or null when `name` is not one. */
export function outputStep(name: string): string | null {
  return OUTPUT_REF.exec(name)?.[1] ?? null;
}

/** True when `name` is a task variable. */
export function isTemplateVariable(name: string): name is TemplateVariable {
  return (TEMPLATE_VARIABLES as readonly string[]).includes(name);
}

/**
 * Fills in a template in one pass: substituted text (task text, agent output) is never scanned
 * again, so a task containing `{{id}}` stays literally that.
 */
export function renderTemplate(template: string, values: TemplateValues): string {
  return template.replace(PLACEHOLDER, (_match, inner: string) => {
    const name = inner.trim();
    if (isTemplateVariable(name)) return values[name];
    const step = outputStep(name);
    const output = step === null ? undefined : values.outputs[step];
    if (output === undefined) {
      throw new AdwError(
        'WORKFLOW_INVALID',
        `Expected a known template variable, got \`{{${name}}}\``,
      );
    }
    return output;
  });
}
