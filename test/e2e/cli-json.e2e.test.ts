/**
 * `--json` on every state-touching verb and on `exceptions`, checked against the schema documented
 * in docs/rollout.md ("JSON output (schemaVersion 1)"), plus the exit codes a pipeline relies on:
 * 1 for expired exceptions, 3 for a tooling failure (corrupt state) with nothing changed.
 * Runs the real CLI program in-process against the in-process sandbox.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvironment } from '../../model/index.js';
import type { Environment } from '../../model/types.js';
import { envPaths } from '../../rollout/state/paths.js';
import { runCli } from '../helpers/run-cli.js';
import { AS_OF } from '../helpers/sandbox-fixture.js';

let home: string;
let env: Environment;
let prevHome: string | undefined;

beforeAll(async () => {
  env = await loadEnvironment('sandbox');
});
beforeEach(() => {
  prevHome = process.env.ROLLOUT_HOME;
  home = mkdtempSync(join(tmpdir(), 'rollout-json-'));
  process.env.ROLLOUT_HOME = home;
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
  if (prevHome === undefined) delete process.env.ROLLOUT_HOME;
  else process.env.ROLLOUT_HOME = prevHome;
});

async function json(args: string[]) {
  const r = await runCli(['--json', ...args]);
  let doc: any;
  try {
    doc = JSON.parse(r.out);
  } catch {
    throw new Error(`stdout of ${args.join(' ')} is not one JSON document (exit ${r.code}):\n${r.out}\n${r.err}`);
  }
  return { code: r.code, doc };
}

describe('exceptions list|check', () => {
  // Sandbox exceptions (environments/sandbox/environment.yaml): EXC-2026-001 expires 2027-06-30,
  // EXC-2026-002 expired 2026-10-31, EXC-2026-003 expires 2026-12-15 (20 days after AS_OF, inside the 30-day window).
  test('list --json: every exception with its status as of the date; nothing is written', async () => {
    const { code, doc } = await json(['exceptions', 'list', '--as-of', AS_OF]);
    expect(code).toBe(0);
    expect(doc).toMatchObject({ schemaVersion: 1, kind: 'exceptions', env: 'sandbox', asOf: AS_OF });
    expect(doc.exceptions.map((e: { id: string; status: string }) => [e.id, e.status])).toEqual([
      ['EXC-2026-001', 'active'],
      ['EXC-2026-002', 'expired'],
      ['EXC-2026-003', 'expiring-soon'],
    ]);
    expect(doc.exceptions.map((e: { id: string }) => e.id)).toEqual(env.exceptions.map((e) => e.id));
    expect(doc.exceptions[2]).toMatchObject({
      target: '555555555552',
      owner: 'claims-team',
      approver: 'ciso-office',
      expires: '2026-12-15',
      daysLeft: 20,
    });
    expect(readdirSync(home)).toEqual([]);
  });

  test('check exits 1 while an exception has expired, naming it; 0 before it expired', async () => {
    const late = await json(['exceptions', 'check', '--as-of', AS_OF]);
    expect(late.code).toBe(1);
    expect(late.doc).toMatchObject({ schemaVersion: 1, kind: 'exceptions-check', env: 'sandbox', asOf: AS_OF, ok: false });
    expect(late.doc.expired.map((e: { id: string }) => e.id)).toEqual(['EXC-2026-002']);
    expect(late.doc.expiringSoon.map((e: { id: string }) => e.id)).toEqual(['EXC-2026-003']);

    // Two weeks before its expiry EXC-2026-002 still applies: check passes and warns about it.
    const early = await runCli(['exceptions', 'check', '--as-of', '2026-10-15']);
    expect(early.code).toBe(0);
    expect(early.out).toMatch(/^ok: no expired exceptions in sandbox/);
    expect(early.out).toMatch(/! EXC-2026-002 expires 2026-10-31 \(16 days left, owner ml-research-team\)/);
    const text = await runCli(['exceptions', 'check', '--as-of', AS_OF]);
    expect(text.out).toMatch(/✖ EXC-2026-002 expired 2026-10-31 \(target ou-sb01-dev00001, owner ml-research-team/);
  });
});

describe('plan, promote, verify, status, rollback --json', () => {
  test('each verb prints one document with the documented schema', async () => {
    const release = env.currentRelease;
    const out = join(home, 'report.md');

    // plan: the reviewer report, written to --out too; it applies nothing.
    const plan = await json(['plan', 'pilot', '--as-of', AS_OF, '--out', out]);
    expect(plan.code).toBe(0);
    expect(plan.doc).toMatchObject({
      schemaVersion: 1,
      kind: 'plan-report',
      env: 'sandbox',
      phase: 'pilot',
      release,
      asOf: AS_OF,
      engine: 'sandbox',
      promotion: { allowed: true },
      markdownFile: out,
    });
    expect(plan.doc.stacks.map((s: { stack: string }) => s.stack)).toEqual(['guardrails', 'pilot']);
    expect(plan.doc.scope.accountIds).toEqual([env.pilot.account]);
    expect(readFileSync(out, 'utf8')).toMatch(
      new RegExp(
        `^<!-- guardrail-rollout plan env=sandbox phase=pilot -->\n## Guardrail rollout plan: \`${release.replace(/[.@]/g, '\\$&')}\` → \\*\\*pilot\\*\\*`,
      ),
    );
    const afterPlan = await json(['status']);
    expect(afterPlan.doc.phases.map((p: { status: string }) => p.status)).toEqual([
      'not-started',
      'not-started',
      'not-started',
      'not-started',
    ]);

    // promote
    const promote = await json(['promote', 'pilot', '--as-of', AS_OF, '--yes']);
    expect(promote.code).toBe(0);
    expect(promote.doc).toMatchObject({
      schemaVersion: 1,
      kind: 'promote',
      ok: true,
      exitCode: 0,
      outcome: 'promoted',
      env: 'sandbox',
      phase: 'pilot',
      release,
      attemptId: expect.any(String),
      message: expect.any(String),
      failedChecks: [],
      report: { kind: 'plan-report', phase: 'pilot' },
      phaseState: { release, status: 'passed' },
    });
    expect(promote.doc.gates.map((g: { gate: string; status: string }) => `${g.gate}:${g.status}`)).toEqual([
      'preflight:passed',
      'propagation:passed',
      'smoke:passed',
      'effective-policy:passed',
      'bake:passed',
    ]);
    for (const g of promote.doc.gates) {
      expect(g).toEqual({
        gate: g.gate,
        status: 'passed',
        summary: expect.any(String),
        checks: expect.any(Array),
        startedAt: expect.any(String),
        finishedAt: expect.any(String),
      });
      expect(g.checks.length).toBeGreaterThan(0);
    }

    // verify re-runs smoke + effective-policy against what is recorded.
    const verify = await json(['verify', 'pilot', '--as-of', AS_OF]);
    expect(verify.code).toBe(0);
    expect(verify.doc).toMatchObject({
      schemaVersion: 1,
      kind: 'verify',
      ok: true,
      exitCode: 0,
      outcome: 'verified',
      phase: 'pilot',
      release,
    });
    expect(verify.doc.gates.map((g: { gate: string }) => g.gate)).toEqual(['propagation', 'smoke', 'effective-policy']);

    // status
    const status = await json(['status']);
    expect(status.code).toBe(0);
    expect(status.doc).toMatchObject({ schemaVersion: 1, kind: 'status', env: 'sandbox', currentRelease: release });
    const pilot = status.doc.phases[0];
    expect(pilot).toMatchObject({ phase: 'pilot', release, status: 'passed', bakeLeftSeconds: 0, accountsInScope: 1 });
    expect(pilot.versions.map((v: { account: string; region: string }) => `${v.account}/${v.region}`).sort()).toEqual(
      env.regions.map((r) => `${env.pilot.account}/${r}`).sort(),
    );
    expect(status.doc.phases.slice(1).map((p: { status: string }) => p.status)).toEqual(['not-started', 'not-started', 'not-started']);

    // preview: its own envelope, and the pilot's account-level guardrail is the one status shows
    // (published by the pilot stack in the pilot account), not the management account's.
    const preview = await json(['preview', '--phase', 'pilot', '--as-of', AS_OF]);
    expect(preview.code).toBe(0);
    expect(preview.doc).toMatchObject({ schemaVersion: 1, kind: 'preview', env: 'sandbox', phase: 'pilot', release });
    type Row = { region: string; level: string; guardrailArn: string; version: string; published: boolean };
    const accountRows = (preview.doc.accounts as { account: string; enforcement: Row[] }[])
      .find((a) => a.account === env.pilot.account)!
      .enforcement.filter((e) => e.level === 'account');
    expect(accountRows.map((e) => `${e.region} ${e.guardrailArn} v${e.version} ${e.published}`).sort()).toEqual(
      pilot.versions
        .map((v: { region: string; guardrailArn: string; version: string }) => `${v.region} ${v.guardrailArn} v${v.version} true`)
        .sort(),
    );
    for (const e of accountRows) expect(e.guardrailArn).toMatch(new RegExp(`^arn:aws:bedrock:${e.region}:${env.pilot.account}:guardrail/`));

    // rollback: the pilot held nothing before, so the phase is removed and re-verified.
    const rollback = await json(['rollback', 'pilot', '--as-of', AS_OF]);
    expect(rollback.code).toBe(0);
    expect(rollback.doc).toMatchObject({
      schemaVersion: 1,
      kind: 'rollback',
      ok: true,
      exitCode: 0,
      outcome: 'rolled-back',
      phase: 'pilot',
      rollback: { to: null, status: 'rolled-back' },
    });
    expect(rollback.doc.rollback.gates.map((g: { gate: string; status: string }) => `${g.gate}:${g.status}`)).toEqual([
      'propagation:passed',
      'effective-policy:passed',
    ]);
  }, 180_000);
});

describe('exit 3: environment or tooling failure', () => {
  test('a corrupt state file is a ToolingError (exit 3) naming the file, and promote changes nothing', async () => {
    const paths = envPaths('sandbox');
    mkdirSync(paths.dir, { recursive: true });
    writeFileSync(paths.state, '{"schemaVersion":1,');
    const status = await json(['status']);
    expect(status.code).toBe(3);
    expect(status.doc).toMatchObject({
      ok: false,
      exitCode: 3,
      error: { type: 'ToolingError', message: expect.stringContaining('state.json') },
    });

    const promote = await json(['promote', 'pilot', '--as-of', AS_OF, '--yes']);
    expect(promote.code).toBe(3);
    expect(promote.doc.error.type).toBe('ToolingError');
    expect(readFileSync(paths.state, 'utf8')).toBe('{"schemaVersion":1,');
    expect(existsSync(paths.ledger)).toBe(false);
    expect(existsSync(paths.sandboxEngine)).toBe(false);
  }, 60_000);
});
