/**
 * Approval bound to the reviewed plan: `rollout plan <phase> --out <dir>` writes the markdown
 * report and a sealed plan file; `rollout promote <phase> --plan <file>` applies only when what
 * it would apply now is exactly that plan, and every ledger entry of the attempt names the plan
 * file. A bad, edited or foreign plan file, or a plan that no longer matches (the environment or
 * what is deployed changed since the review), exits 2 with nothing applied and state unchanged.
 * Runs the real CLI program in-process against the in-process sandbox.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalSha256 } from '../../core/canonical-json.js';
import { exitCodeOf } from '../../core/errors.js';
import type { Environment } from '../../model/types.js';
import { parseFlags } from '../../rollout/cli/commands/options.js';
import { readPlanFile } from '../../rollout/flows/plan-file.js';
import { promote } from '../../rollout/flows/promote.js';
import { Session } from '../../rollout/flows/session.js';
import { envPaths } from '../../rollout/state/paths.js';
import { silentProgress } from '../../rollout/ui/progress.js';
import { engineStack, ledger, state } from '../helpers/cli.js';
import { runCli } from '../helpers/run-cli.js';
import { AS_OF, R1, R2, sandboxEnvironment } from '../helpers/sandbox-fixture.js';

let home: string;
let prevHome: string | undefined;
let env: Environment;

beforeAll(async () => {
  env = await sandboxEnvironment();
});
beforeEach(() => {
  prevHome = process.env.ROLLOUT_HOME;
  home = mkdtempSync(join(tmpdir(), 'rollout-planfile-'));
  process.env.ROLLOUT_HOME = home;
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
  if (prevHome === undefined) delete process.env.ROLLOUT_HOME;
  else process.env.ROLLOUT_HOME = prevHome;
});

/** state.json and ledger.jsonl as bytes (null: absent): "nothing changed" is checked on these. */
function recorded(): { state: string | null; ledger: string | null } {
  const p = envPaths('sandbox', home);
  return {
    state: existsSync(p.state) ? readFileSync(p.state, 'utf8') : null,
    ledger: existsSync(p.ledger) ? readFileSync(p.ledger, 'utf8') : null,
  };
}

/** `rollout plan pilot --out <home>/review/` (a directory, by its trailing slash); returns the plan file's path. */
async function reviewPilot(extra: string[] = []): Promise<string> {
  const r = await runCli(['plan', 'pilot', '--as-of', AS_OF, '--out', `${join(home, 'review')}/`, ...extra]);
  expect(r.code).toBe(0);
  return join(home, 'review', 'pilot.plan.json');
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

test('plan --out <dir>/ writes <phase>.md and the sealed <phase>.plan.json', async () => {
  const dir = join(home, 'review');
  const r = await runCli(['--json', 'plan', 'pilot', '--as-of', AS_OF, '--out', `${dir}/`]);
  expect(r.code).toBe(0);
  expect(JSON.parse(r.out)).toMatchObject({ markdownFile: join(dir, 'pilot.md'), planFile: join(dir, 'pilot.plan.json') });
  expect(readFileSync(join(dir, 'pilot.md'), 'utf8')).toMatch(
    /^<!-- guardrail-rollout plan env=sandbox phase=pilot -->\n## Guardrail rollout plan: `baseline@2026\.11\.2` → \*\*pilot\*\*/,
  );

  const plan = readJson(join(dir, 'pilot.plan.json'));
  expect(Object.keys(plan)).toEqual([
    'schemaVersion',
    'kind',
    'env',
    'phase',
    'release',
    'unit',
    'asOf',
    'engine',
    'target',
    'stacks',
    'report',
    'createdAt',
    'toolVersion',
    'planFileHash',
  ]);
  expect(plan).toMatchObject({
    schemaVersion: 1,
    kind: 'rollout-plan',
    env: 'sandbox',
    phase: 'pilot',
    release: R2,
    unit: { label: expect.stringMatching(/^baseline@2026\.11\.2/), hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    asOf: AS_OF,
    engine: 'sandbox',
    target: 'sandbox',
    report: { kind: 'plan-report', phase: 'pilot', release: R2, noChanges: false },
    toolVersion: '0.1.0',
  });
  expect(plan.stacks.map((s: { stack: string }) => s.stack)).toEqual(['guardrails', 'pilot']);
  for (const s of plan.stacks)
    expect(s).toEqual({ stack: s.stack, planHash: expect.stringMatching(/^[0-9a-f]{64}$/), changes: expect.any(Number) });
  expect(plan.stacks[0].planHash).toBe(plan.report.stacks[0].planHash);
  const { planFileHash, ...body } = plan;
  expect(planFileHash).toBe(canonicalSha256(body));
}, 120_000);

test('promote --plan with nothing changed since the review: promoted, and every entry of the attempt names the plan file', async () => {
  const file = await reviewPilot();
  const { planFileHash } = readJson(file);
  const r = await runCli(['--json', 'promote', 'pilot', '--as-of', AS_OF, '--yes', '--plan', file]);
  expect(r.code).toBe(0);
  const doc = JSON.parse(r.out);
  expect(doc).toMatchObject({ outcome: 'promoted', phase: 'pilot', release: R2 });
  const attempt = (await ledger()).filter((e) => e.attemptId === doc.attemptId);
  expect(attempt.filter((e) => e.kind === 'apply').map((e) => e.stack)).toEqual(['guardrails', 'pilot']);
  for (const e of attempt) expect(e).toMatchObject({ reviewedPlan: planFileHash });

  // Promoted: the same plan file again is a review of changes that are no longer happening.
  const again = await runCli(['promote', 'pilot', '--as-of', AS_OF, '--yes', '--plan', file]);
  expect(again.code).toBe(2);
  const [guardrails, pilot] = readJson(file).stacks as { stack: string; planHash: string; changes: number }[];
  expect(again.err).toContain(
    `error: ${file}: ${readJson(file).unit.label} is already in place, which is not the reviewed plan; nothing was applied:\n` +
      `  guardrails: reviewed plan ${guardrails.planHash.slice(0, 12)} (${guardrails.changes} changes), now no changes\n` +
      `  pilot: reviewed plan ${pilot.planHash.slice(0, 12)} (${pilot.changes} changes), now no changes\n` +
      're-run rollout plan pilot and review again',
  );

  // A review made now (no changes) binds the no-op.
  const noChange = await reviewPilot();
  expect(readJson(noChange).report.noChanges).toBe(true);
  const noOp = await runCli(['--json', 'promote', 'pilot', '--as-of', AS_OF, '--yes', '--plan', noChange]);
  expect(noOp.code).toBe(0);
  expect(JSON.parse(noOp.out)).toMatchObject({ outcome: 'no-op' });
}, 240_000);

test('a phase with approval: the approval entry names the reviewed plan file', async () => {
  const file = await reviewPilot();
  const approvalEnv = { ...env, phases: { ...env.phases, pilot: { ...env.phases.pilot, approval: true } } };
  const s = await Session.open(parseFlags({ env: 'sandbox', asOf: AS_OF, yes: true, json: true, approve: 'CHG-1 reviewed' }), {
    lock: 'promote pilot',
    env: approvalEnv,
  });
  const reviewed = await readPlanFile(file);
  try {
    const r = await promote(s, 'pilot', { progress: silentProgress, reviewed });
    expect(r.outcome).toBe('promoted');
  } finally {
    await s.close();
  }
  const approval = (await ledger()).find((e) => e.kind === 'approval');
  expect(approval).toMatchObject({ summary: 'approved: CHG-1 reviewed', reviewedPlan: reviewed.plan.planFileHash });
}, 120_000);

test('the enforcement settings changed after the review: exit 2 naming the unit and each changed stack; nothing applied', async () => {
  const file = await reviewPilot();
  const before = recorded();
  const changed: Environment = { ...env, enforcement: { ...env.enforcement, messages: 'comprehensive' } };
  const s = await Session.open(parseFlags({ env: 'sandbox', asOf: AS_OF, yes: true, json: true }), { lock: 'promote pilot', env: changed });
  const err = await promote(s, 'pilot', { progress: silentProgress, reviewed: await readPlanFile(file) })
    .catch((e: unknown) => e)
    .finally(() => s.close());
  expect(exitCodeOf(err)).toBe(2);
  const message = (err as Error).message;
  expect(message).toContain(`${file}: what promote would apply now is not the reviewed plan; nothing was applied:\n`);
  const reviewed = readJson(file);
  const short = (h: string) => h.slice(0, 12);
  expect(message).toContain(`\n  unit: reviewed ${reviewed.unit.label}, now baseline@2026.11.2 #`);
  expect(message).toContain(`\n  pilot: reviewed plan ${short(reviewed.stacks[1].planHash)} (${reviewed.stacks[1].changes} changes), now `);
  expect(message).not.toContain('\n  guardrails:'); // the release's guardrails are the same: only the pilot stack moved
  expect(message.endsWith('re-run rollout plan pilot and review again')).toBe(true);
  expect(recorded()).toEqual(before);
  expect(engineStack('pilot')).toBeUndefined();
  expect((await state()).phases.pilot?.status ?? 'not-started').toBe('not-started');
}, 120_000);

test('what is deployed changed after the review (another release promoted): exit 2 naming the stacks; state unchanged', async () => {
  const file = await reviewPilot();
  expect((await runCli(['promote', 'pilot', '--as-of', AS_OF, '--yes', '--release', R1])).code).toBe(0);
  const before = recorded();
  const deployed = engineStack('pilot');

  const r = await runCli(['promote', 'pilot', '--as-of', AS_OF, '--yes', '--plan', file]);
  expect(r.code).toBe(2);
  expect(r.err).toContain(`error: ${file}: what promote would apply now is not the reviewed plan; nothing was applied:\n`);
  const [guardrails] = readJson(file).stacks as { stack: string; planHash: string; changes: number }[];
  expect(r.err).toContain(`\n  guardrails: reviewed plan ${guardrails.planHash.slice(0, 12)} (${guardrails.changes} changes), now `);
  expect(r.err).not.toMatch(/\n {2}unit:/); // the same unit: only what is deployed moved
  expect(recorded()).toEqual(before);
  expect(engineStack('pilot')).toEqual(deployed);
  expect((await state()).phases.pilot).toMatchObject({ release: R1, status: 'passed' });
}, 240_000);

describe('a plan file promote cannot use: exit 2 naming the file and what was expected, nothing changed', () => {
  test('edited after review (release changed by hand)', async () => {
    const file = await reviewPilot();
    writeFileSync(file, JSON.stringify({ ...readJson(file), release: R1 }, null, 2));
    const before = recorded();
    const r = await runCli(['promote', 'pilot', '--as-of', AS_OF, '--yes', '--plan', file]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      new RegExp(
        `error: ${file.replace(/[.]/g, '\\.')}: was changed after rollout plan wrote it \\(planFileHash [0-9a-f]{12}, content hashes to [0-9a-f]{12}\\); a reviewed plan cannot be edited: re-run rollout plan pilot and review again`,
      ),
    );
    expect(recorded()).toEqual(before);
  }, 120_000);

  test('the plan of another phase', async () => {
    const file = await reviewPilot();
    const before = recorded();
    const r = await runCli(['promote', 'model-rules', '--as-of', AS_OF, '--yes', '--plan', file]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `error: ${file}: is the reviewed plan of pilot in environment sandbox; expected one of model-rules in environment sandbox (rollout plan model-rules --env sandbox --out <dir>)`,
    );
    expect(recorded()).toEqual(before);
  }, 120_000);

  test.each([
    ['not JSON', '{"kind": "rollout-plan",', /: not JSON \(.*\); expected a plan file written by `rollout plan <phase> --out <dir>`/],
    ['another kind of file', '{"kind": "plan-report"}', /: kind is "plan-report"; expected "rollout-plan" \(a plan file written by/],
  ])('%s', async (_name, text, message) => {
    const file = join(home, 'plan.json');
    writeFileSync(file, text);
    const r = await runCli(['promote', 'pilot', '--as-of', AS_OF, '--yes', '--plan', file]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`error: ${file}: `);
    expect(r.err).toMatch(message);
    expect(recorded()).toEqual({ state: null, ledger: null });
  });
});
