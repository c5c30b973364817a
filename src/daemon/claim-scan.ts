import { isAdwError } from '../errors.js';
import { readTasksFile, updateTasksFile } from '../store/index.js';
import { formatDiagnostic, parseTasks } from '../tasks/index.js';
import type { Diagnostic, ParseOptions } from '../tasks/index.js';
import { claimRunnable, restoreMarkers } from './claims.js';
import type { Claim } from './claims.js';

/** What one scan of tasks.md found and did. */
export type ScanResult =
  | { kind: 'unchanged' }
  | { kind: 'problem'; message: string; hash: string | null }
  | {
      kind: 'scanned';
      hash: string;
      claims: Claim[];
      restored: string[];
      /** Problems of the file as read before claiming: their lines are left alone. */
      diagnostics: Diagnostic[];
    };

/** What a scan needs: the file, how to parse it, what this daemon runs, how to name a claim. */
export interface ScanInput {
  tasksPath: string;
  parseOptions: ParseOptions;
  /** Claims this daemon holds: their markers are put back if an editor overwrote them. */
  running: readonly Claim[];
  /** Hash of the file as last scanned or written; the same bytes are not scanned again. */
  lastHash: string | null;
  /** Scan even if the bytes are the same (a task ended: blocked tasks may be runnable now). */
  force: boolean;
  newId: (taken: ReadonlySet<string>) => string;
}

/**
 * Reads tasks.md and, if there is anything to claim or restore, does both in one locked
 * read-modify-write. Problems of the file (missing, not UTF-8, read-only, lock held) are results,
 * not exceptions: the daemon reports them and tries again later.
 */
export async function scanAndClaim(input: ScanInput): Promise<ScanResult> {
  const { tasksPath, parseOptions, running } = input;
  try {
    const snapshot = await readTasksFile(tasksPath);
    if (snapshot.hash === input.lastHash && !input.force) return { kind: 'unchanged' };
    if (snapshot.encodingError !== null) {
      return {
        kind: 'problem',
        message: `${formatDiagnostic(tasksPath, snapshot.encodingError)}; the file is left alone`,
        hash: snapshot.hash,
      };
    }
    // Look before taking the lock: most scans find nothing to claim or restore.
    const file = parseTasks(snapshot.text, parseOptions);
    const shown = new Set(file.tasks.filter((t) => t.status === 'in_progress').map((t) => t.id));
    if (
      !file.tasks.some((task) => task.runnable) &&
      running.every((claim) => shown.has(claim.id))
    ) {
      return {
        kind: 'scanned',
        hash: snapshot.hash,
        claims: [],
        restored: [],
        diagnostics: file.diagnostics,
      };
    }
    let claims: Claim[] = [];
    let restored: string[] = [];
    const result = await updateTasksFile(tasksPath, (text) => {
      // Inside the lock, on the file as it is now: put back markers an editor overwrote, then
      // claim. Both are compare-and-swaps on the line, so a stale parse claims nothing.
      const afterRestore = restoreMarkers(text, parseOptions, running);
      const next = claimRunnable(afterRestore.text, parseOptions, input.newId);
      restored = afterRestore.restored;
      claims = next.claims;
      return next.text;
    });
    return {
      kind: 'scanned',
      hash: result.snapshot.hash,
      claims,
      restored,
      diagnostics: file.diagnostics,
    };
  } catch (error) {
    if (!isAdwError(error)) throw error;
    const hint = error.code === 'TASKS_FILE_MISSING' ? 'waiting for it to appear' : 'retrying';
    return { kind: 'problem', message: `${error.message}; ${hint}`, hash: null };
  }
}
