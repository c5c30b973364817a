// Builds the addons in native/build with the C compiler, at install (Linux only: they ask for
// Linux's file leases and pidfds). Optional: without a compiler or Node's headers, the daemon
// tells a finished save of tasks.md from one under way by the older means (a quiet window, /proc)
// and starts git with Node's spawn, and this says so without failing the install.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

// Each addon, and what the daemon does without it.
const ADDONS = [
  {
    name: 'write-lease',
    without: 'saves of tasks.md are judged finished by a quiet window instead',
  },
  { name: 'run-process', without: "git commands are started with Node's spawn instead" },
];

// The folder of node_api.h: npm's nodedir, or the include folder beside this node.
function headers() {
  const roots = [process.env.npm_config_nodedir, join(dirname(process.execPath), '..')];
  for (const root of roots) {
    if (root === undefined || root === '') continue;
    const dir = join(root, 'include', 'node');
    if (existsSync(join(dir, 'node_api.h'))) return dir;
  }
  return null;
}

// Why the addon was not built, or null once it is.
function build(name) {
  if (process.platform !== 'linux') return null;
  const include = headers();
  if (include === null) return 'no Node headers (node_api.h) found';
  const output = join(here, 'build', `${name}.node`);
  mkdirSync(dirname(output), { recursive: true });
  const source = join(here, `${name}.c`);
  const args = ['-O2', '-shared', '-fPIC', `-I${include}`, source, '-o', output];
  try {
    execFileSync(process.env.CC ?? 'cc', args, { stdio: ['ignore', 'inherit', 'inherit'] });
    return null;
  } catch (error) {
    return error.code === 'ENOENT' ? 'no C compiler (cc)' : 'the C compiler failed';
  }
}

for (const { name, without } of ADDONS) {
  const why = build(name);
  if (why !== null) console.warn(`adw-trigger: ${name} addon not built (${why}); ${without}`);
}
