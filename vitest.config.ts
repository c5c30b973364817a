import { defineConfig } from 'vitest/config';

// Two projects: `fast` (pure code, small real repos) keeps the edit loop quick; `slow` holds the
// end-to-end runs with real agents, many worktrees and real Claude Code.
export default defineConfig({
  test: {
    // The JSON report lets CI print one plain `N passed, N failed` line.
    reporters: ['default', 'json'],
    outputFile: { json: 'coverage/test-results.json' },
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
    },
    projects: [
      {
        test: {
          name: 'fast',
          globalSetup: ['test/global-setup.ts'],
          include: ['test/**/*.test.ts'],
          exclude: ['test/slow/**'],
          // A guard against a hang, not a speed limit: the property tests take 15 s on two idle
          // cores and over 30 s when both are busy.
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'slow',
          globalSetup: ['test/global-setup.ts'],
          include: ['test/slow/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
