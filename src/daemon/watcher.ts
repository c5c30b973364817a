import { watch } from 'chokidar';
import { dirname, resolve } from 'node:path';

/** Stops a watcher. */
export type StopWatching = () => Promise<void>;

/**
 * Calls `onChange` (debounced) whenever the tasks file is written, replaced or created. The folder
 * is watched, not only the file: editors save by writing a temp file and renaming it over, which
 * ends a watch on the old inode. `poll` uses stat polling only, for network filesystems where
 * change events never arrive.
 */
export function watchTasksFile(
  file: string,
  onChange: () => void,
  options: { poll: boolean; debounceMs?: number; pollMs?: number },
): StopWatching {
  const target = resolve(file);
  const folder = dirname(target);
  const debounceMs = options.debounceMs ?? 15;
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(folder, {
    depth: 0,
    ignoreInitial: true,
    usePolling: options.poll,
    interval: options.pollMs ?? 1000,
    // Only the folder itself and the tasks file: never the worktrees, .git or run logs beside it.
    ignored: (path: string) => path !== folder && path !== target,
  });
  watcher.on('all', (_event, path) => {
    if (resolve(path) !== target) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, debounceMs);
  });
  return async () => {
    clearTimeout(timer);
    await watcher.close();
  };
}
