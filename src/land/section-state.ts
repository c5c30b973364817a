import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../system/write-file-atomic.js';

/** The last run of a section's checks. */
export interface ChecksRecord {
  status: 'passed' | 'failed';
  /** The section tip they ran on: a new tip (a task added and merged) runs them again. */
  tip: string;
  /** The failing command, null when they passed. */
  command: string | null;
  reason: string | null;
  /** Path of the log, relative to the repository. */
  log: string;
  finishedAt: string;
}

/** `.adw/sections/<name>/state.json`: what landing did with one section branch. */
export interface SectionState {
  section: string;
  pushedTip: string | null;
  pushedAt: string | null;
  /** Why the last push or PR update failed; null once one succeeds. */
  landError: string | null;
  pr: { url: string; number: number | null; draft: boolean } | null;
  checks: ChecksRecord | null;
}

/** The folder of one section's landing state and checks log (the name may hold `/`). */
export function sectionDir(adwDir: string, section: string): string {
  return join(adwDir, 'sections', encodeURIComponent(section));
}

/** The state of a section, or a fresh one. */
export async function readSectionState(adwDir: string, section: string): Promise<SectionState> {
  try {
    const text = await readFile(join(sectionDir(adwDir, section), 'state.json'), 'utf8');
    const parsed = JSON.parse(text) as Partial<SectionState>;
    if (parsed.section === section) return { ...emptyState(section), ...parsed };
  } catch {
    // No state yet, or unreadable: start afresh.
  }
  return emptyState(section);
}

/** Writes the state atomically (temp + rename). */
export async function writeSectionState(adwDir: string, state: SectionState): Promise<void> {
  const path = join(sectionDir(adwDir, state.section), 'state.json');
  await writeFileAtomic(path, JSON.stringify(state, null, 2) + '\n');
}

/** Every section with a landing state, by name. */
export async function listSectionStates(adwDir: string): Promise<Map<string, SectionState>> {
  const names = await readdir(join(adwDir, 'sections')).catch(() => []);
  const states = new Map<string, SectionState>();
  for (const name of names) {
    const section = decodeURIComponent(name);
    states.set(section, await readSectionState(adwDir, section));
  }
  return states;
}

function emptyState(section: string): SectionState {
  return { section, pushedTip: null, pushedAt: null, landError: null, pr: null, checks: null };
}
