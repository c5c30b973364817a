import { fileURLToPath } from 'node:url';
import type { FakeScenario } from './fake-anthropic.js';
import { tempDir } from './temp.js';

/** The real Claude Code CLI of the devDependency. */
export const claudeBin = fileURLToPath(new URL('../../node_modules/.bin/claude', import.meta.url));

/** Claude refuses --dangerously-skip-permissions as root unless IS_SANDBOX=1. */
export const isRoot = process.getuid?.() === 0;

/** Environment that points claude at the stand-in API at `url`, offline, with its own HOME. */
export async function claudeEnv(
  url: string,
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  return {
    ANTHROPIC_BASE_URL: url,
    ANTHROPIC_API_KEY: 'dummy',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    HOME: await tempDir('adw-home-'),
    // Whatever the surrounding shell says: claude only accepts exactly `1`.
    IS_SANDBOX: isRoot ? '1' : '0',
    ...extra,
  };
}

/**
 * The plan-implement turns: the plan step writes and commits specs/plan-$ADW_ID.md and answers a
 * summary; the implement step writes and commits greeting.txt.
 */
export const planImplementScenario: FakeScenario = (prompt) =>
  prompt.includes('Do not implement anything yet')
    ? [
        {
          tool: 'Bash',
          input: {
            command:
              'mkdir -p specs && printf "# Plan\\n" > "specs/plan-$ADW_ID.md" && git add specs && git commit -q -m "Plan greeting"',
          },
        },
        { text: 'PLAN-SUMMARY: one file, greeting.txt' },
      ]
    : [
        {
          tool: 'Bash',
          input: {
            command:
              "printf 'hi\\n' > greeting.txt && git add -A && git commit -q -m 'Add greeting'",
          },
        },
        { text: 'Implemented the plan' },
      ];
