import { z } from 'zod';
import { parseDuration } from './duration.js';

const duration = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === null || ms === 0) {
    ctx.addIssue({ code: 'custom', message: 'a duration such as 500, "30s", "10m" or "1h"' });
    return z.NEVER;
  }
  return ms;
});

const script = z.string().min(1);
const hooksSchema = z
  .object({
    afterCreate: script.optional(),
    beforeRun: script.optional(),
    afterRun: script.optional(),
    beforeRemove: script.optional(),
  })
  .strict();

// A directory inside the repository: relative, no `..`, not git's own.
const relativePath = z
  .string()
  .min(1)
  .refine(
    (path) =>
      !path.startsWith('/') &&
      !path.split(/[\\/]/).some((part) => part === '..' || part === '.git'),
    { message: 'a path inside the repository' },
  );

const positiveInt = z.coerce.number().int().positive();
const name = z.string().min(1);

// One entry per key: its type, its default and what it means (printed by `adw-trigger config`).
export const configSchema = z
  .object({
    tasks: name.default('tasks.md').describe('the task file, relative to the repository'),
    concurrency: positiveInt.default(5).describe('tasks running at once'),
    pollInterval: duration.default(5000).describe('safety-net rescan interval'),
    baseRef: name.default('HEAD').describe('where a new section branch starts'),
    defaultSection: name.default('adw').describe('section of tasks above any worktree heading'),
    worktreeDir: name
      .default('trees')
      .describe('where task worktrees go, relative to the repository'),
    agent: z
      .enum(['claude', 'codex', 'command'])
      .default('claude')
      .describe('claude, codex or command'),
    command: z
      .array(z.string())
      .min(1)
      .optional()
      .describe('argv of the command agent; the prompt is appended'),
    claudeBin: name.default('claude').describe('the claude executable'),
    codexBin: name.default('codex').describe('the codex executable'),
    agentArgs: z
      .array(z.string())
      .default([])
      .describe('extra arguments for the claude or codex agent'),
    model: name.default('sonnet').describe('model when a task has no model tag'),
    workflow: name.default('build').describe('workflow when a task has no workflow tag'),
    stepTimeout: duration.default(30 * 60_000).describe('wall-clock limit of one step'),
    idleTimeout: duration.default(10 * 60_000).describe('limit on a step printing nothing'),
    retries: z.coerce.number().int().min(0).default(1).describe('re-runs of a failed agent step'),
    // Real repositories: worktree hooks, shared directories, landing, conflicts.
    hooks: hooksSchema
      .default({})
      .describe(
        'shell scripts run in the worktree: afterCreate, beforeRun, afterRun, beforeRemove',
      ),
    hooksTimeout: duration.default(60_000).describe('limit of one hook or section check'),
    linkDirs: z
      .array(relativePath)
      .default([])
      .describe('directories symlinked from the main checkout into each worktree'),
    land: z
      .enum(['none', 'push', 'pr'])
      .default('none')
      .describe('none, push (section branches to the remote) or pr (push and open a PR)'),
    remote: name.default('origin').describe('the git remote section branches are pushed to'),
    prBase: name.optional().describe("base branch of PRs (default: the remote's default branch)"),
    sectionChecks: z
      .array(z.string().min(1))
      .default([])
      .describe('shell commands run on a finished section before it lands'),
    onConflict: z
      .enum(['fail', 'resolve'])
      .default('fail')
      .describe('fail, or resolve (an agent step merges the section tip into the task branch)'),
  })
  .strict();

/** The resolved configuration: every key present, durations in milliseconds. */
export type Config = z.output<typeof configSchema>;
/** Configuration as written in adw-trigger.json, env or flags, before defaults. */
export type ConfigInput = z.input<typeof configSchema>;
