import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Socket } from 'node:net';
import { gitFailure } from './run-git.js';

/** How long a `cat-file` left without questions is kept before its input is closed. */
const IDLE_MS = 5000;

// The cat-file processes running, stopped when this process exits: each would end anyway once
// its input closes, a moment later.
const running = new Set<ChildProcessWithoutNullStreams>();
let stopAtExit = false;

/** One question in flight: how many answer lines it waits for, and those read so far. */
interface Question {
  count: number;
  answers: string[];
  resolve: (answers: string[]) => void;
  reject: (error: Error) => void;
}

/**
 * git's answers for the commits that hashes, refs and branches name in one repository, from a
 * `git cat-file --batch-check` kept running: the daemon asks several times per task (the section
 * tip, the merge's refs), and a process for each question cost a fork and an exec on the path of
 * every task. git reads the refs and objects anew for every name, so a branch moved, made or
 * deleted since the process started is answered as it is now (a test moves, packs and deletes
 * refs under it). Questions are written as they come and answered in order. The process ends
 * after IDLE_MS (5 s) without a question, when this process exits, and when its input closes
 * because this process ended some other way: it never keeps a command or the daemon running.
 */
export class CommitLookup {
  #child: ChildProcessWithoutNullStreams | null = null;
  #questions: Question[] = [];
  #partial = '';
  #stderr = '';
  #idle: NodeJS.Timeout | null = null;

  constructor(
    private readonly root: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly idleMs = IDLE_MS,
  ) {}

  /**
   * The full sha of the commit each of `names` names, or null (missing, ambiguous, not a commit,
   * or a name git is not asked about: empty, or holding a line break that would read as two).
   * `^{commit}` peels tags and answers `missing` for a blob or tree: only commits count.
   */
  async lookUp(names: readonly string[]): Promise<(string | null)[]> {
    const askable = (name: string): boolean => name !== '' && !/[\r\n]/.test(name);
    const asked = names.filter(askable);
    const answers = asked.length === 0 ? [] : await this.#ask(asked);
    let next = 0;
    return names.map((name) => {
      if (!askable(name)) return null;
      const answer = answers[next++] ?? '';
      return /^([0-9a-f]{40,64}) commit /.exec(answer)?.[1] ?? null;
    });
  }

  /**
   * The hashes (hex abbreviations) among `hashes` that name no commit. An ambiguous abbreviation
   * names commits, so it is not unknown.
   */
  async unknown(hashes: readonly string[]): Promise<Set<string>> {
    const asked = [...new Set(hashes)].filter((hash) => /^[0-9a-f]{4,64}$/i.test(hash));
    if (asked.length === 0) return new Set();
    const answers = await this.#ask(asked);
    return new Set(asked.filter((_hash, index) => answers[index]?.endsWith(' missing') === true));
  }

  // git's answer line for each of `names`.
  async #ask(names: readonly string[]): Promise<string[]> {
    try {
      return await new Promise<string[]>((resolve, reject) => {
        const child = this.#child ?? this.#start();
        if (this.#idle !== null) clearTimeout(this.#idle);
        this.#idle = null;
        // Waiting for answers keeps this process running; the child alone never does.
        if (this.#questions.length === 0) pipe(child.stdout).ref();
        this.#questions.push({ count: names.length, answers: [], resolve, reject });
        child.stdin.write(names.map((name) => `${name}^{commit}\n`).join(''));
      });
    } catch (error) {
      throw gitFailure('GIT_FAILED', `Cannot look up commits in ${this.root}`, error);
    }
  }

  #start(): ChildProcessWithoutNullStreams {
    const child = spawn('git', ['cat-file', '--batch-check'], { cwd: this.root, env: this.env });
    this.#child = child;
    running.add(child);
    if (!stopAtExit) {
      stopAtExit = true;
      process.on('exit', () => {
        for (const each of running) each.kill('SIGKILL');
      });
    }
    this.#partial = '';
    this.#stderr = '';
    child.unref();
    for (const stream of [child.stdin, child.stdout, child.stderr]) pipe(stream).unref();
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      this.#read(chunk);
    });
    // Read, or warnings would fill the pipe and stop git; the last ones explain a failure.
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stderr = (this.#stderr + chunk).slice(-4000);
    });
    const fail = (error: Error): void => {
      this.#end(child, error);
    };
    child.on('error', fail);
    // A write to a git that has exited (EPIPE): its end, with what it said, follows.
    child.stdin.on('error', () => undefined);
    child.on('close', (code) => {
      running.delete(child);
      const said = this.#stderr.trim();
      fail(new Error(said === '' ? `git cat-file exited with code ${String(code)}` : said));
    });
    return child;
  }

  #read(chunk: string): void {
    const lines = (this.#partial + chunk).split('\n');
    this.#partial = lines.pop() ?? '';
    for (const line of lines) {
      const question = this.#questions[0];
      if (question === undefined) continue;
      question.answers.push(line);
      if (question.answers.length < question.count) continue;
      this.#questions.shift();
      question.resolve(question.answers);
    }
    if (this.#questions.length > 0 || this.#child === null) return;
    pipe(this.#child.stdout).unref();
    const child = this.#child;
    this.#idle = setTimeout(() => {
      if (this.#child === child && this.#questions.length === 0) this.#end(child, null);
    }, this.idleMs).unref();
  }

  // Lets `child` go (its input closed: git exits); questions still waiting on it fail.
  #end(child: ChildProcessWithoutNullStreams, error: Error | null): void {
    if (this.#child !== child) return;
    this.#child = null;
    if (this.#idle !== null) clearTimeout(this.#idle);
    this.#idle = null;
    child.stdin.end();
    const waiting = this.#questions.splice(0);
    for (const question of waiting) question.reject(error ?? new Error('git cat-file ended'));
  }
}

// A child's stdio stream is a pipe, a Socket: it can stop keeping this process running.
function pipe(stream: NodeJS.ReadableStream | NodeJS.WritableStream): Socket {
  return stream as unknown as Socket;
}
