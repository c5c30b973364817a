import { formatDuration } from '../config/index.js';
import { describePause } from '../runs/index.js';
import { formatDiagnostic } from '../tasks/index.js';
import { sectionNotes } from '../land/section-report.js';
import type { StatusExtras, StatusReport, StatusTask } from './status-report.js';
import { costLine } from './status-cost.js';
import { fleetLines, fleetPlace } from './fleet-view-lines.js';
import { printable } from './terminal-text.js';

const BAR_WIDTH = 20;

function bar(done: number, total: number): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
}

function elapsed(since: string, now: number): string {
  const ms = Math.max(0, now - Date.parse(since));
  return formatDuration(Math.round(ms / 1000) * 1000);
}

/** The text of `adw-trigger status`: sections, running, failed, blocked, diagnostics. */
export function renderStatus(report: StatusReport, extras: StatusExtras, now = Date.now()): string {
  const out: string[] = [`${report.file}: ${report.tasks.length} tasks`];
  if (report.pause !== null) {
    out.push(describePause(report.pause), `  ${report.pause.hint}`);
  }
  const { todayUsd, maxCostPerDay } = report.spend;
  if (maxCostPerDay !== null) {
    out.push(
      `Spent today: $${todayUsd.toFixed(2)} of $${maxCostPerDay.toFixed(2)} (maxCostPerDay)`,
    );
  }
  // One pass each: status runs on files of 100,000 tasks.
  const sections = new Map<string, StatusTask[]>();
  for (const task of report.tasks) {
    const tasks = sections.get(task.section);
    if (tasks === undefined) sections.set(task.section, [task]);
    else tasks.push(task);
  }
  const mergeWaiting = new Map<string, number>();
  for (const record of extras.records.values())
    if (record.status === 'merge-waiting')
      mergeWaiting.set(record.section, (mergeWaiting.get(record.section) ?? 0) + 1);
  const width = Math.max(0, ...[...sections.keys()].map((name) => name.length));
  out.push('', 'Sections');
  for (const [name, tasks] of sections) {
    const done = tasks.filter((t) => t.status === 'done').length;
    const failed = tasks.filter((t) => t.status === 'failed').length;
    const running = tasks.filter((t) => t.status === 'in_progress').length;
    const parts = [`${done}/${tasks.length} done`];
    if (running > 0) parts.push(`${running} running`);
    if (failed > 0) parts.push(`${failed} failed`);
    const waiting = mergeWaiting.get(name) ?? 0;
    if (waiting > 0) parts.push(`${waiting} merge waiting (branch ${name} is checked out)`);
    parts.push(...sectionNotes(report.sections.find((section) => section.name === name)));
    out.push(`  ${name.padEnd(width)}  ${bar(done, tasks.length)} ${parts.join(', ')}`);
  }

  const runs = new Map(report.runs.map((run) => [run.id, run]));
  const inProgress = report.tasks.filter((t) => t.status === 'in_progress');
  if (inProgress.length > 0) {
    out.push('', 'Running');
    for (const task of inProgress) {
      const run = task.id === null ? undefined : runs.get(task.id);
      if (run === undefined) {
        const why =
          task.id === null
            ? 'no ID: set by hand'
            : extras.records.has(task.id)
              ? 'its daemon is not running'
              : 'no run record: set by hand?';
        out.push(`  line ${task.line}  ${task.id ?? '-'}  ${task.description}  (${why})`);
        continue;
      }
      const cost = run.costUsd === null ? '' : `  $${run.costUsd.toFixed(2)}`;
      const where = run.attempt === undefined ? '' : `  ${fleetPlace(run.attempt, run.worker)}`;
      out.push(
        `  line ${task.line}  ${run.id}  step ${run.step ?? 'starting'}  ${elapsed(run.startedAt, now)}${cost}${where}  ${task.description}`,
      );
    }
  }

  if (report.fleet !== undefined) out.push('', ...fleetLines(report.fleet, now));

  const failed = report.tasks.filter((t) => t.status === 'failed');
  if (failed.length > 0) {
    out.push('', 'Failed (adw-trigger retry ID puts one back)');
    for (const task of failed)
      out.push(
        `  line ${task.line}  ${task.id ?? '-'}  ${task.description}: ${task.error ?? 'no reason recorded'}`,
      );
  }

  // Blocked ([⏰]) or pending with after: names, waiting on a line that is not done yet.
  const blocked = report.tasks.filter((t) => t.blockedBy !== null);
  if (blocked.length > 0) {
    out.push('', 'Blocked');
    for (const task of blocked) {
      const why = task.blockedReason === null ? '' : ` (${task.blockedReason})`;
      out.push(
        `  line ${task.line}  waits on line ${task.blockedBy ?? '?'}${why}  ${task.description}`,
      );
    }
  }

  const ready = report.tasks.filter((t) => t.runnable);
  if (ready.length > 0)
    out.push('', `Ready to start: ${ready.length} (lines ${ready.map((t) => t.line).join(', ')})`);

  const cost = costLine(report.cost);
  if (cost !== null) out.push('', cost);

  const { worktrees, branches } = report.clean;
  if (worktrees + branches > 0)
    out.push(
      '',
      `Clean: ${worktrees} worktrees and ${branches} merged branches can go (adw-trigger clean --branches)`,
    );

  if (report.diagnostics.length > 0) {
    out.push('', 'Diagnostics');
    for (const diagnostic of report.diagnostics)
      out.push(`  ${formatDiagnostic(report.file, diagnostic)}`);
  }
  return printable(out.join('\n')) + '\n';
}
