import { CLAUDE_DEFAULT_MODEL } from '../agents/agent-spec.js';
import type { LoadedConfig } from '../config/index.js';
import type { ParseOptions } from '../tasks/index.js';
import type { Workflow } from '../workflows/index.js';

/** The parser's options from the configuration and the known workflows. */
export function parseOptionsOf(loaded: LoadedConfig, workflows: readonly Workflow[]): ParseOptions {
  return {
    defaultSection: loaded.config.defaultSection,
    defaultModel: loaded.config.model ?? CLAUDE_DEFAULT_MODEL,
    defaultWorkflow: loaded.config.workflow,
    workflows,
  };
}
