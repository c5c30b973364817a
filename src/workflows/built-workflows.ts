import { readFileSync } from 'node:fs';
import { errnoCode } from '../system/errno.js';
import type { Workflow } from './types.js';

/** A workflow file's text and what `parseWorkflow` makes of it (the file path aside). */
export interface BuiltWorkflow {
  source: string;
  workflow: Omit<Workflow, 'file'>;
}

/**
 * Where the build writes the built-in workflows already parsed, each with the text it was parsed
 * from: a command then needs no YAML parser unless a workflow file differs from them.
 */
export const BUILT_WORKFLOWS_URL = new URL('./builtin.json', import.meta.url);

let built: Map<string, Omit<Workflow, 'file'>> | undefined;

/**
 * The parsed workflow of a file whose text is exactly `source`, when the build parsed that text;
 * else null. A run from source, or an edited file, parses as usual.
 */
export function builtWorkflow(source: string, file: string): Workflow | null {
  if (built === undefined) {
    built = new Map();
    try {
      const entries = JSON.parse(readFileSync(BUILT_WORKFLOWS_URL, 'utf8')) as BuiltWorkflow[];
      for (const entry of entries) built.set(entry.source, entry.workflow);
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT') throw error;
    }
  }
  const workflow = built.get(source);
  return workflow === undefined ? null : { ...structuredClone(workflow), file };
}
