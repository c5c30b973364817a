import { watch, type FSWatcher } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { configFileName } from '../config/index.js';
import { watchTasksFile } from './watcher.js';

/** The repository's own workflow folder (the built-in ones ship with the package and never change). */
export function workflowsDirOf(root: string): string {
  return join(root, '.adw', 'workflows');
}

async function contentOf(path: string): Promise<string> {
  try {
    return (await readFile(path)).toString('base64');
  } catch (error) {
    return `(${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`;
  }
}

/**
 * The bytes of adw-trigger.json and of each workflow file, as one string: a reload whose files
 * read the same as last time has nothing to do (and nothing new to log). Cheap enough for every
 * poll: one small JSON file and a few markdown files.
 */
export async function configFingerprint(root: string): Promise<string> {
  const dir = workflowsDirOf(root);
  const names = (await readdir(dir).catch(() => [] as string[]))
    .filter((name) => name.endsWith('.md'))
    .sort();
  const parts = [await contentOf(join(root, configFileName))];
  for (const name of names) parts.push(name, await contentOf(join(dir, name)));
  return parts.join('\n');
}

/**
 * Calls `onChange` when adw-trigger.json or a workflow file may have changed. Plain `fs.watch` on
 * the folders, as for the tasks file (editors replace files by rename, which ends a watch on the
 * file itself). The workflow folder may not exist yet, or be removed and created again: the poll
 * timer calls `onChange` too (the caller compares fingerprints), and puts a watch on the folder
 * whenever it is there and not watched. `poll`: no change events (network filesystems).
 */
export function watchConfigFiles(
  root: string,
  onChange: () => void,
  options: { poll: boolean; pollMs: number },
): () => Promise<void> {
  const stopFile = watchTasksFile(join(root, configFileName), onChange, options);
  let folder: FSWatcher | null = null;
  const watchFolder = (): void => {
    if (options.poll || folder !== null) return;
    try {
      folder = watch(workflowsDirOf(root), { persistent: true }, () => {
        onChange();
      });
      folder.on('error', () => {
        folder?.close();
        folder = null;
      });
    } catch {
      // Not there (yet): the next poll looks again.
      folder = null;
    }
  };
  watchFolder();
  const timer = setInterval(() => {
    watchFolder();
    onChange();
  }, options.pollMs);
  return async () => {
    clearInterval(timer);
    folder?.close();
    await stopFile();
  };
}
