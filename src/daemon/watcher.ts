import { unwatchFile, watch, watchFile, type FSWatcher, type Stats } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

/** Stops a watcher. */
export type StopWatching = () => Promise<void>;

/**
 * Calls `onChange` on every event that the tasks file was written, replaced or created, at once:
 * the caller runs its reads one at a time and folds the events that arrive during a read into one
 * more read (serialRunner), so a burst costs two reads and the last edit is always read, with no
 * fixed delay before the first. Plain `fs.watch` on the folder, not chokidar: chokidar drops a
 * change that follows another within 50 ms and sends nothing after it, which loses an edit unless
 * every read waits. The folder is watched, not only the file: editors save by writing a temp file
 * and renaming it over, which ends a watch on the old inode. `poll` uses stat polling only, for
 * network filesystems where change events never arrive; it is also the fallback when the folder
 * cannot be watched. `onReady` runs once the watch is in place (an edit before it sends no event).
 */
export function watchTasksFile(
  file: string,
  onChange: () => void,
  options: { poll: boolean; pollMs?: number; onReady?: () => void },
): StopWatching {
  const target = resolve(file);
  const name = basename(target);
  const pollMs = options.pollMs ?? 1000;
  let folderWatch: FSWatcher | null = null;
  let polling = false;
  const onStat = (current: Stats, previous: Stats): void => {
    if (
      current.mtimeMs !== previous.mtimeMs ||
      current.size !== previous.size ||
      current.ino !== previous.ino
    )
      onChange();
  };
  const poll = (): void => {
    if (polling) return;
    polling = true;
    watchFile(target, { interval: pollMs, persistent: true }, onStat);
  };
  if (options.poll) {
    poll();
  } else {
    try {
      folderWatch = watch(dirname(target), { persistent: true }, (_event, changed) => {
        if (changed === null || changed === name) onChange();
      });
      folderWatch.on('error', () => {
        // The folder went away or cannot be watched any more: fall back to polling the file.
        folderWatch?.close();
        folderWatch = null;
        poll();
        onChange();
      });
    } catch {
      poll();
    }
  }
  const { onReady } = options;
  if (onReady !== undefined) setImmediate(onReady);
  return () => {
    folderWatch?.close();
    if (polling) unwatchFile(target, onStat);
    return Promise.resolve();
  };
}
