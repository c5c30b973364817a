import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AdwError } from '../errors.js';
import { errnoCode } from '../system/errno.js';
import { builtWorkflow, type BuiltWorkflow } from './built-workflows.js';
import type { Workflow } from './types.js';

/** The package's built-in workflows; the same relative path works from src/ and from dist/. */
export const BUILTIN_WORKFLOWS_DIR = fileURLToPath(new URL('../../workflows/', import.meta.url));

async function markdownFiles(dir: string): Promise<string[] | null> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return null;
    throw new AdwError('WORKFLOW_INVALID', `cannot read workflow folder ${dir}: ${String(error)}`, {
      cause: error,
    });
  }
  return names
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => join(dir, name));
}

// The parser (and with it the YAML library) is loaded only for a text the build did not parse.
async function parseFile(file: string): Promise<Workflow> {
  const source = await readFile(file, 'utf8');
  const built = builtWorkflow(source, file);
  if (built !== null) return built;
  const { parseWorkflow } = await import('./parse-workflow.js');
  return parseWorkflow(source, file);
}

async function loadDir(dir: string): Promise<Workflow[]> {
  const files = (await markdownFiles(dir)) ?? [];
  const workflows: Workflow[] = [];
  const byName = new Map<string, Workflow>();
  for (const file of files) {
    const workflow = await parseFile(file);
    const other = byName.get(workflow.name);
    if (other !== undefined) {
      throw new AdwError(
        'WORKFLOW_INVALID',
        `${file}:1: workflow ${workflow.name} is also defined in ${other.file}`,
      );
    }
    byName.set(workflow.name, workflow);
    workflows.push(workflow);
  }
  return workflows;
}

/**
 * The built-in workflows, overridden (same name) and extended by `<repoRoot>/.adw/workflows/*.md`.
 * A tag may select one workflow only.
 */
export async function loadWorkflows(
  repoRoot: string,
  builtinDir: string = BUILTIN_WORKFLOWS_DIR,
): Promise<Workflow[]> {
  const builtins = await loadDir(builtinDir);
  const own = await loadDir(join(repoRoot, '.adw', 'workflows'));
  const merged = new Map<string, Workflow>();
  for (const workflow of [...builtins, ...own]) merged.set(workflow.name, workflow);
  const workflows = [...merged.values()];
  const tagOwner = new Map<string, Workflow>();
  for (const workflow of workflows) {
    for (const tag of workflow.tags) {
      const owner = tagOwner.get(tag);
      if (owner !== undefined && owner !== workflow) {
        throw new AdwError(
          'WORKFLOW_INVALID',
          `${workflow.file}:1: tag ${tag} already selects workflow ${owner.name} (${owner.file}); a tag may select one workflow`,
        );
      }
      tagOwner.set(tag, workflow);
    }
  }
  return workflows;
}

/** The workflow files of `dir` (the built-in ones by default) as the build writes them. */
export async function parseForBuild(dir: string = BUILTIN_WORKFLOWS_DIR): Promise<BuiltWorkflow[]> {
  const { parseWorkflow } = await import('./parse-workflow.js');
  const entries: BuiltWorkflow[] = [];
  for (const file of (await markdownFiles(dir)) ?? []) {
    const source = await readFile(file, 'utf8');
    const parsed: Partial<Workflow> = parseWorkflow(source, file);
    delete parsed.file;
    entries.push({ source, workflow: parsed as BuiltWorkflow['workflow'] });
  }
  return entries;
}
