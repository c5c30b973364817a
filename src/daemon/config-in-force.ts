import { relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import { agentSpecOf, CLAUDE_DEFAULT_MODEL } from '../agents/index.js';
import type { AgentSpec } from '../agents/index.js';
import { configFileName, configKeys, formatConfigValue, loadConfig } from '../config/index.js';
import type { Config, ConfigKey, LoadConfigOptions } from '../config/index.js';
import type { ParseOptions } from '../tasks/index.js';
import { loadWorkflows } from '../workflows/index.js';
import type { Workflow } from '../workflows/index.js';
import { configFingerprint, watchConfigFiles, workflowsDirOf } from './config-files.js';
import { serialRunner } from './serial.js';

/** What a task starts with: the configuration, the workflows and the agent built from them. */
export interface InForce {
  config: Config;
  workflows: readonly Workflow[];
  agent: AgentSpec;
}

/**
 * Keys whose new value waits for the next start: the files and folders the daemon watches, locks
 * and excludes (`tasks`, `worktreeDir`, `linkDirs`), the section of unheaded tasks (it decides
 * which branch held tasks belong to), the timers, listeners and landing set up once at start.
 */
export const RESTART_KEYS: readonly ConfigKey[] = [
  'tasks',
  'queue',
  'queueLockDuration',
  'queueStalledInterval',
  'queueOutageGrace',
  'pollInterval',
  'defaultSection',
  'worktreeDir',
  'linkDirs',
  'http',
  'httpToken',
  'notify',
  'land',
  'remote',
  'prBase',
  'sectionChecks',
];

/** Whether the configuration on disk is the one in force (shown by `status` and the HTTP state). */
export interface ConfigState {
  /** False when a changed file was refused: tasks start with the last good configuration. */
  inForce: boolean;
  /** The refused file, relative to the repository; null when in force. */
  file: string | null;
  /** Why it was refused (the loader's message: file, key, value); null when in force. */
  error: string | null;
  /** Keys changed on disk that only a restart applies; their old values stay in force. */
  needsRestart: ConfigKey[];
  /** When the configuration in force was loaded. */
  loadedAt: string;
}

/** Where a reload reads from: the repository, and the flags and environment of the start. */
export interface ReloadSource {
  root: string;
  load: LoadConfigOptions;
  /** Refuses a configuration whose values are valid but cannot run (the agent is not found). */
  check: (next: InForce) => Promise<string | null>;
  log: Logger;
}

/**
 * The one owner of the configuration in force. The dispatch reads `current()` for free slots and
 * each task reads it once, at its start, and keeps what it got: a reload changes what later tasks
 * start with, never a running one. A changed file that fails to load is refused whole (the last
 * good configuration stays) and logged once; keys that cannot change live keep their old value.
 */
export class ConfigInForce {
  #current: InForce;
  #state: ConfigState;
  readonly #source: ReloadSource | null;
  readonly #listeners = new Set<(state: ConfigState) => void>();
  #fingerprint: string | null = null;
  /** The disk value of each restart key already logged, so it is said once. */
  #restartLogged = new Map<ConfigKey, unknown>();
  readonly #runner = serialRunner(() => this.#reload(), {
    onError: (error) =>
      this.#source?.log.error({ err: error }, 'could not reload the configuration'),
    stopped: () => false,
  });

  /** The parser's options, read at each use: tasks parse with the workflows and defaults in force. */
  readonly parseOptions: ParseOptions;

  constructor(initial: InForce, source: ReloadSource | null = null) {
    this.#current = initial;
    this.#source = source;
    this.#state = {
      inForce: true,
      file: null,
      error: null,
      needsRestart: [],
      loadedAt: new Date().toISOString(),
    };
    const current = (): InForce => this.#current;
    this.parseOptions = {
      get defaultSection() {
        return current().config.defaultSection;
      },
      get defaultModel() {
        return current().config.model ?? CLAUDE_DEFAULT_MODEL;
      },
      get defaultWorkflow() {
        return current().config.workflow;
      },
      get workflows() {
        return current().workflows;
      },
    };
  }

  /** The configuration a task starting now runs with. */
  current(): InForce {
    return this.#current;
  }

  /** Whether the files on disk are in force. */
  state(): ConfigState {
    return this.#state;
  }

  /** Calls `listener` after each reload that changed the configuration or its state. */
  subscribe(listener: (state: ConfigState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Reads the files again if they changed; one reload at a time. */
  reload(): Promise<void> {
    return this.#runner.request();
  }

  /** Reloads whenever adw-trigger.json or a workflow file changes (and at each poll). */
  watch(options: { poll: boolean; pollMs: number }): () => Promise<void> {
    const source = this.#source;
    if (source === null) return () => Promise.resolve();
    return watchConfigFiles(source.root, () => void this.reload(), options);
  }

  // The first reload (fingerprint null) loads once and finds nothing changed: no log.
  async #reload(): Promise<void> {
    const source = this.#source;
    if (source === null) return;
    const print = await configFingerprint(source.root);
    if (print === this.#fingerprint) return;
    this.#fingerprint = print;
    const loaded = await this.#load(source);
    if (loaded === null) return;
    const { next, disk } = loaded;
    const needsRestart = this.#restartWaiting(disk, source.log);
    const changed = this.#changes(next);
    const wasRefused = !this.#state.inForce;
    const restartChanged = !isDeepStrictEqual(needsRestart, this.#state.needsRestart);
    if (changed.length === 0 && !wasRefused && !restartChanged) return;
    const loadedAt = changed.length > 0 ? new Date().toISOString() : this.#state.loadedAt;
    this.#current = next;
    this.#state = { inForce: true, file: null, error: null, needsRestart, loadedAt };
    if (wasRefused) {
      source.log.info({ changed }, 'the configuration on disk is valid again and is in force');
    }
    if (changed.length > 0) {
      source.log.info(
        { changed },
        `configuration reloaded (${changed.join('; ')}): tasks started from now on use it`,
      );
    }
    this.#announce();
  }

  /**
   * The configuration on disk (`disk`) and what would run (`next`: restart keys keep their value
   * in force), or null when it is refused (logged once).
   */
  async #load(source: ReloadSource): Promise<{ next: InForce; disk: Config } | null> {
    let file = configFileName;
    try {
      const { config: disk } = await loadConfig(source.load);
      file = relative(source.root, workflowsDirOf(source.root));
      const workflows = await loadWorkflows(source.root);
      file = configFileName;
      const config: Config = { ...disk };
      for (const key of RESTART_KEYS) Object.assign(config, { [key]: this.#current.config[key] });
      const next = { config, workflows, agent: agentSpecOf(config, source.root) };
      const problem = await source.check(next);
      if (problem !== null) throw new Error(`${configFileName}: ${problem}`);
      return { next, disk };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const named = /^(.+?\.md):\d+:/.exec(message)?.[1];
      this.#refuse(named === undefined ? file : relative(source.root, named), message);
      return null;
    }
  }

  #refuse(file: string, message: string): void {
    if (this.#state.error !== message) {
      this.#source?.log.error(
        { file, loadedAt: this.#state.loadedAt },
        `${message} (the configuration loaded at ${this.#state.loadedAt} stays in force)`,
      );
    }
    this.#state = { ...this.#state, inForce: false, file, error: message };
    this.#announce();
  }

  // Restart keys whose value on disk differs from the one in force; each is logged once.
  #restartWaiting(disk: Config, log: Logger): ConfigKey[] {
    const waiting: ConfigKey[] = [];
    for (const key of RESTART_KEYS) {
      const running = this.#current.config[key];
      if (isDeepStrictEqual(disk[key], running)) {
        this.#restartLogged.delete(key);
        continue;
      }
      waiting.push(key);
      if (
        this.#restartLogged.has(key) &&
        isDeepStrictEqual(this.#restartLogged.get(key), disk[key])
      )
        continue;
      this.#restartLogged.set(key, disk[key]);
      log.warn(
        { key, value: formatConfigValue(key, disk[key]) },
        `${configFileName}: \`${key}\` changed to ${formatConfigValue(key, disk[key])}: needs a restart; ${formatConfigValue(key, running)} stays in force until then`,
      );
    }
    return waiting;
  }

  // What changed, as `key old → new` (workflows by name), for the log.
  #changes(next: InForce): string[] {
    const before = this.#current;
    const changes = configKeys
      .filter((key) => !isDeepStrictEqual(before.config[key], next.config[key]))
      .map(
        (key) =>
          `${key} ${formatConfigValue(key, before.config[key])} → ${formatConfigValue(key, next.config[key])}`,
      );
    const names = new Set([...before.workflows, ...next.workflows].map((w) => w.name));
    for (const name of [...names].sort()) {
      const old = before.workflows.find((w) => w.name === name);
      const now = next.workflows.find((w) => w.name === name);
      if (!isDeepStrictEqual(old, now))
        changes.push(`workflow ${name} ${now ? 'changed' : 'removed'}`);
    }
    return changes;
  }

  #announce(): void {
    for (const listener of this.#listeners) listener(this.#state);
  }
}
