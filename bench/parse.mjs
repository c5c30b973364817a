// Benchmark: parse + runnable of a 10,000-task tasks.md, against a floor of splitting the same
// text into lines and testing each with a regex. Run `npm run build` first (imports dist/).
// `node bench/parse.mjs --against OTHER/dist/tasks/index.js` also times another build of the
// parser, run by run in turn with this one.
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
 * parse + runnable on the shapes of issue 15: 10k plain, 10k named (after: up, then down), 10k
 * mixed, 100k mixed (linear: within 10× the 10k figure). Floor: split + regex on the same text.
 * Every shape is parsed a few times before any row is timed: the first row would otherwise pay
 * for the JIT compiling the parser and for the heap growing to its working size (this made the
 * plain row, timed first, slower than the mixed one). With `against` (a built `tasks/index.js`
 * of another version), that parser is timed too, alternating with this one run by run.
 */
export async function benchParseShapes({ against } = {}) {
  const { parseTasks } = await import('../dist/tasks/index.js');
  const other =
    against === undefined ? null : (await import(pathToFileURL(against).href)).parseTasks;
  const options = {
    defaultSection: 'adw',
    defaultModel: 'sonnet',
    defaultWorkflow: 'build',
    workflows: [],
  };
  const marker = /^\s*(?:[-*+]\s+)?\[[^\]]*\]/;
  const shapes = [
    ['parse 10,000 tasks, plain', makeTasksFile()],
    ['parse 10,000 tasks, plain, with name: and after: dependencies', makeDependencyFile()],
    [
      'same, each after: pointing down (the cycle check walks the graph)',
      makeDependencyFile(10_000, true),
    ],
    ['parse 10,000 tasks, blank lines + a fence', makeMixedFile()],
    ['parse 100,000 tasks, blank lines + a fence', makeMixedFile(100_000)],
  ];
  let sink = 0;
  const count = (parse, source) => {
    sink += parse(source, options).tasks.filter((task) => task.runnable).length;
  };
  for (const [, source] of shapes) {
    for (let index = 0; index < WARMUP; index += 1) {
      count(parseTasks, source);
      if (other !== null) count(other, source);
    }
  }
  const results = [];
  for (const [name, source] of shapes) {
    let medianMs;
    let againstMs = null;
    if (other === null) medianMs = time(() => count(parseTasks, source));
    else
      [medianMs, againstMs] = timeBoth(
        () => count(parseTasks, source),
        () => count(other, source),
      );
    const floorMs = time(() => {
      for (const line of source.split(/\r\n|\r|\n/)) if (marker.test(line)) sink += 1;
    });
    results.push({ name, medianMs, floorMs, ratio: medianMs / floorMs, againstMs });
  }
  if (sink === 0) throw new Error('benchmark parsed no tasks');
  return results;
}

// Medians of two runs timed in turn, so that both see the same load.
function timeBoth(first, second) {
  const times = [[], []];
  for (let index = 0; index < RUNS; index += 1) {
    [first, second].forEach((run, which) => {
      const start = performance.now();
      run();
      times[which].push(performance.now() - start);
    });
  }
  return [median(times[0]), median(times[1])];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const flag = process.argv.indexOf('--against');
  const against = flag === -1 ? undefined : process.argv[flag + 1];
  const results = await benchParseShapes({ against });
  const plain = results[0]?.medianMs ?? NaN;
  for (const result of results) {
    const versus =
      result.againstMs === null ? '' : `, --against build ${result.againstMs.toFixed(2)} ms`;
    console.log(
      `${result.name}: median ${result.medianMs.toFixed(2)} ms, floor ${result.floorMs.toFixed(2)} ms, ratio ${result.ratio.toFixed(1)}x, ${(result.medianMs / plain).toFixed(2)}x the plain row${versus}`,
    );
  }
}
