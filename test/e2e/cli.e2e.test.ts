/**
 * The `rollout` binary as a pipeline runs it (spawned): exit codes, --json documents, the lock,
 * and crash recovery through the documented test hook ROLLOUT_TEST_CRASH_AFTER.
 */
import { mkdtempSync, rmSync, existsSync, readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { acquireLock } from '../../rollout/state/lock.js';
import { envPaths } from '../../rollout/state/paths.js';
import { Ledger } from '../../rollout/state/ledger.js';
import { loadState } from '../../rollout/state/store.js';

const BIN = resolve('bin/rollout.mjs');
let home: string;

function rollout(args: string[], extraEnv: Record<string, string> = {}) {
  return execa(process.execPath, [BIN, ...args], {
    reject: false,
    env: { ROLLOUT_HOME: home, NODE_NO_WARNINGS: '1', CI: 'true', ...extraEnv },
    timeout: 90_000,
  });
}

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'rollout-cli-'));
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

const untouched = () => expect(readdirSync(home)).toEqual([]);

describe('bad input exits 2 and changes nothing', () => {
  test.each([
    [['promote', 'pilot', '--bogus-flag'], /unknown option '--bogus-flag'/],
    [['promote', 'staging'], /unknown phase "staging"; valid phases: pilot, model-rules, ou, enterprise/],
    [['promote', 'pilot', '--as-of', '2026-13-01'], /--as-of: expected a real calendar date/],
    [['promote', 'pilot', '--engine', 'pulumi'], /--engine.*pulumi.*(choices|Allowed)/i],
    [['promote', 'pilot', '--release', 'baseline@9.9.9'], /--release: "baseline@9.9.9" is not a release of environment sandbox/],
    [['promote', 'pilot', '--env', 'no-such-env'], /no environment named "no-such-env"/],
    // A back-dated promote against real AWS would re-activate expired exceptions (issue 9, example 8).
    [['promote', 'pilot', '--env', 'example-prod', '--as-of', '2026-10-01'], /--as-of 2026-10-01 is before today/],
  ])('%j', async (args, message) => {
    const r = await rollout(args);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
    untouched();
  });

  test('an invalid environment file names the file and path, in the --json error document too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bad-env-'));
    const file = join(dir, 'environment.yaml');
    writeFileSync(file, 'name: broken\nmanagementAccountId: "12345"\n');
    try {
      const r = await rollout(['--json', 'promote', 'pilot', '--env', file]);
      expect(r.exitCode).toBe(2);
      const doc = JSON.parse(r.stdout) as { ok: boolean; exitCode: number; error: { type: string; file?: string; message: string } };
      expect(doc).toMatchObject({ ok: false, exitCode: 2, error: { type: 'InputError' } });
      expect(doc.error.message).toMatch(/environment\.yaml/);
      untouched();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('a second promote of the same environment is refused while the first holds the lock', async () => {
  process.env.ROLLOUT_HOME = home;
  const held = await acquireLock(envPaths('sandbox').dir, 'promote pilot');
  try {
    const r = await rollout(['promote', 'pilot']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`environment is locked by pid ${process.pid} on .*"promote pilot".* since`));
    expect(existsSync(envPaths('sandbox').state)).toBe(false);
    expect(existsSync(envPaths('sandbox').ledger)).toBe(false);
  } finally {
    await held.release();
    delete process.env.ROLLOUT_HOME;
  }
});

describe('crash recovery', () => {
  test.each(['apply', 'apply-unrecorded'])(
    'killed after the phase apply (%s): re-run re-gates, nothing lost or doubled',
    async (point) => {
      process.env.ROLLOUT_HOME = home;
      try {
        const crashed = await rollout(['promote', 'pilot'], { ROLLOUT_TEST_CRASH_AFTER: point });
        expect(crashed.signal).toBe('SIGKILL');
        const paths = envPaths('sandbox');
        const mid = await loadState(paths.state, 'sandbox');
        expect(mid.phases.pilot?.status).toBe(point === 'apply' ? 'applied' : 'applying');
        const attemptId = mid.phases.pilot!.attemptId;

        const rerun = await rollout(['--json', 'promote', 'pilot']);
        expect(rerun.exitCode).toBe(0);
        const doc = JSON.parse(rerun.stdout) as { outcome: string; attemptId: string; gates: { gate: string; status: string }[] };
        expect(doc).toMatchObject({ outcome: 'promoted', attemptId });
        expect(doc.gates.map((g) => `${g.gate}:${g.status}`)).toEqual([
          'preflight:passed',
          'propagation:passed',
          'smoke:passed',
          'effective-policy:passed',
          'bake:passed',
        ]);

        const after = await loadState(paths.state, 'sandbox');
        expect(after.phases.pilot).toMatchObject({ status: 'passed', attemptId });
        const entries = await new Ledger(paths.ledger, 'sandbox').read();
        expect(new Set(entries.map((e) => e.attemptId))).toEqual(new Set([attemptId]));
        const applies = entries.filter((e) => e.kind === 'apply').map((e) => e.stack);
        expect(applies.sort()).toEqual(['guardrails', 'pilot']);
        expect(entries.filter((e) => e.kind === 'resume')).toHaveLength(1);
        const resumeAt = entries.findIndex((e) => e.kind === 'resume');
        // the re-plan found the crashed apply already in place: nothing left to change
        expect(
          entries
            .slice(resumeAt)
            .filter((e) => e.kind === 'plan')
            .map((e) => [e.stack, e.changes]),
        ).toEqual([
          ['guardrails', 0],
          ['pilot', 0],
        ]);
        // passed only with evidence recorded after the crash
        expect(
          entries
            .slice(resumeAt)
            .filter((e) => e.kind === 'gate')
            .map((e) => e.gate),
        ).toEqual(['preflight', 'propagation', 'smoke', 'effective-policy', 'bake']);
        // one enforced configuration per region in the pilot account, not two
        const sandboxState = JSON.parse(readFileSync(paths.sandboxState, 'utf8')) as { enforced: { account: string }[] };
        expect(sandboxState.enforced.filter((c) => c.account === '666666666661')).toHaveLength(2);
      } finally {
        delete process.env.ROLLOUT_HOME;
      }
    },
    120_000,
  );
});

test('status --json has the documented schema', async () => {
  const r = await rollout(['status', '--json']);
  expect(r.exitCode).toBe(0);
  const doc = JSON.parse(r.stdout) as { schemaVersion: number; kind: string; phases: { phase: string; status: string }[] };
  expect(doc).toMatchObject({ schemaVersion: 1, kind: 'status', env: 'sandbox' });
  expect(doc.phases.map((p) => [p.phase, p.status])).toEqual([
    ['pilot', 'not-started'],
    ['model-rules', 'not-started'],
    ['ou', 'not-started'],
    ['enterprise', 'not-started'],
  ]);
});
