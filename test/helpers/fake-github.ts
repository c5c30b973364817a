import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { selectFields } from './graphql-select.js';
import { tempDir } from './temp.js';

/** A pull request as the stand-in keeps it. */
export interface FakePullRequest {
  id: string;
  number: number;
  url: string;
  title: string;
  body: string;
  headRefName: string;
  baseRefName: string;
  isDraft: boolean;
  state: 'OPEN' | 'CLOSED' | 'MERGED';
}

/** A stand-in of the GitHub API on a unix socket, for the real `gh` (see `env`). */
export interface FakeGitHub {
  /** What `gh` needs: GH_CONFIG_DIR (http_unix_socket), GH_HOST, GH_ENTERPRISE_TOKEN. */
  env: Record<string, string>;
  /** The remote URL gh recognises: `https://HOST/OWNER/REPO.git`. */
  remoteUrl: string;
  pulls: FakePullRequest[];
  /** GraphQL operation names in the order gh sent them. */
  operations: string[];
  close: () => Promise<void>;
}

const HOST = 'github.adw.test';
const OWNER = 'owner';
const REPO = 'repo';

interface GraphQlRequest {
  query: string;
  variables?: Record<string, unknown>;
}

/** Starts the stand-in: gh talks plain HTTP to its socket, no TLS, no DNS. */
export async function startFakeGitHub(defaultBranch = 'main'): Promise<FakeGitHub> {
  const dir = await tempDir('adw-gh-');
  const socket = join(dir, 'api.sock');
  const configDir = join(dir, 'config');
  const pulls: FakePullRequest[] = [];
  const operations: string[] = [];
  const repository = {
    id: 'R_1',
    name: REPO,
    owner: { login: OWNER },
    hasIssuesEnabled: true,
    description: '',
    hasWikiEnabled: false,
    viewerPermission: 'ADMIN',
    defaultBranchRef: { name: defaultBranch },
    parent: null,
    mergeCommitAllowed: true,
    rebaseMergeAllowed: true,
    squashMergeAllowed: true,
  };
  const view = (pull: FakePullRequest) => ({
    ...pull,
    headRepositoryOwner: { login: OWNER },
    headRepository: { name: REPO },
    isCrossRepository: false,
    author: { login: 'adw' },
    projectItems: { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } },
    projectCards: { nodes: [], totalCount: 0 },
  });
  const byHead = (variables: Record<string, unknown>, head: unknown) => {
    const states = (variables.states ?? variables.state ?? ['OPEN']) as string[];
    return pulls
      .filter((pull) => pull.headRefName === head && states.includes(pull.state))
      .map(view);
  };
  const pullByNumber = (variables: Record<string, unknown>) =>
    pulls.find((pull) => pull.number === Number(variables.pr_number ?? variables.number));

  const answer = (name: string, variables: Record<string, unknown>): Record<string, unknown> => {
    const input = (variables.input ?? {}) as Record<string, unknown>;
    switch (name) {
      case 'UserCurrent':
        return { viewer: { login: 'adw' } };
      case 'RepositoryInfo':
        return { repository };
      case 'PullRequestForBranch':
      case 'PullRequestList': {
        const nodes = byHead(variables, variables.headRefName ?? variables.headBranch);
        const page = { hasNextPage: false, endCursor: null };
        return {
          repository: {
            ...repository,
            pullRequests: { totalCount: nodes.length, nodes, pageInfo: page },
          },
        };
      }
      case 'PullRequestByNumber':
      case 'PullRequestProjectItems': {
        const pull = pullByNumber(variables);
        return {
          repository: { ...repository, pullRequest: pull === undefined ? null : view(pull) },
        };
      }
      case 'PullRequestCreate': {
        const number = pulls.length + 1;
        const pull: FakePullRequest = {
          id: `PR_${number}`,
          number,
          url: `https://${HOST}/${OWNER}/${REPO}/pull/${number}`,
          title: String(input.title),
          body: typeof input.body === 'string' ? input.body : '',
          headRefName: String(input.headRefName),
          baseRefName: String(input.baseRefName),
          isDraft: input.draft === true,
          state: 'OPEN',
        };
        pulls.push(pull);
        return { createPullRequest: { pullRequest: view(pull) } };
      }
      case 'PullRequestUpdate': {
        const pull = pulls.find((candidate) => candidate.id === input.pullRequestId);
        if (pull !== undefined && typeof input.body === 'string') pull.body = input.body;
        return { updatePullRequest: { pullRequest: pull === undefined ? null : view(pull) } };
      }
      case 'PullRequestReadyForReview': {
        const pull = pulls.find((candidate) => candidate.id === input.pullRequestId);
        if (pull !== undefined) pull.isDraft = false;
        return { markPullRequestReadyForReview: { pullRequest: { id: pull?.id ?? null } } };
      }
      default:
        throw new Error(`the stand-in does not know operation ${name}`);
    }
  };

  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      response.setHeader('content-type', 'application/json');
      if (request.method === 'GET' && request.url === '/api/v3/') {
        response.end('{}');
        return;
      }
      if (request.url !== '/api/graphql') {
        response.statusCode = 404;
        response.end('{"message":"Not Found"}');
        return;
      }
      const { query, variables = {} } = JSON.parse(text) as GraphQlRequest;
      const name = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? '';
      operations.push(name);
      try {
        response.end(JSON.stringify({ data: selectFields(query, answer(name, variables)) }));
      } catch (error) {
        response.end(JSON.stringify({ errors: [{ message: String(error) }] }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  await mkdir(configDir);
  await writeFile(join(configDir, 'config.yml'), `http_unix_socket: ${socket}\n`);
  return {
    env: { GH_CONFIG_DIR: configDir, GH_HOST: HOST, GH_ENTERPRISE_TOKEN: 'adw-test-token' },
    remoteUrl: `https://${HOST}/${OWNER}/${REPO}.git`,
    pulls,
    operations,
    close: () =>
      new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
}
