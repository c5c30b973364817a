import type { Task } from '../tasks/index.js';
import { listSectionStates } from './section-state.js';

/** One section in `status --json`: its landing state. */
export interface StatusSection {
  name: string;
  /** URL of the section's pull request, once opened. */
  pr: string | null;
  prDraft: boolean;
  /** The section tip last pushed to the remote. */
  pushed: string | null;
  checks: 'passed' | 'failed' | null;
  /** The checks log, relative to the repository, once they ran. */
  checksLog: string | null;
  /** Why the last push or PR update failed. */
  landError: string | null;
}

/** The sections of the task file, in order, with what landing recorded for each. */
export async function sectionReports(
  adwDir: string,
  tasks: readonly Task[],
): Promise<StatusSection[]> {
  const states = await listSectionStates(adwDir);
  const names = [...new Set(tasks.map((task) => task.section))];
  return names.map((name) => {
    const state = states.get(name);
    return {
      name,
      pr: state?.pr?.url ?? null,
      prDraft: state?.pr?.draft ?? false,
      pushed: state?.pushedTip ?? null,
      checks: state?.checks?.status ?? null,
      checksLog: state?.checks?.log ?? null,
      landError: state?.landError ?? null,
    };
  });
}

/** The landing facts the text view adds after a section's progress. */
export function sectionNotes(section: StatusSection | undefined): string[] {
  if (section === undefined) return [];
  const notes: string[] = [];
  if (section.checks === 'failed') notes.push(`checks failed (log ${section.checksLog ?? '?'})`);
  if (section.checks === 'passed') notes.push('checks passed');
  if (section.pr !== null) notes.push(`${section.prDraft ? 'draft PR' : 'PR'} ${section.pr}`);
  else if (section.pushed !== null) notes.push(`pushed ${section.pushed.slice(0, 9)}`);
  if (section.landError !== null) notes.push(`not landed: ${section.landError}`);
  return notes;
}
