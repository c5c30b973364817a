import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// CLI and daemon tests run the real program as a child process: build it once per test run.
export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  // As `npm run build`: the data the compiled program reads instead of loading zod and yaml.
  execFileSync(process.execPath, ['scripts/build-data.mjs'], { cwd: root, stdio: 'inherit' });
}
