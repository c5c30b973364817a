#!/usr/bin/env node
// Bench agent: appends ADW_ID to env BENCH_ID_LOG (if set), waits 2 s (a task's real work), then
// writes `agent-<ADW_ID>.txt` with the prompt (last argv) into cwd and commits it.
import { execFileSync } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';

const id = process.env.ADW_ID ?? 'x';
if (process.env.BENCH_ID_LOG) appendFileSync(process.env.BENCH_ID_LOG, `${id}\n`);
await new Promise((resolve) => setTimeout(resolve, 2000));
const file = `agent-${id}.txt`;
writeFileSync(file, `${process.argv.at(-1) ?? ''}\n`);
execFileSync('git', ['add', '--', file]);
execFileSync('git', ['commit', '-q', '--no-gpg-sign', '-m', `agent: ${file}`]);
