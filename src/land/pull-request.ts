import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AdwError } from '../errors.js';
import { runGh, type GhResult } from './gh.js';

/** A section's pull request as gh reports it. */
export interface PullRequest {
  url: string;
  number: number | null;
  draft: boolean;
}

/** What opening or updating a section's PR needs. */
export interface PullRequestJob {
  root: string;
  /** Where the body file is written (the section's state folder). */
  dir: string;
  head: string;
  base: string;
  title: string;
  body: string;
  /** Failing checks: a new PR is a draft. Passing: a draft PR is marked ready. */
  draft: boolean;
}

function check(result: GhResult, doing: string): string {
  if (result.code === 0) return result.stdout;
  const said = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-2).join(' ');
  throw new AdwError('LAND_UNAVAILABLE', `gh could not ${doing}: ${said}`);
}

/**
 * Opens the section's pull request with `gh pr create`, or, when one is already open for the
 * branch, replaces its body with `gh pr edit` (and marks it ready once the checks pass). Every
 * value is an argv element; the body goes through a file.
 */
export async function openOrUpdatePullRequest(job: PullRequestJob): Promise<PullRequest> {
  const bodyFile = join(job.dir, 'pr-body.md');
  await writeFile(bodyFile, job.body);
  const listed = check(
    await runGh(job.root, [
      'pr',
      'list',
      `--head=${job.head}`,
      '--state=open',
      '--json=number,url,isDraft',
    ]),
    `list the pull requests of ${job.head}`,
  );
  const open = (JSON.parse(listed) as { number: number; url: string; isDraft: boolean }[])[0];
  if (open !== undefined) {
    const id = String(open.number);
    check(
      await runGh(job.root, ['pr', 'edit', id, `--body-file=${bodyFile}`]),
      `update pull request ${id}`,
    );
    let draft = open.isDraft;
    if (draft && !job.draft) {
      check(await runGh(job.root, ['pr', 'ready', id]), `mark pull request ${id} ready`);
      draft = false;
    }
    return { url: open.url, number: open.number, draft };
  }
  const args = ['pr', 'create', `--head=${job.head}`, `--base=${job.base}`, `--title=${job.title}`];
  args.push(`--body-file=${bodyFile}`);
  if (job.draft) args.push('--draft');
  const created = check(await runGh(job.root, args), `open a pull request for ${job.head}`);
  const url = created.trim().split('\n').at(-1) ?? '';
  const number = /\/pull\/(\d+)$/.exec(url)?.[1];
  return { url, number: number === undefined ? null : Number(number), draft: job.draft };
}
