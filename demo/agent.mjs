#!/usr/bin/env node
// The scripted agent of `adw-trigger demo`: stands in for Claude Code so the demo needs nothing
// installed. It receives the task as its last argument, writes the file the task names, and
// commits it (or leaves it for the daemon to commit). It refuses tasks that deploy.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const prompt = process.argv.at(-1) ?? '';
const id = process.env.ADW_ID ?? 'task';
const git = (...args) => execFileSync('git', args, { encoding: 'utf8' }).trim();

await new Promise((resolve) => setTimeout(resolve, 300 + Math.random() * 500));
console.log(`demo agent: working on "${prompt.split('\n')[0]}" in ${process.cwd()}`);

if (/\bdeploy/i.test(prompt)) {
  console.log('WORK_RESULT:failed the demo agent does not deploy anything');
  process.exit(0);
}

const file = /[\w/-]+\.(?:txt|md)\b/.exec(prompt)?.[0] ?? `${id}.txt`;
const content = /\bsummary\b/i.test(prompt)
  ? `Files present when this task started:\n${git('ls-files')}\n`
  : `${prompt}\n\n(written by the demo agent for task ${id})\n`;
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, content);

if (/#leave-uncommitted|uncommitted/i.test(prompt)) {
  console.log(`demo agent: wrote ${file}, leaving the commit to adw-trigger`);
} else {
  git('add', file);
  git('commit', '-q', '-m', `demo: ${file}`);
  console.log(`demo agent: wrote and committed ${file}`);
}
