import { parseDocument } from 'yaml';
import { AdwError } from '../errors.js';
import {
  isTemplateVariable,
  outputStep,
  templateReferences,
  TEMPLATE_VARIABLES,
} from './render-template.js';
import type { Step, Workflow } from './types.js';
import { withoutBom } from '../tasks/index.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const TAG = /^[A-Za-z0-9_.:-]+$/;
const STEP_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
const STEP_HEADING = /^ {0,3}## +(.*?)(?: +#+)? *$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

function invalid(file: string, line: number, message: string): AdwError {
  return new AdwError('WORKFLOW_INVALID', `${file}:${line}: ${message}`);
}

interface FrontMatter {
  data: Record<string, unknown>;
  /** Line of each top-level key. */
  keyLines: Map<string, number>;
  /** First line after the closing `---`. */
  bodyStart: number;
}

function readFrontMatter(lines: string[], file: string): FrontMatter {
  if (lines[0]?.trim() !== '---') {
    throw invalid(file, 1, 'Expected front matter starting with `---` (name, tags, model)');
  }
  const close = lines.findIndex((line, index) => index > 0 && /^(---|\.\.\.)\s*$/.test(line));
  if (close === -1) throw invalid(file, 1, 'Expected the front matter to end with a `---` line');
  const source = lines.slice(1, close).join('\n');
  const doc = parseDocument(source);
  const error = doc.errors[0];
  if (error !== undefined) {
    const line = 1 + (error.linePos?.[0].line ?? 1);
    throw invalid(
      file,
      line,
      `invalid YAML in front matter: ${error.message.split('\n')[0] ?? ''}`,
    );
  }
  const data: unknown = doc.toJS();
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw invalid(file, 2, 'Expected the front matter to be a map of keys (name, tags, model)');
  }
  const keyLines = new Map<string, number>();
  lines.slice(1, close).forEach((line, index) => {
    const key = /^([A-Za-z_][\w-]*)\s*:/.exec(line)?.[1];
    if (key !== undefined && !keyLines.has(key)) keyLines.set(key, index + 2);
  });
  return { data: data as Record<string, unknown>, keyLines, bodyStart: close + 1 };
}

function readHeader(
  fm: FrontMatter,
  file: string,
): Pick<Workflow, 'name' | 'tags' | 'model' | 'description'> {
  const lineOf = (key: string): number => fm.keyLines.get(key) ?? 1;
  const { name, tags, model, description } = fm.data;
  if (typeof name !== 'string' || !NAME.test(name)) {
    const found = name === undefined ? 'nothing' : `\`${JSON.stringify(name)}\``;
    throw invalid(
      file,
      lineOf('name'),
      `Expected \`name\` to be a workflow name such as build, got ${found}`,
    );
  }
  let tagList: string[] = [];
  if (tags !== undefined && tags !== null) {
    if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string' && TAG.test(tag))) {
      throw invalid(
        file,
        lineOf('tags'),
        `Expected \`tags\` to be a list of tag words, got \`${JSON.stringify(tags)}\``,
      );
    }
    tagList = tags as string[];
  }
  if (model !== undefined && model !== null && (typeof model !== 'string' || model.trim() === '')) {
    throw invalid(
      file,
      lineOf('model'),
      `Expected \`model\` to be a model name, got \`${JSON.stringify(model)}\``,
    );
  }
  if (description !== undefined && description !== null && typeof description !== 'string') {
    throw invalid(file, lineOf('description'), 'Expected `description` to be text');
  }
  return {
    name,
    tags: tagList,
    model: typeof model === 'string' ? model.trim() : null,
    description: typeof description === 'string' ? description : null,
  };
}

interface RawStep {
  name: string;
  line: number;
  body: { text: string; line: number }[];
}

// Splits the body at `## NAME` headings that are not inside a fenced code block.
function splitSteps(lines: string[], start: number): RawStep[] {
  const steps: RawStep[] = [];
  let fence: string | null = null;
  for (let index = start; index < lines.length; index += 1) {
    const text = lines[index] ?? '';
    const line = index + 1;
    const fenceMatch = FENCE.exec(text);
    if (fence === null && fenceMatch !== null) {
      fence = fenceMatch[1] ?? null;
    } else if (fence !== null && fenceMatch !== null) {
      const marker = fenceMatch[1] ?? '';
      if (marker[0] === fence[0] && marker.length >= fence.length && fenceMatch[2]?.trim() === '') {
        fence = null;
      }
    } else if (fence === null) {
      const heading = STEP_HEADING.exec(text);
      if (heading !== null) {
        steps.push({ name: heading[1] ?? '', line, body: [] });
        continue;
      }
    }
    steps.at(-1)?.body.push({ text, line });
  }
  return steps;
}

// A body that is exactly one fenced `sh` block: its command text, else null.
function shCommand(body: { text: string }[]): string | null {
  const first = body[0]?.text ?? '';
  const last = body.at(-1)?.text ?? '';
  const open = /^ {0,3}(`{3,}|~{3,})\s*sh\s*$/.exec(first);
  if (open === null || body.length < 2) return null;
  const marker = open[1] ?? '';
  const isClose = (text: string): boolean => {
    const match = FENCE.exec(text);
    return (
      match !== null &&
      (match[1] ?? '')[0] === marker[0] &&
      (match[1] ?? '').length >= marker.length &&
      match[2]?.trim() === ''
    );
  };
  if (!isClose(last)) return null;
  const inner = body.slice(1, -1);
  if (inner.some((line) => isClose(line.text))) return null;
  return inner.map((line) => line.text).join('\n');
}

function trimBlank(body: RawStep['body']): RawStep['body'] {
  let start = 0;
  let end = body.length;
  while (start < end && (body[start]?.text.trim() ?? '') === '') start += 1;
  while (end > start && (body[end - 1]?.text.trim() ?? '') === '') end -= 1;
  return body.slice(start, end);
}

function checkReferences(
  step: RawStep,
  body: RawStep['body'],
  seen: Map<string, number>,
  all: Set<string>,
  file: string,
): void {
  for (const { text, line } of body) {
    for (const ref of templateReferences(text)) {
      if (isTemplateVariable(ref.name)) continue;
      const target = outputStep(ref.name);
      if (target === step.name) {
        throw invalid(
          file,
          line,
          `step ${step.name} cannot use its own output \`{{${ref.name}}}\``,
        );
      }
      if (target !== null && seen.has(target)) continue;
      if (target !== null && all.has(target)) {
        throw invalid(
          file,
          line,
          `\`{{${ref.name}}}\` refers to step ${target}, which runs later than step ${step.name}`,
        );
      }
      const known = [...TEMPLATE_VARIABLES, ...[...seen.keys()].map((name) => `${name}.output`)];
      throw invalid(
        file,
        line,
        `unknown template variable \`{{${ref.name}}}\`; expected one of ${known.map((name) => `{{${name}}}`).join(', ')}`,
      );
    }
  }
}

/**
 * Parses a workflow file: YAML front matter (name, tags, model, description), then one `## STEP`
 * section per step. Any problem is an AdwError `WORKFLOW_INVALID` naming the file and line.
 */
export function parseWorkflow(source: string, file: string): Workflow {
  const lines = withoutBom(source).split(/\r?\n/);
  const fm = readFrontMatter(lines, file);
  const header = readHeader(fm, file);
  const raw = splitSteps(lines, fm.bodyStart);
  if (raw.length === 0) {
    throw invalid(
      file,
      Math.min(fm.bodyStart + 1, lines.length),
      'Expected at least one step: a `## STEP` section with a prompt',
    );
  }
  const all = new Set(raw.map((step) => step.name));
  const seen = new Map<string, number>();
  const steps: Step[] = [];
  for (const step of raw) {
    if (!STEP_NAME.test(step.name)) {
      throw invalid(
        file,
        step.line,
        `Expected a step name of letters, digits, - and _, got \`${step.name}\``,
      );
    }
    const first = seen.get(step.name);
    if (first !== undefined) {
      throw invalid(
        file,
        step.line,
        `step ${step.name} is defined twice (lines ${first} and ${step.line})`,
      );
    }
    const body = trimBlank(step.body);
    if (body.length === 0)
      throw invalid(
        file,
        step.line,
        `step ${step.name} is empty; expected a prompt or an sh block`,
      );
    const command = shCommand(body);
    if (command !== null) {
      const templated = body.find((line) => templateReferences(line.text).length > 0);
      if (templated !== undefined) {
        throw invalid(
          file,
          templated.line,
          `sh step ${step.name} cannot use {{…}} templates (task text never reaches a shell); use $ADW_ID, $ADW_SECTION, $ADW_WORKTREE or $ADW_BRANCH`,
        );
      }
      steps.push({ name: step.name, kind: 'sh', template: command, line: step.line });
    } else {
      checkReferences(step, body, seen, all, file);
      steps.push({
        name: step.name,
        kind: 'agent',
        template: body.map((line) => line.text).join('\n'),
        line: step.line,
      });
    }
    seen.set(step.name, step.line);
  }
  return { ...header, file, steps };
}
