// Benchmark: parse + runnable of a 10,000-task tasks.md, against a floor of splitting the same
// text into lines and testing each with a regex. Run `npm run build` first (imports dist/).
import { pathToFileURL } from 'node:url';

const RUNS = 21;
const WARMUP = 5;

/** A tasks.md with 10,000 tasks in 20 sections: blocked tasks, details, tags, done and failed. */
export function makeTasksFile(count = 10_000) {
  const parts = ['# Tasks\n\nNotes about this file.\n\n'];
  const perSection = 500;
  for (let index = 0; index < count; index += 1) {
    if (index % perSection === 0) parts.push(`\n## Git Worktree feature-${index / perSection}\n\n`);
    const kind = index % 10;
    const id = index.toString(16).padStart(8, '0');
    if (kind === 0)
      parts.push(`[⏰] Wire step ${index} once the above is done {opus, adw_plan_implement}\n`);
    else if (kind === 1) parts.push(`- [] List item task ${index} #sonnet\n`);
    else if (kind === 2) parts.push(`[✅ 3ecdebb33, ${id}] Finished task ${index}\n`);
    else if (kind === 3)
      parts.push(`[❌, ${id}] Failed task ${index} // Failed: agent timed out\n`);
    else parts.push(`[] Do the thing number ${index} with care #haiku // a note\n`);
    if (index % 4 === 0) parts.push(`  detail line for task ${index}\n`);
  }
  return parts.join('');
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(run) {
  for (let index = 0; index < WARMUP; index += 1) run();
  const times = [];
  for (let index = 0; index < RUNS; index += 1) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return median(times);
}

/** The same tasks with a blank line every 7 lines and one code fence near the top. */
export function makeMixedFile(count = 10_000) {
  const lines = makeTasksFile(count).split('\n');
  const out = [];
  lines.forEach((line, index) => {
    out.push(line);
    if (index % 7 === 0) out.push('');
  });
  out.splice(50, 0, '', '```', '[] not a task', '```', '');
  return out.join('\n');
}

/**
 * The 10,000-task file with named dependencies: every task named, every task waiting on the task
 * before it and on one 500 lines up (another section): a chain of 10,000 through every section.
 * With `down`, each waits on the task after it and one 500 lines down instead, so the cycle check
 * builds and walks the whole wait graph (dependencies that all point up cannot form a cycle);
 * its `[⏰]` tasks are `[]` then, since waiting on the lines above and below would be a cycle.
 */
export function makeDependencyFile(count = 10_000, down = false) {
  let index = 0;
  const step = down ? -1 : 1;
  const tasks = down ? makeTasksFile(count).replaceAll('[⏰]', '[]') : makeTasksFile(count);
  return tasks.replace(/^(.*\] .*?)( \/\/ .*)?$/gm, (_line, body, note) => {
    const own = index;
    index += 1;
    const near = own - step;
    const far = own - 500 * step;
    const names = [near, far].filter((other) => other >= 0 && other < count);
    const after = names.length === 0 ? '' : ` #after:${names.map((n) => `t${n}`).join(',')}`;
    return `${body} #name:t${own}${after}${note ?? ''}`;
  });
}

/**
 * parse + runnable on the shapes of issue 15: 10k plain, 10k mixed, 100k mixed (linear: within
 * 10× the 10k figure). Floor: split + regex on the same text.
 */
export async function benchParseShapes() {
  const { parseTasks } = await import('../dist/tasks/index.js');
  const options = {
    defaultSection: 'adw',
    defaultModel: 'sonnet',
    defaultWorkflow: 'build',
    workflows: [],
  };
  const marker = /^\s*(?:[-*+]\s+)?\[[^\]]*\]/;
  const results = [];
  for (const [name, source] of [
    ['parse 10,000 tasks, plain', makeTasksFile()],
    ['parse 10,000 tasks, plain, with name: and after: dependencies', makeDependencyFile()],
    [
      'same, each after: pointing down (the cycle check walks the graph)',
      makeDependencyFile(10_000, true),
    ],
    ['parse 10,000 tasks, blank lines + a fence', makeMixedFile()],
    ['parse 100,000 tasks, blank lines + a fence', makeMixedFile(100_000)],
  ]) {
    let sink = 0;
    const medianMs = time(() => {
      sink += parseTasks(source, options).tasks.filter((task) => task.runnable).length;
    });
    const floorMs = time(() => {
      for (const line of source.split(/\r\n|\r|\n/)) if (marker.test(line)) sink += 1;
    });
    if (sink === 0) throw new Error('benchmark parsed no tasks');
    results.push({ name, medianMs, floorMs, ratio: medianMs / floorMs });
  }
  return results;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const result of await benchParseShapes()) {
    console.log(
      `${result.name}: median ${result.medianMs.toFixed(2)} ms, floor ${result.floorMs.toFixed(2)} ms, ratio ${result.ratio.toFixed(1)}x`,
    );
  }
}
