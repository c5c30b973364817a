import { isAdwError } from '../errors.js';
import { readTasksFile, updateTasksFile } from '../store/index.js';
import { conflictMarkerLines, formatDiagnostic, parseTasks } from '../tasks/index.js';
import type { Diagnostic, ParseOptions } from '../tasks/index.js';
import { claimRunnable } from './claims.js';
import type { Claim } from './claims.js';
import { reconcile } from './reconcile.js';
import type { MarkerChange } from './reconcile.js';
import type { RunRecord } from '../runs/index.js';

/** What one scan of tasks.md found and did. */
export type ScanResult =
  | { kind: 'unchanged' }
  /** `hint`: what the daemon does about it meanwhile ("retrying"), logged after the message. */
  | { kind: 'problem'; message: string; hint?: string; hash: string | null }
  | { kind: 'conflict'; lines: number[]; hash: string }
  | {
      kind: 'scanned';
      /**
       * The hash of the file as this scan read it all; null when the file now holds bytes it did
       * not read (appended while its write was made, and placed after it): scan again.
       */
      hash: string | null;
      /** The file's text after the scan (and its write, if any). */
      text: string;
      claims: Claim[];
      /** Markers put back from the run records (stale copies, forged markers, outcomes). */
      changes: MarkerChange[];
      /** Active runs whose line is gone from the file. */
      missing: string[];
      /** Runnable tasks left unclaimed (no free slot, or a line changed under the claim). */
      runnableLeft: number;
      /** Problems of the file as read before claiming: their lines are left alone. */
      diagnostics: Diagnostic[];
    };

/** What a scan needs: the file, the records that own its markers, free slots, new IDs. */
export interface ScanInput {
  tasksPath: string;
  parseOptions: ParseOptions;
  /** Every run record, this daemon's own ones as it holds them now. */
  records: () => Promise<RunRecord[]>;
  /** Hash of the file as last scanned or written; the same bytes are not scanned again. */
  lastHash: string | null;
  /** Scan even if the bytes are the same (a task ended: blocked tasks may be runnable now). */
  force: boolean;
  /** How many tasks may be claimed now. */
  freeSlots: () => number;
  newId: (taken: ReadonlySet<string>) => string;
  /** Writes the run records of new claims: called inside the lock, before their markers. */
  recordClaims: (claims: readonly Claim[]) => Promise<void>;
  /** Drops the records of claims whose markers never reached the file. */
  dropClaims: (claims: readonly Claim[]) => Promise<void>;
}

/**
 * Reads tasks.md and, if its markers disagree with the run records or there is anything to claim,
 * does both in one locked read-modify-write. A file in merge conflict is neither claimed from nor
 * written. Problems of the file (missing, not UTF-8, read-only, lock held) are results, not
 * exceptions: the daemon reports them and tries again later.
 */
export async function scanAndClaim(input: ScanInput): Promise<ScanResult> {
  const { tasksPath, parseOptions } = input;
  let claims: Claim[] = [];
  // The records of the claims being written: a drop waits for them.
  let recorded: Promise<void> = Promise.resolve();
  const written = (): Promise<void> => recorded.catch(() => undefined);
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
    const conflict = conflictMarkerLines(snapshot.text);
    if (conflict.length > 0) return { kind: 'conflict', lines: conflict, hash: snapshot.hash };
    // Look before taking the lock: most scans find nothing to claim, restore or cancel. A scan
    // that will claim takes the lock anyway, and reconciles inside it.
    const file = parseTasks(snapshot.text, parseOptions);
    const runnable = file.tasks.filter((task) => task.runnable).length;
    const diagnostics = file.diagnostics;
    if ((input.freeSlots() <= 0 || runnable === 0) && !(await disagrees(snapshot.text, input))) {
      const { hash, text } = snapshot;
      const none = { claims: [], changes: [], missing: [] };
      return { kind: 'scanned', hash, text, ...none, runnableLeft: runnable, diagnostics };
    }
    let changes: MarkerChange[] = [];
    let missing: string[] = [];
    let conflictInside: number[] = [];
    let edited = null as string | null; // the text the last edit made
    const result = await updateTasksFile(tasksPath, async (text) => {
      // Inside the lock, on the file as it is now (and quiet): markers back from the records,
      // then claims, whose records are written before their markers reach the file.
      await written();
      await input.dropClaims(claims);
      claims = [];
      conflictInside = conflictMarkerLines(text);
      if (conflictInside.length > 0) return null;
      const reconciled = reconcile(text, await input.records(), parseOptions);
      const next = claimRunnable(reconciled.text, parseOptions, input.newId, input.freeSlots());
      changes = reconciled.changes;
      missing = reconciled.missing;
      claims = next.claims;
      edited = next.text;
      // Written while the new tasks.md is; the rename waits for them (and does not happen if
      // they fail).
      recorded = input.recordClaims(claims);
      return { text: next.text, before: recorded };
    });
    if (conflictInside.length > 0) {
      return { kind: 'conflict', lines: conflictInside, hash: result.snapshot.hash };
    }
    const { text } = result.snapshot;
    // Lines appended during the write were placed after it unread: tasks to claim, or lines to
    // give their markers back, that no later look at these same bytes would see.
    const hash = result.written && text !== edited ? null : result.snapshot.hash;
    const runnableLeft = Math.max(0, runnable - claims.length);
    return { kind: 'scanned', hash, text, claims, changes, missing, runnableLeft, diagnostics };
  } catch (error) {
    // Claims recorded for a write that did not happen: their markers never reached the file.
    await written();
    await input.dropClaims(claims);
    if (!isAdwError(error)) throw error;
    const hint = error.code === 'TASKS_FILE_MISSING' ? 'waiting for it to appear' : 'retrying';
    return { kind: 'problem', message: error.message, hint, hash: null };
  }
}

// True when the markers of `text` disagree with the run records (a marker to put back, a run
// whose line is gone).
async function disagrees(text: string, input: ScanInput): Promise<boolean> {
  const looked = reconcile(text, await input.records(), input.parseOptions);
  return looked.changes.length > 0 || looked.missing.length > 0;
}
