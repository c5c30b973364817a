import { z } from 'zod';
import { valueRules } from './schema-rules.js';
import type { ValueRule } from './value-rules.js';
import { VALUE_CHECKS, VALUE_TRANSFORMS } from './value-checks.js';

/**
 * The transforms of the schema, each the zod form of its namesake in VALUE_TRANSFORMS: the build
 * finds a transform's name here when it writes the value rules (schema-rules.ts).
 */
export const SCHEMA_TRANSFORMS = {
  duration: (value: number | string, ctx: z.RefinementCtx): number => {
    const ms = VALUE_TRANSFORMS.duration(value);
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: 'a duration such as 500, "30s", "10m" or "1h"' });
      return z.NEVER;
    }
    return ms;
  },
};

const duration = z.union([z.number(), z.string()]).transform(SCHEMA_TRANSFORMS.duration);

const script = z.string().min(1);
const hooksSchema = z
  .object({
    afterCreate: script.optional(),
    beforeRun: script.optional(),
    afterRun: script.optional(),
    beforeRemove: script.optional(),
  })
  .strict();

const relativePath = z
  .string()
  .min(1)
  .refine(VALUE_CHECKS.relativePath, { message: 'a path inside the repository' });

const positiveInt = z.coerce.number().int().positive();
// An amount in US dollars, more than 0.
const usd = z.number().positive();
const name = z.string().min(1);
/** At most this many tasks run at once: each is an agent process and a worktree. */
export const MAX_CONCURRENCY = 256;

const modelName = z.string().refine(VALUE_CHECKS.model);
const section = name.refine(VALUE_CHECKS.section);
const revision = name.refine(VALUE_CHECKS.revision);
const folder = name.refine(VALUE_CHECKS.folder);
const price = z
  .object({
    input: z.number().nonnegative(),
    output: z.number().nonnegative(),
    cachedInput: z.number().nonnegative().optional(),
  })
  .strict();
const agentKind = z.enum(['claude', 'codex', 'command']);
const redisUrl = z.string().refine(VALUE_CHECKS.redisUrl);

// One entry per key: its type, its default and what it means (printed by `adw-trigger config`).
export const configSchema = z
  .object({
    tasks: name.default('tasks.md').describe('the task file, relative to the repository'),
    concurrency: positiveInt
      .max(MAX_CONCURRENCY)
      .default(5)
      .describe('tasks running at once (1 to 256)'),
    pollInterval: duration
      .refine(VALUE_CHECKS.pollInterval)
      .default(5000)
      .describe('safety-net rescan interval (at least 100ms)'),
    baseRef: revision.default('HEAD').describe('where a new section branch starts'),
    defaultSection: section.default('adw').describe('section of tasks above any worktree heading'),
    worktreeDir: folder
      .default('trees')
      .describe('where task worktrees go, relative to the repository'),
    agent: agentKind.default('claude').describe('claude, codex or command'),
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
    model: modelName
      .optional()
      .describe('model when neither task nor workflow names one (claude: sonnet; codex: its own)'),
    models: z
      .partialRecord(agentKind, z.record(z.string(), modelName))
      .default({})
      .describe('per agent, model tag → model name, e.g. {"codex": {"opus": "gpt-5"}}'),
    prices: z
      .record(z.string(), price)
      .default({})
      .describe('USD per million tokens per model, for agents that report no cost (codex)'),
    workflow: name.default('build').describe('workflow when a task has no workflow tag'),
    stepTimeout: duration.default(30 * 60_000).describe('wall-clock limit of one step'),
    idleTimeout: duration.default(10 * 60_000).describe('limit on a step printing nothing'),
    retries: z.coerce.number().int().min(0).default(1).describe('re-runs of a failed agent step'),
    retryBackoff: duration
      .default(10_000)
      .describe('wait before the first re-run after a transient API error; doubles each time'),
    maxRetryBackoff: duration
      .default(5 * 60_000)
      .describe('longest wait between re-runs, and of a rate-limit pause without a reset time'),
    maxCostPerTask: usd
      .optional()
      .describe('USD a task may cost (claude: --max-budget-usd); a task passing it fails'),
    maxCostPerDay: usd
      .optional()
      .describe("USD of all tasks in a day; dispatch pauses when the day's cost reaches it"),
    // Dashboard, HTTP API and notifications.
    http: z
      .union([z.number(), z.string()])
      .refine(VALUE_CHECKS.listen)
      .optional()
      .describe('serve the dashboard and HTTP API on [HOST:]PORT (host 127.0.0.1 by default)'),
    httpToken: z
      .string()
      .min(16)
      .optional()
      .describe('bearer token of the HTTP API; required when http binds a non-loopback host'),
    notify: z
      .array(z.string())
      .min(1)
      .optional()
      .describe(
        'argv run on task.done, task.failed, section.done, queue.idle (event JSON on stdin)',
      ),
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
    // The fleet: a coordinator hands tasks to workers on other machines through Redis.
    queue: redisUrl
      .optional()
      .describe('coordinate a fleet of workers through this Redis server (redis://HOST:PORT[/DB])'),
    queueLockDuration: duration
      .default(30_000)
      .describe("how long a worker's hold on a job lasts unless renewed (fleet)"),
    queueStalledInterval: duration
      .default(30_000)
      .describe('how often workers look for jobs whose worker was lost (fleet)'),
    queueOutageGrace: duration
      .default(300_000)
      .describe('how long Redis may stay unreachable before tasks waiting on it fail (fleet)'),
  })
  .strict();

/** The resolved configuration: every key present, durations in milliseconds. */
export type Config = z.output<typeof configSchema>;
/** Configuration as written in adw-trigger.json, env or flags, before defaults. */
export type ConfigInput = z.input<typeof configSchema>;

/** The one-line description of a key, taken from the schema. */
export function describeKey(key: keyof Config): string {
  return configSchema.shape[key].description ?? '';
}

/** What a command needs of the schema, without zod: defaults, descriptions and value rules. */
export interface SchemaFacts {
  /** Every key at its default: what a repository with no file, variable or flag gets. */
  defaults: Config;
  descriptions: Record<keyof Config, string>;
  /** What each key accepts, read out of the schema (plain-check.ts checks values with them). */
  rules: Record<keyof Config, ValueRule>;
}

/** The defaults, descriptions and rules of every key; the build writes them as JSON (built-schema.ts). */
export function schemaFacts(): SchemaFacts {
  const keys = Object.keys(configSchema.shape) as (keyof Config)[];
  return {
    defaults: configSchema.parse({}),
    descriptions: Object.fromEntries(keys.map((key) => [key, describeKey(key)])) as Record<
      keyof Config,
      string
    >,
    rules: Object.fromEntries(
      keys.map((key) => [key, valueRules(configSchema.shape[key], SCHEMA_TRANSFORMS)]),
    ) as Record<keyof Config, ValueRule>,
  };
}
