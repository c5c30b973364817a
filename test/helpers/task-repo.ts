import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { waitFor } from './cli.js';
import { makeRepo } from './git.js';

/** A repository whose adw-trigger.json runs the given agent script through the `command` agent. */
export async function makeTaskRepo(
  tasks: string,
  options: { agent: string; config?: Record<string, unknown>; files?: Record<string, string> },
): Promise<string> {
  const config = {
    agent: 'command',
    command: [process.execPath, options.agent],
    pollInterval: '1s',
    ...options.config,
  };
  const repo = await makeRepo({
    'README.md': '# test\n',
    'adw-trigger.json': JSON.stringify(config, null, 2),
    ...options.files,
  });
  await writeFile(join(repo, 'tasks.md'), tasks);
  return repo;
}

/** The task file of a repository made by makeTaskRepo. */
export async function readTasks(repo: string): Promise<string> {
  return readFile(join(repo, 'tasks.md'), 'utf8');
}

const MARKER = /^(\s*(?:[-*+]\s+|\d+\.\s+)?)\[[^\]\n]*\]/gm;

/** The text with every status marker replaced by `[]` and Failed notes dropped: what must not change. */
export function withoutMarkers(text: string): string {
  return text.replace(MARKER, '$1[]').replace(/ \/\/ Failed: [^\r\n]*/g, '');
}

/** `[STATUS-EMOJI, ID]` markers of a task file outside code fences, in order, one per task line. */
export function markers(
  text: string,
): { emoji: string; hash: string | null; id: string | null; rest: string }[] {
  const found = [];
  const outsideFences = text.replace(/^```[^]*?^```$/gm, '');
  for (const match of outsideFences.matchAll(
    /^\s*(?:[-*+]\s+)?\[(🟡|✅|❌|⏰|)\s*([0-9a-f]{4,40})?,?\s*([A-Za-z0-9_-]+)?\]\s?(.*)$/gmu,
  )) {
    found.push({
      emoji: match[1] ?? '',
      hash: match[2] ?? null,
      id: match[3] ?? null,
      rest: match[4] ?? '',
    });
  }
  return found;
}

/** The only task of a task file (fails the test when there are more or none). */
export async function onlyTask(repo: string): Promise<ReturnType<typeof markers>[number]> {
  const tasks = markers(await readTasks(repo));
  expect(tasks).toHaveLength(1);
  return tasks[0]!;
}

/** The run record `.adw/runs/ID/run.json` of a task, as JSON. */
export async function runJson(repo: string, id: string): Promise<Record<string, unknown>> {
  const text = await readFile(join(repo, '.adw', 'runs', id, 'run.json'), 'utf8');
  return JSON.parse(text) as Record<string, unknown>;
}

/** Waits until the first task of the repository's tasks.md shows `emoji` (✅ by default). */
export async function waitForFirstTask(
  repo: string,
  emoji = '✅',
  timeoutMs = 20_000,
): Promise<void> {
  await waitFor(
    async () => markers(await readTasks(repo))[0]?.emoji === emoji,
    timeoutMs,
    `the first task to show ${emoji}`,
  );
}

/** Waits until a daemon started in `repo` has written its record in `.adw/daemons`. */
export async function waitForDaemonRecord(repo: string, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    async () => {
      const names = await readdir(join(repo, '.adw', 'daemons')).catch(() => []);
      return names.some((name) => name.endsWith('.json'));
    },
    timeoutMs,
    'the daemon record in .adw/daemons',
  );
}
