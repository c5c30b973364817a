import { access, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// No Docker engine runs the tests, so the image is checked by reading its recipe: cheap, and
// enough to catch drift between the Dockerfile, package.json and what the docs promise.
const root = fileURLToPath(new URL('../../', import.meta.url));

interface Instruction {
  stage: string;
  keyword: string;
  args: string;
}

/** The Dockerfile as instructions: continuations joined, comments dropped, each with its stage. */
async function instructions(): Promise<Instruction[]> {
  const text = await readFile(`${root}Dockerfile`, 'utf8');
  const lines = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '');
  let stage = '';
  return lines.map((line) => {
    const [keyword = '', ...rest] = line.trim().split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') stage = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? args;
    return { stage, keyword: keyword.toUpperCase(), args };
  });
}

function lastOf(all: Instruction[], keyword: string): Instruction {
  const found = all.filter((instruction) => instruction.keyword === keyword).at(-1);
  if (found === undefined) throw new Error(`no ${keyword} in the Dockerfile`);
  return found;
}

async function packageJson(): Promise<{
  bin: Record<string, string>;
  files: string[];
  devDependencies: Record<string, string>;
}> {
  return JSON.parse(await readFile(`${root}package.json`, 'utf8')) as never;
}

describe('Dockerfile', () => {
  it('builds every stage on node:22-bookworm-slim, ending with the runtime stage', async () => {
    const froms = (await instructions()).filter((instruction) => instruction.keyword === 'FROM');
    expect(froms.map((from) => from.args)).toEqual([
      'node:22-bookworm-slim AS build',
      'node:22-bookworm-slim AS runtime',
    ]);
  });

  it('builds with the commands CI runs (npm ci, then npm run build) and a C compiler', async () => {
    const runs = (await instructions())
      .filter((instruction) => instruction.stage === 'build' && instruction.keyword === 'RUN')
      .map((instruction) => instruction.args);
    expect(runs.slice(-2)).toEqual(['npm ci', 'npm run build']);
    // Before them, only the C compiler that npm ci builds the addons with.
    expect(runs.slice(0, -2)).toHaveLength(1);
    expect(runs[0]).toMatch(/apt-get install -y --no-install-recommends gcc libc6-dev/);
  });

  it('installs only production dependencies, git, tini and CA certificates in the runtime stage', async () => {
    const runs = (await instructions())
      .filter((instruction) => instruction.stage === 'runtime' && instruction.keyword === 'RUN')
      .map((instruction) => instruction.args);
    expect(runs).toContain('npm ci --omit=dev && npm cache clean --force');
    const apt = runs.find((run) => run.includes('apt-get install'));
    expect(apt).toMatch(/apt-get install -y --no-install-recommends git tini ca-certificates/);
    expect(apt).toMatch(/rm -rf \/var\/lib\/apt\/lists\/\*$/);
  });

  it('pins the Claude Code version the project is tested with', async () => {
    const all = await instructions();
    const pinned = all.find((instruction) => instruction.args.startsWith('CLAUDE_CODE_VERSION='));
    const tested = (await packageJson()).devDependencies['@anthropic-ai/claude-code'];
    expect(pinned?.args).toBe(`CLAUDE_CODE_VERSION=${tested ?? 'missing'}`);
    expect(
      all.some((instruction) => instruction.args.includes('claude-code@${CLAUDE_CODE_VERSION}')),
    ).toBe(true);
  });

  it('runs as a non-root user with a HOME any uid can write', async () => {
    const all = await instructions();
    const user = lastOf(all, 'USER').args;
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(lastOf(all, 'ENV').args).toMatch(/HOME=\/home\/adw/);
    expect(all.some((instruction) => instruction.args.includes('chmod 1777 /home/adw'))).toBe(true);
    expect(all.some((instruction) => instruction.args.includes("safe.directory '*'"))).toBe(true);
  });

  it('starts the daemon on /repo under tini and checks its health', async () => {
    const all = await instructions();
    expect(JSON.parse(lastOf(all, 'ENTRYPOINT').args)).toEqual(['tini', '--', 'adw-trigger']);
    expect(JSON.parse(lastOf(all, 'CMD').args)).toEqual(['start', '--repo', '/repo']);
    expect(lastOf(all, 'VOLUME').args).toBe('/repo');
    expect(lastOf(all, 'WORKDIR').args).toBe('/repo');
    const health = lastOf(all, 'HEALTHCHECK').args;
    expect(JSON.parse(health.slice(health.indexOf('CMD ') + 4))).toEqual([
      'adw-trigger',
      'health',
      '--repo',
      '/repo',
    ]);
  });

  it('ships everything package.json publishes, and the command runs the published bin', async () => {
    const pkg = await packageJson();
    const copied = (await instructions())
      .filter((instruction) => instruction.stage === 'runtime' && instruction.keyword === 'COPY')
      .map((instruction) => instruction.args.replace(/^--from=\S+\s+/, '').split(' ')[0]);
    const sources = copied.map((source) => source?.replace(/^\/src\//, '') ?? '');
    // A file is shipped when it, or a folder it is in, is copied.
    for (const file of pkg.files) {
      const shipped = sources.filter((source) => file === source || file.startsWith(`${source}/`));
      expect(shipped, file).not.toEqual([]);
    }
    // The addon is built in the build stage, where the compiler is.
    expect(sources).toContain('native/build');
    const wrapper = await readFile(`${root}docker/adw-trigger`, 'utf8');
    expect(wrapper).toContain(
      `exec node /opt/adw-trigger/${pkg.bin['adw-trigger'] ?? 'missing'} "$@"`,
    );
  });

  it('copies only files that exist in the repository', async () => {
    const sources = (await instructions())
      .filter(
        (instruction) => instruction.keyword === 'COPY' && !instruction.args.startsWith('--from'),
      )
      .flatMap((instruction) => instruction.args.split(' ').slice(0, -1));
    for (const source of sources) {
      await expect(access(`${root}${source}`).then(() => source)).resolves.toBe(source);
    }
  });
});

describe('.dockerignore', () => {
  it('keeps dependencies, build output, git data and daemon state out of the build context', async () => {
    const ignored = (await readFile(`${root}.dockerignore`, 'utf8'))
      .split('\n')
      .map((line) => line.trim());
    for (const entry of ['node_modules', 'dist', '.git', 'coverage', 'trees', '.adw']) {
      expect(ignored).toContain(entry);
    }
  });
});
