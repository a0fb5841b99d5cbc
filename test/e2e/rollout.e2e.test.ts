/**
 * End to end on the sandbox, in-process, with real SDK calls through the emulator:
 * a release through pilot → model-rules → ou → enterprise, then defective releases halted at
 * the right phase and rolled back, with nothing past the failed phase changed.
 */
import { PHASES, type Environment, type Phase } from '../../model/types.js';
import { statusView } from '../../rollout/cli/views/status.js';
import {
  AS_OF,
  MISTYPED_EXCLUSION,
  OVERBLOCKING_RELEASE,
  R1,
  R2,
  PROMPT_ATTACK_HIGH_RELEASE,
  sandboxEnvironment,
  withExpiringException,
  withMistypedExclusion,
  withOverblockingRelease,
  withPromptAttackHigh,
  EXCEPTION_ACTIVE_AT,
  EXPIRING_EXCEPTION,
} from '../helpers/sandbox-fixture.js';
import { engineStack, ledger, runVerb, state, useFreshHome } from '../helpers/cli.js';
import { DeleteResourcePolicyCommand } from '@aws-sdk/client-bedrock';
import { ListPoliciesForTargetCommand } from '@aws-sdk/client-organizations';
import { envPaths } from '../../rollout/state/paths.js';
import { parseFlags } from '../../rollout/cli/commands/options.js';
import { Session } from '../../rollout/flows/session.js';
import { promote } from '../../rollout/flows/promote.js';
import { silentProgress } from '../../rollout/ui/progress.js';

let env: Environment;
beforeAll(async () => {
  env = await sandboxEnvironment();
});
const home = useFreshHome();

async function rollOut(e: Environment, release: string, phases: readonly Phase[] = PHASES, asOf = AS_OF) {
  for (const phase of phases) {
    const r = await runVerb('promote', phase, { env: e, release, asOf });
    if (!r.ok) throw new Error(`${phase}: ${r.message}`);
  }
}

/** What other phases look like (recorded state + deployed resources), to prove they did not change. */
async function snapshotOthers(except: Phase) {
  const st = await state();
  return PHASES.filter((p) => p !== except).map((p) => ({ phase: p, rec: st.phases[p] ?? null, deployed: deployed(p) }));
}

/** Deployed resources of a phase: type + applied arguments (engine bookkeeping notes dropped). */
function deployed(p: Phase): unknown {
  const res = (engineStack(p) ?? {}) as Record<string, { type: string; args: unknown }>;
  return Object.fromEntries(Object.entries(res).map(([k, v]) => [k, { type: v.type, args: v.args }]));
}

test('promotes a release through all four phases; status and ledger show it', async () => {
  await rollOut(env, R2);
  const st = await state();
  const view = statusView(env, st, new Date());
  for (const p of view.phases) {
    expect(p).toMatchObject({ release: R2, status: 'passed', bakeLeftSeconds: 0 });
    expect(p.versions.map((v) => v.region).sort()).toEqual([...env.regions].sort());
    expect(p.versions.every((v) => /^\d+$/.test(v.version))).toBe(true);
    expect(p.gates.map((g) => [g.gate, g.status])).toEqual([
      ['preflight', 'passed'],
      ['propagation', 'passed'],
      ['smoke', 'passed'],
      ['effective-policy', 'passed'],
      ['bake', 'passed'],
    ]);
    expect(p.appliedAt).not.toBeNull();
  }
  expect(view.phases.find((p) => p.phase === 'pilot')!.versions[0].account).toBe(env.pilot.account);
  expect(view.phases.find((p) => p.phase === 'enterprise')!.versions[0].account).toBe(env.managementAccountId);

  const entries = await ledger();
  for (const phase of PHASES) {
    const mine = entries.filter((e) => e.phase === phase);
    const attempt = new Set(mine.map((e) => e.attemptId));
    expect(attempt.size).toBe(1);
    expect(mine.filter((e) => e.kind === 'plan').map((e) => e.stack)).toEqual(['guardrails', phase]);
    expect(mine.filter((e) => e.kind === 'apply' && e.stack === phase)).toHaveLength(1);
    expect(mine.filter((e) => e.kind === 'gate').map((e) => `${e.gate}:${e.status}`)).toEqual([
      'preflight:passed',
      'propagation:passed',
      'smoke:passed',
      'effective-policy:passed',
      'bake:passed',
    ]);
    expect(mine.at(-1)).toMatchObject({ kind: 'promoted', status: 'passed', release: R2 });
    for (const e of mine) expect(e).toMatchObject({ env: 'sandbox', who: expect.any(String), at: expect.any(String) });
  }
  // Every apply/plan entry carries the plan hash that was reviewed.
  for (const e of entries.filter((x) => x.kind === 'apply')) {
    expect(entries.some((p) => p.kind === 'plan' && p.attemptId === e.attemptId && p.stack === e.stack && p.planHash === e.planHash)).toBe(
      true,
    );
  }

  // Promoting again is a no-op that says so, and writes nothing.
  const before = entries.length;
  const again = await runVerb('promote', 'ou', { env, release: R2, asOf: AS_OF });
  expect(again).toMatchObject({ ok: true, outcome: 'no-op', message: expect.stringMatching(/already in place on ou/) });
  expect((await ledger()).length).toBe(before);
}, 120_000);

test('phase order is enforced: a release cannot skip a phase', async () => {
  await expect(runVerb('promote', 'model-rules', { env, release: R2, asOf: AS_OF })).rejects.toThrow(/must pass pilot before model-rules/);
  expect(await ledger()).toEqual([]);
});

test('an overblocking release is halted at pilot and rolled back to the previous release; later phases untouched', async () => {
  const e = withOverblockingRelease(env);
  await rollOut(e, R2);
  const others = await snapshotOthers('pilot');
  const pilotBefore = deployed('pilot');

  const r = await runVerb('promote', 'pilot', { env: e, release: OVERBLOCKING_RELEASE, asOf: AS_OF });
  expect(r).toMatchObject({ ok: false, exitCode: 1, outcome: 'rolled-back', rollback: { to: R2, status: 'rolled-back' } });
  expect(r.failedChecks.some((c) => c.gate === 'smoke' && /pass-benign-question/.test(c.id))).toBe(true);
  expect(r.failedChecks.every((c) => !/block-/.test(c.id))).toBe(true);
  expect(r.message).toMatch(/pass-benign-question/);

  const st = await state();
  expect(st.phases.pilot).toMatchObject({ release: R2, status: 'rolled-back', attemptRelease: OVERBLOCKING_RELEASE });
  expect(st.phases.pilot!.rollbackGates!.find((g) => g.gate === 'effective-policy')).toMatchObject({ status: 'passed' });
  expect(deployed('pilot')).toEqual(pilotBefore);
  expect(await snapshotOthers('pilot')).toEqual(others);
  const kinds = (await ledger()).filter((x) => x.attemptId === r.attemptId).map((x) => x.kind);
  expect(kinds).toEqual(expect.arrayContaining(['halted', 'rollback']));

  // The halted release cannot move on.
  await expect(runVerb('promote', 'model-rules', { env: e, release: OVERBLOCKING_RELEASE, asOf: AS_OF })).rejects.toThrow(
    /must pass pilot/,
  );
}, 120_000);

test('PROMPT_ATTACK raised to HIGH (failure story 3) is halted at pilot: the long system prompt is overblocked; rolled back, later phases untouched', async () => {
  const e = withPromptAttackHigh(env);
  await rollOut(e, R2);
  const others = await snapshotOthers('pilot');
  const pilotBefore = deployed('pilot');

  const r = await runVerb('promote', 'pilot', { env: e, release: PROMPT_ATTACK_HIGH_RELEASE, asOf: AS_OF });
  expect(r).toMatchObject({ ok: false, exitCode: 1, outcome: 'rolled-back', rollback: { to: R2, status: 'rolled-back' } });
  const smokeFailures = r.failedChecks.filter((c) => c.gate === 'smoke');
  expect(smokeFailures.length).toBeGreaterThan(0);
  for (const c of smokeFailures) {
    expect(c.id).toMatch(/^smoke:pass-long-system-prompt@/);
    expect(c.detail).toMatch(/^OVERBLOCKING: a must-pass case was blocked .*\(system\).*PROMPT_ATTACK/);
  }
  expect(r.failedChecks.every((c) => !/block-/.test(c.id))).toBe(true);
  expect(r.message).toMatch(/pass-long-system-prompt/);

  const st = await state();
  expect(st.phases.pilot).toMatchObject({ release: R2, status: 'rolled-back', attemptRelease: PROMPT_ATTACK_HIGH_RELEASE });
  expect(st.phases.pilot!.rollbackGates!.find((g) => g.gate === 'effective-policy')).toMatchObject({ status: 'passed' });
  expect(deployed('pilot')).toEqual(pilotBefore);
  expect(await snapshotOthers('pilot')).toEqual(others);
  const kinds = (await ledger()).filter((x) => x.attemptId === r.attemptId).map((x) => x.kind);
  expect(kinds).toEqual(expect.arrayContaining(['halted', 'rollback']));
  await expect(runVerb('promote', 'model-rules', { env: e, release: PROMPT_ATTACK_HIGH_RELEASE, asOf: AS_OF })).rejects.toThrow(
    /must pass pilot/,
  );
}, 120_000);

test('a mistyped model exclusion is halted at pilot by preflight (the id is not a model; the embedding model stays guarded) and removed', async () => {
  const e = withMistypedExclusion(env);
  const r = await runVerb('promote', 'pilot', { env: e, release: R2, asOf: AS_OF });
  expect(r).toMatchObject({ ok: false, exitCode: 1, rollback: { to: null, status: 'rolled-back' } });
  // Preflight now catches it before anything is applied (issue 9 example 6): the misspelled id is
  // not a model, and the real embedding model it meant is left enforced.
  expect(
    r.failedChecks
      .filter((c) => c.gate === 'preflight')
      .map((c) => c.id)
      .sort(),
  ).toEqual(
    env.regions
      .flatMap((rg) => [
        `preflight:model-unguardable:amazon.titan-embed-text-v2:0@${rg}`,
        `preflight:model-unknown:${MISTYPED_EXCLUSION}@${rg}`,
      ])
      .sort(),
  );
  expect(r.failedChecks.every((c) => c.gate === 'preflight')).toBe(true);
  expect(MISTYPED_EXCLUSION).toBe('amazon.titan-embed-text-v2');
  const st = await state();
  expect(st.phases.pilot).toMatchObject({ release: null, status: 'rolled-back' });
  // Re-verified by the effective-policy gate: no account-level configuration left in any region.
  const verified = st.phases.pilot!.rollbackGates!.find((g) => g.gate === 'effective-policy')!;
  expect(verified).toMatchObject({ gate: 'effective-policy', status: 'passed' });
  expect(verified.checks.map((c) => [c.id, c.status]).sort()).toEqual(
    env.regions.map((region) => [`effective:account-config:${env.pilot.account}/${region}`, 'passed']).sort(),
  );
  expect(deployed('pilot')).toEqual({});
  for (const p of ['model-rules', 'ou', 'enterprise'] as Phase[]) expect(st.phases[p]).toBeUndefined();
}, 120_000);

test('a missing resource policy is halted at model-rules by preflight, before anything is attached', async () => {
  await rollOut(env, R2, ['pilot']);
  const pilotBefore = (await state()).phases.pilot;
  // The management guardrail's resource policy is missing when preflight looks (failure story 1).
  // Deleting it once out of band is not enough: the guardrails plan refreshes and re-creates it.
  // So it is removed again right after the apply writes it, before the preflight gate runs.
  const published = Object.entries((await state()).published[R2]!);
  const removeResourcePolicies = async (s: Session) => {
    const t = await s.target();
    for (const [region, p] of published) {
      await t.access
        .forAccount(p.account, region)
        .bedrock.send(new DeleteResourcePolicyCommand({ resourceArn: p.guardrailArn }))
        .catch((err: Error) => {
          if (err.name !== 'ResourceNotFoundException') throw err;
        });
    }
  };
  const flags = parseFlags({ env: 'sandbox', release: R2, asOf: AS_OF, yes: true, json: true });
  const s: Session = await Session.open(flags, {
    lock: 'promote model-rules',
    env,
    target: {
      hooks: {
        afterWrite: async (address, op) => {
          if (op === 'create' && address.startsWith('aws_bedrock_guardrail_resource_policy.')) await removeResourcePolicies(s);
        },
      },
    },
  });
  let r: Awaited<ReturnType<typeof promote>>;
  try {
    await removeResourcePolicies(s);
    r = await promote(s, 'model-rules', { progress: silentProgress });
  } finally {
    await s.close();
  }
  expect(r).toMatchObject({ ok: false, exitCode: 1, rollback: { to: null } });
  expect(r.gates.map((g) => g.gate)).toEqual(['preflight']);
  expect(r.failedChecks.some((c) => c.gate === 'preflight' && /resource|rbp|policy/i.test(`${c.id} ${c.detail}`))).toBe(true);
  const st = await state();
  expect(st.phases['model-rules']).toMatchObject({ release: null, status: 'rolled-back' });
  expect(st.phases.pilot).toEqual(pilotBefore);
  expect(Object.keys((engineStack('model-rules') ?? {}) as object)).toEqual([]);
  // Nothing past the failed phase: ou and enterprise were never recorded nor deployed.
  for (const p of ['ou', 'enterprise'] as Phase[]) {
    expect(st.phases[p]).toBeUndefined();
    expect(engineStack(p)).toBeUndefined();
  }
}, 120_000);

test('an expired exception still in force halts the next promotion at its first phase; nothing past it changes', async () => {
  const e = withExpiringException(env);
  const activeAt = EXCEPTION_ACTIVE_AT.toISOString().slice(0, 10);
  await rollOut(e, R1, PHASES, activeAt); // the exception's policy was attached while it was valid
  const others = await snapshotOthers('pilot');
  const r = await runVerb('promote', 'pilot', { env: e, release: R2, asOf: AS_OF });
  expect(r).toMatchObject({ ok: false, exitCode: 1, phase: 'pilot', rollback: { to: R1, status: 'rolled-back' } });
  expect(r.failedChecks.map((c) => c.id)).toContain(`preflight:exception:${EXPIRING_EXCEPTION.id}`);
  expect(r.message).toMatch(
    /EXC-TEST-EXPIRED expired on 2026-11-20 but policy p-\w+ still applies it to 555555555553; re-apply the enterprise phase \(`rollout promote enterprise --release baseline@2026\.11\.1`/,
  );
  expect(r.message).toMatch(/or renew the exception/);
  const st = await state();
  expect(st.phases.pilot).toMatchObject({ release: R1, status: 'rolled-back', attemptRelease: R2 });
  expect(await snapshotOthers('pilot')).toEqual(others);
}, 180_000);

/** Names of the BEDROCK_POLICY policies attached directly to a target, through the sandbox Organizations API. */
async function policiesAttachedTo(e: Environment, target: string): Promise<string[]> {
  const s = await Session.open(parseFlags({ env: 'sandbox', asOf: AS_OF, yes: true }), { env: e });
  try {
    const t = await s.target();
    const out = await t.access
      .forAccount(e.managementAccountId)
      .organizations.send(new ListPoliciesForTargetCommand({ TargetId: target, Filter: 'BEDROCK_POLICY' }));
    return (out.Policies ?? []).map((p) => p.Name ?? '');
  } finally {
    await s.close();
  }
}

test('after an exception expired, re-applying enterprise passes preflight and detaches its policy; the next promotion then goes through', async () => {
  const e = withExpiringException(env);
  const policyName = `guardrail-rollout-exception-${EXPIRING_EXCEPTION.id}`;
  await rollOut(e, R1, PHASES, EXCEPTION_ACTIVE_AT.toISOString().slice(0, 10));
  expect(await policiesAttachedTo(e, EXPIRING_EXCEPTION.target)).toContain(policyName);
  const others = await snapshotOthers('enterprise');

  // Same release, as of today: the enterprise stack no longer carries the exception, so it is re-applied.
  const r = await runVerb('promote', 'enterprise', { env: e, release: R1, asOf: AS_OF });
  expect(r).toMatchObject({ ok: true, exitCode: 0, outcome: 'promoted', phase: 'enterprise', release: R1 });
  const pre = r.gates.find((g) => g.gate === 'preflight')!;
  expect(pre.status).toBe('passed');
  expect(pre.checks.find((c) => c.id === `preflight:exception:${EXPIRING_EXCEPTION.id}`)!.detail).toMatch(
    /^exception EXC-TEST-EXPIRED expired; its policy p-\w+ is removed by this apply/,
  );
  expect(r.gates.map((g) => [g.gate, g.status])).toEqual([
    ['preflight', 'passed'],
    ['propagation', 'passed'],
    ['smoke', 'passed'],
    ['effective-policy', 'passed'],
    ['bake', 'passed'],
  ]);

  // The exception's policy is detached; nothing but enterprise changed.
  expect(await policiesAttachedTo(e, EXPIRING_EXCEPTION.target)).not.toContain(policyName);
  expect(await snapshotOthers('enterprise')).toEqual(others);

  // The organization is in policy again: the next release's first phase passes preflight.
  const next = await runVerb('promote', 'pilot', { env: e, release: R2, asOf: AS_OF });
  expect(next).toMatchObject({ ok: true, outcome: 'promoted', phase: 'pilot', release: R2 });
}, 180_000);

test('rollback on demand returns a phase to its previous release; verify re-runs the gates', async () => {
  await rollOut(env, R1, ['pilot']);
  await rollOut(env, R2, ['pilot']);
  const v = await runVerb('verify', 'pilot', { env, asOf: AS_OF });
  expect(v).toMatchObject({ ok: true, outcome: 'verified', release: R2 });
  expect(v.gates.map((g) => g.gate)).toEqual(['propagation', 'smoke', 'effective-policy']);
  const r = await runVerb('rollback', 'pilot', { env, asOf: AS_OF });
  expect(r).toMatchObject({ ok: true, outcome: 'rolled-back', release: R1, rollback: { status: 'rolled-back' } });
  expect((await state()).phases.pilot).toMatchObject({ release: R1, status: 'rolled-back' });
  const again = await runVerb('rollback', 'pilot', { env, asOf: AS_OF });
  expect(again.outcome).toBe('no-op');
  expect(envPaths('sandbox').dir.startsWith(home())).toBe(true);
}, 120_000);
