/**
 * The CLI on a real pseudo-terminal, as a person at a terminal meets it: `script` (util-linux)
 * allocates the pty, `stty` gives it 80 columns. Checks that `plan` renders for the terminal
 * (no markdown table rows, every line within 80 columns, no colour with NO_COLOR=1) and that
 * `rollback` shows its plan and asks, and changes nothing when the answer is no.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { envPaths } from '../../rollout/state/paths.js';
import { AS_OF } from '../helpers/sandbox-fixture.js';

const BIN = resolve('bin/rollout.mjs');
const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasScript) console.log('tty.e2e: skipped, `script` (util-linux) is not on PATH to allocate a pseudo-terminal');
const onPty = hasScript ? test : test.skip;

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'rollout-tty-'));
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

/** Only what a terminal session has: no CI (it would imply --yes and plain progress lines). */
function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? home,
    TERM: 'xterm',
    ROLLOUT_HOME: home,
    NODE_NO_WARNINGS: '1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...extra,
  };
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs the CLI with stdout (and stdin, stderr unless redirected) on an 80-column pty. */
function onTerminal(args: string[], opts: { input?: string; stderrTo?: string; env?: Record<string, string> } = {}) {
  const cmd = [process.execPath, BIN, ...args].map(quote).join(' ');
  const redirect = opts.stderrTo ? ` 2>${quote(opts.stderrTo)}` : '';
  return execa('script', ['-qec', `stty cols 80 rows 50 2>/dev/null; exec ${cmd}${redirect}`, '/dev/null'], {
    reject: false,
    extendEnv: false,
    env: baseEnv(opts.env),
    cwd: home,
    input: opts.input ?? '',
    timeout: 90_000,
  });
}

const lines = (text: string) => text.replace(/\r/g, '').split('\n');

onPty(
  'plan pilot on a terminal: rendered for it, fits 80 columns, no ANSI with NO_COLOR=1',
  async () => {
    const errFile = join(home, 'stderr.txt');
    const r = await onTerminal(['plan', 'pilot', '--as-of', AS_OF], { stderrTo: errFile, env: { NO_COLOR: '1' } });
    expect({ code: r.exitCode, err: readFileSync(errFile, 'utf8').slice(-600) }).toEqual(expect.objectContaining({ code: 0 }));
    const out = r.stdout;
    expect(out).toContain('Guardrail rollout plan: baseline@2026.11.2 → pilot (sandbox)');
    expect(out).toMatch(/^Resources changed$/m);
    expect(out).not.toMatch(/\|---|^#+ |<!--|<details>/m);
    expect(out).not.toContain('\u001b[');
    for (const l of lines(out)) expect([...l].length).toBeLessThanOrEqual(80);
  },
  120_000,
);

onPty(
  'plan --markdown on a terminal prints the PR-comment markdown',
  async () => {
    const r = await onTerminal(['plan', 'pilot', '--as-of', AS_OF, '--markdown'], { stderrTo: join(home, 'stderr.txt') });
    expect(r.exitCode).toBe(0);
    expect(lines(r.stdout)[0]).toBe('<!-- guardrail-rollout plan env=sandbox phase=pilot -->');
    expect(r.stdout).toContain('|---|');
  },
  120_000,
);

onPty(
  'rollback pilot on a terminal shows its plan and asks; "n" changes nothing and exits 2',
  async () => {
    const setup = await execa(process.execPath, [BIN, 'promote', 'pilot', '--yes'], {
      reject: false,
      extendEnv: false,
      env: baseEnv({ CI: 'true' }),
      cwd: home,
    });
    expect({ code: setup.exitCode, err: setup.exitCode ? setup.stderr.slice(-600) : '' }).toEqual({ code: 0, err: '' });
    const p = envPaths('sandbox', home);
    const before = { state: readFileSync(p.state, 'utf8'), ledger: readFileSync(p.ledger, 'utf8') };

    const r = await onTerminal(['rollback', 'pilot'], { input: 'n\n', env: { NO_COLOR: '1' } });
    const text = r.stdout.replace(/\r/g, '');
    expect(text).toContain('Rollback plan: pilot → nothing');
    expect(text).toMatch(/pilot — 0 to create, 0 to update, 0 to replace, \d+ to destroy/);
    expect(text).toContain('forget (kept');
    expect(text).toContain('Roll pilot back to nothing? [y/N]');
    expect(text).toContain('cancelled: nothing was rolled back');
    expect(r.exitCode).toBe(2);
    expect({ state: readFileSync(p.state, 'utf8'), ledger: readFileSync(p.ledger, 'utf8') }).toEqual(before);
  },
  180_000,
);
