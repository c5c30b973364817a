import { describe, expect, it } from 'vitest';
import { describeKey } from '../../src/config/schema.js';
import { configKeys, envName, flagName, isConfigKey } from '../../src/config/keys.js';
import { configSchema } from '../../src/config/schema.js';
import { closestConfigKey } from '../../src/config/suggest.js';

describe('config keys', () => {
  it('lists every schema key in schema order', () => {
    expect(configKeys).toEqual(Object.keys(configSchema.shape));
    expect(configKeys[0]).toBe('tasks');
  });

  it.each([
    ['tasks', 'ADW_TASKS', '--tasks'],
    ['concurrency', 'ADW_CONCURRENCY', '--concurrency'],
    ['pollInterval', 'ADW_POLL_INTERVAL', '--poll-interval'],
    ['baseRef', 'ADW_BASE_REF', '--base-ref'],
    ['defaultSection', 'ADW_DEFAULT_SECTION', '--default-section'],
    ['worktreeDir', 'ADW_WORKTREE_DIR', '--worktree-dir'],
    ['agent', 'ADW_AGENT', '--agent'],
    ['command', 'ADW_COMMAND', '--command'],
    ['claudeBin', 'ADW_CLAUDE_BIN', '--claude-bin'],
    ['codexBin', 'ADW_CODEX_BIN', '--codex-bin'],
    ['agentArgs', 'ADW_AGENT_ARGS', '--agent-args'],
    ['model', 'ADW_MODEL', '--model'],
    ['workflow', 'ADW_WORKFLOW', '--workflow'],
    ['stepTimeout', 'ADW_STEP_TIMEOUT', '--step-timeout'],
    ['idleTimeout', 'ADW_IDLE_TIMEOUT', '--idle-timeout'],
    ['retries', 'ADW_RETRIES', '--retries'],
    ['retryBackoff', 'ADW_RETRY_BACKOFF', '--retry-backoff'],
    ['maxRetryBackoff', 'ADW_MAX_RETRY_BACKOFF', '--max-retry-backoff'],
    ['maxCostPerTask', 'ADW_MAX_COST_PER_TASK', '--max-cost-per-task'],
    ['maxCostPerDay', 'ADW_MAX_COST_PER_DAY', '--max-cost-per-day'],
    ['http', 'ADW_HTTP', '--http'],
    ['httpToken', 'ADW_HTTP_TOKEN', '--http-token'],
    ['notify', 'ADW_NOTIFY', '--notify'],
    ['hooks', 'ADW_HOOKS', '--hooks'],
    ['hooksTimeout', 'ADW_HOOKS_TIMEOUT', '--hooks-timeout'],
    ['linkDirs', 'ADW_LINK_DIRS', '--link-dirs'],
    ['land', 'ADW_LAND', '--land'],
    ['remote', 'ADW_REMOTE', '--remote'],
    ['prBase', 'ADW_PR_BASE', '--pr-base'],
    ['sectionChecks', 'ADW_SECTION_CHECKS', '--section-checks'],
    ['onConflict', 'ADW_ON_CONFLICT', '--on-conflict'],
    ['queue', 'ADW_QUEUE', '--queue'],
    ['queueLockDuration', 'ADW_QUEUE_LOCK_DURATION', '--queue-lock-duration'],
    ['queueStalledInterval', 'ADW_QUEUE_STALLED_INTERVAL', '--queue-stalled-interval'],
    ['queueOutageGrace', 'ADW_QUEUE_OUTAGE_GRACE', '--queue-outage-grace'],
  ] as const)('names %s as %s and %s', (key, env, flag) => {
    expect(envName(key)).toBe(env);
    expect(flagName(key)).toBe(flag);
  });

  it('covers every key in the table above', () => {
    expect(configKeys).toHaveLength(37);
  });

  it('has a description for every key', () => {
    for (const key of configKeys) expect(describeKey(key)).not.toBe('');
  });

  it('tells config keys from other names', () => {
    expect(isConfigKey('stepTimeout')).toBe(true);
    expect(isConfigKey('step_timeout')).toBe(false);
    expect(isConfigKey('toString')).toBe(false);
  });

  it.each([
    ['concurency', 'concurrency'],
    ['Concurrency', 'concurrency'],
    ['STEP_TIMEOUT', 'stepTimeout'],
    ['idle-timeout', 'idleTimeout'],
    ['agnet', 'agent'],
    ['modle', 'model'],
    ['worktreeDirectory', 'worktreeDir'],
    ['poll', 'pollInterval'],
    ['timeout', null],
    ['branch', null],
    ['retry', 'retries'],
    ['colour', null],
    ['x', null],
  ])('suggests for %s: %s', (name, expected) => {
    expect(closestConfigKey(name)).toBe(expected);
  });
});
