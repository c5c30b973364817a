import { execFile, execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';

const unitPath = fileURLToPath(new URL('../../contrib/adw-trigger.service', import.meta.url));

/** `Key=value` settings of one `[Section]` of the unit (repeated keys keep the last). */
function section(text: string, name: string): Map<string, string> {
  const settings = new Map<string, string>();
  let current = '';
  for (const line of text.split('\n')) {
    const header = /^\[(.+)\]$/.exec(line.trim());
    if (header) current = header[1] ?? '';
    else if (current === name && /^[A-Za-z]+=/.test(line)) {
      const at = line.indexOf('=');
      settings.set(line.slice(0, at), line.slice(at + 1));
    }
  }
  return settings;
}

function hasSystemdAnalyze(): boolean {
  try {
    execFileSync('systemd-analyze', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('contrib/adw-trigger.service', () => {
  it('starts the daemon in the foreground on one repository', async () => {
    const service = section(await readFile(unitPath, 'utf8'), 'Service');
    expect(service.get('Type')).toBe('simple');
    expect(service.get('ExecStart')).toMatch(/\/adw-trigger start --repo \S+$/);
    expect(service.get('EnvironmentFile')).toMatch(/^-/);
  });

  it('lets the daemon stop its own agents, with more time than its 10 s shutdown', async () => {
    const service = section(await readFile(unitPath, 'utf8'), 'Service');
    expect(service.get('KillMode')).toBe('mixed');
    expect(service.get('KillSignal')).toBe('SIGTERM');
    expect(Number(service.get('TimeoutStopSec'))).toBeGreaterThan(10);
  });

  it('restarts after a crash but not after a bad configuration (exit 2)', async () => {
    const text = await readFile(unitPath, 'utf8');
    const service = section(text, 'Service');
    expect(service.get('Restart')).toBe('on-failure');
    expect(service.get('RestartPreventExitStatus')).toBe('2');
    expect(section(text, 'Unit').get('StartLimitBurst')).toBeDefined();
    expect(section(text, 'Install').get('WantedBy')).toBe('default.target');
  });

  it.skipIf(!hasSystemdAnalyze())('passes systemd-analyze verify', async () => {
    const dir = await tempDir();
    const copy = join(dir, 'adw-trigger.service');
    // verify checks that ExecStart exists: point it at a binary every system has.
    const text = (await readFile(unitPath, 'utf8')).replace(
      /^ExecStart=\S+/m,
      'ExecStart=/bin/true',
    );
    await writeFile(copy, text);
    const { stderr } = await promisify(execFile)('systemd-analyze', ['verify', copy]);
    expect(stderr).toBe('');
  });
});
