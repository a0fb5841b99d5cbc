/**
 * The promoted unit (release + enforcement settings + exceptions in force) end to end on the
 * sandbox through real SDK calls (issue 9): a settings-only change is a new unit, phase order
 * follows units, rollback restores exactly what was applied before, and the ledger records the
 * unit and the as-of date; a back-dated promote against real AWS is refused.
 */
import { ListEnforcedGuardrailsConfigurationCommand } from '@aws-sdk/client-bedrock';
import {
  DescribeEffectivePolicyCommand,
  DescribePolicyCommand,
  ListPoliciesCommand,
  ListTargetsForPolicyCommand,
  UpdatePolicyCommand,
} from '@aws-sdk/client-organizations';
import { PHASES, type Environment, type Phase } from '../../model/types.js';
import { parseFlags } from '../../rollout/cli/commands/options.js';
import { Session } from '../../rollout/flows/session.js';
import { ledger, runVerb, state, useFreshHome } from '../helpers/cli.js';
import { AS_OF, R2, sandboxEnvironment } from '../helpers/sandbox-fixture.js';

let env: Environment;
beforeAll(async () => {
  env = await sandboxEnvironment();
});
useFreshHome();

async function rollOut(e: Environment, phases: readonly Phase[] = PHASES) {
  for (const phase of phases) {
    const r = await runVerb('promote', phase, { env: e, release: R2, asOf: AS_OF });
    if (!r.ok) throw new Error(`${phase}: ${r.message}`);
  }
}

/** What the organization enforces, read back through the SDK: every BEDROCK_POLICY (content, targets) and the account-level configurations. */
async function enforced(e: Environment) {
  const s = await Session.open(parseFlags({ env: 'sandbox', asOf: AS_OF, yes: true }), { env: e });
  try {
    const t = await s.target();
    const org = t.access.forAccount(e.managementAccountId).organizations;
    const policies = [];
    for (const p of (await org.send(new ListPoliciesCommand({ Filter: 'BEDROCK_POLICY' }))).Policies ?? []) {
      const d = await org.send(new DescribePolicyCommand({ PolicyId: p.Id }));
      const targets = (await org.send(new ListTargetsForPolicyCommand({ PolicyId: p.Id }))).Targets?.map((x) => x.TargetId);
      policies.push({ name: p.Name, content: d.Policy?.Content, targets });
    }
    const configs = [];
    for (const region of e.regions) {
      const out = await t.access.forAccount(e.pilot.account, region).bedrock.send(new ListEnforcedGuardrailsConfigurationCommand({}));
      for (const c of out.guardrailsConfig ?? []) {
        configs.push({
          region,
          guardrailArn: c.guardrailArn,
          guardrailVersion: c.guardrailVersion,
          selectiveContentGuarding: c.selectiveContentGuarding,
          modelEnforcement: c.modelEnforcement,
        });
      }
    }
    return { policies, configs };
  } finally {
    await s.close();
  }
}

/** Effective excluded_models of an account per region, through DescribeEffectivePolicy. */
async function effectiveExcluded(e: Environment, account: string): Promise<string[][]> {
  const s = await Session.open(parseFlags({ env: 'sandbox', asOf: AS_OF, yes: true }), { env: e });
  try {
    const org = (await s.target()).access.forAccount(e.managementAccountId).organizations;
    const out = await org.send(new DescribeEffectivePolicyCommand({ PolicyType: 'BEDROCK_POLICY', TargetId: account }));
    const doc = JSON.parse(out.EffectivePolicy!.PolicyContent!) as {
      bedrock: { guardrail_inference: Record<string, Record<string, { model_enforcement?: { excluded_models?: string[] } }>> };
    };
    return Object.values(doc.bedrock.guardrail_inference).flatMap((configs) =>
      Object.values(configs).map((c) => [...(c.model_enforcement?.excluded_models ?? [])].sort()),
    );
  } finally {
    await s.close();
  }
}

/** The locks of every managed policy on excluded_models (the child-control list at that key). */
function excludedLocks(policies: { name?: string; content?: string }[]): Record<string, unknown> {
  return Object.fromEntries(
    policies.map((p) => {
      const doc = JSON.parse(p.content ?? '{}') as {
        bedrock?: {
          guardrail_inference?: Record<string, Record<string, { model_enforcement?: { excluded_models?: Record<string, unknown> } }>>;
        };
      };
      const first = Object.values(Object.values(doc.bedrock?.guardrail_inference ?? {})[0] ?? {})[0];
      return [p.name, first?.model_enforcement?.excluded_models?.['@@operators_allowed_for_child_policies'] ?? null];
    }),
  );
}

const withMessages = (e: Environment, messages: 'comprehensive' | 'selective'): Environment => ({
  ...e,
  enforcement: { ...e.enforcement, messages },
});

test('example 1: a settings-only change halts at pilot and the rollback restores exactly what was enforced before', async () => {
  await rollOut(env);
  const before = await enforced(env);
  expect(before.configs.every((c) => c.selectiveContentGuarding?.messages === 'SELECTIVE')).toBe(true);
  const unitBefore = (await state()).phases.pilot!.unit!;

  const defective = withMessages(env, 'comprehensive');
  const r = await runVerb('promote', 'pilot', { env: defective, release: R2, asOf: AS_OF });
  expect(r).toMatchObject({ ok: false, exitCode: 1, outcome: 'rolled-back', rollback: { to: R2, status: 'rolled-back' } });
  // Same release, another unit: what was promoted and what it was rolled back to are told apart.
  expect(r.unit!.hash).not.toBe(unitBefore.hash);
  expect(r.rollback!.toUnit).toBe(unitBefore.label);
  expect(r.failedChecks.some((c) => c.gate === 'smoke')).toBe(true);

  const after = await enforced(env);
  expect(after).toEqual(before);
  expect(after.configs.every((c) => c.selectiveContentGuarding?.messages === 'SELECTIVE')).toBe(true);
  const st = await state();
  expect(st.phases.pilot).toMatchObject({ status: 'rolled-back', unit: { hash: unitBefore.hash, stackHash: unitBefore.stackHash } });
  expect(st.phases.pilot!.attemptUnit!.enforcement.messages).toBe('comprehensive');
  // Re-verification judged the unit rolled back to, and it holds.
  expect(st.phases.pilot!.rollbackGates!.find((g) => g.gate === 'effective-policy')).toMatchObject({ status: 'passed' });
}, 180_000);

test('example 2: phase order follows units, so the defective unit cannot skip to enterprise', async () => {
  await rollOut(env);
  const defective = withMessages(env, 'comprehensive');
  await runVerb('promote', 'pilot', { env: defective, release: R2, asOf: AS_OF });
  const before = await enforced(env);
  await expect(runVerb('promote', 'enterprise', { env: defective, release: R2, asOf: AS_OF })).rejects.toThrow(
    /phase order: baseline@2026\.11\.2 #[0-9a-f]{12} must pass ou before enterprise; ou holds baseline@2026\.11\.2 #[0-9a-f]{12} \(passed\)/,
  );
  expect(await enforced(env)).toEqual(before);
  // The unit in place is a no-op where it passed; the rolled-back pilot takes it again with its gates re-run.
  const again = [];
  for (const phase of PHASES) again.push((await runVerb('promote', phase, { env, release: R2, asOf: AS_OF })).outcome);
  expect(again).toEqual(['promoted', 'no-op', 'no-op', 'no-op']);
}, 180_000);

test('example 8: a back-dated promote against real AWS is refused with exit 2 before anything is touched; the sandbox may rehearse a date', async () => {
  // The same organization as an AWS environment (no sandbox knobs, another name): terraform on AWS.
  const onAws: Environment = { ...env, name: 'acme', sandbox: undefined };
  const tomorrowless = runVerb('promote', 'pilot', { env: onAws, release: R2, asOf: '2026-10-01', engine: 'terraform' });
  await expect(tomorrowless).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/--as-of 2026-10-01 is before today/) });
  expect((await state('acme')).phases).toEqual({});
  expect(await ledger('acme')).toEqual([]);

  const r = await runVerb('promote', 'pilot', { env, release: R2, asOf: '2026-10-01' });
  expect(r.ok).toBe(true);
  const entries = await ledger();
  expect(entries.length).toBeGreaterThan(0);
  // Every entry records the as-of date; those of the promotion record the unit.
  expect(entries.every((x) => x.asOf === '2026-10-01')).toBe(true);
  expect(entries.filter((x) => x.kind !== 'resume').every((x) => x.unit === r.unit!.hash)).toBe(true);
}, 180_000);

test('example 3: an exclusion change goes through all four phases; the wider policies open exactly that lock and close it at enterprise', async () => {
  await rollOut(env);
  const model = 'amazon.titan-image-generator-v2:0';
  const changed: Environment = {
    ...env,
    enforcement: { ...env.enforcement, models: { ...env.enforcement.models, excluded: [...env.enforcement.models.excluded, model] } },
  };
  const other = env.organization.accounts.find(
    (a) => a.id !== env.pilot.account && a.id !== env.managementAccountId && !a.parent.startsWith(env.pilot.ou),
  )!.id;
  const hasModel = async (account: string) => (await effectiveExcluded(env, account)).every((l) => l.includes(model));
  const lacksModel = async (account: string) => (await effectiveExcluded(env, account)).every((l) => !l.includes(model));

  const before = excludedLocks((await enforced(env)).policies);
  const steps: { phase: Phase; pilot: boolean; other: boolean }[] = [
    { phase: 'pilot', pilot: false, other: false },
    { phase: 'model-rules', pilot: true, other: false },
    { phase: 'ou', pilot: true, other: false },
    { phase: 'enterprise', pilot: true, other: true },
  ];
  for (const step of steps) {
    // A newly excluded model weakens what each phase enforces: acknowledged (rollout/flows/weakening.ts).
    const acceptWeakening = 'image generation is not text-guarded';
    const r = await runVerb('promote', step.phase, { env: changed, release: R2, asOf: AS_OF, acceptWeakening });
    expect({ phase: step.phase, ok: r.ok, failed: r.failedChecks.map((c) => c.id) }).toEqual({ phase: step.phase, ok: true, failed: [] });
    expect(r.report!.unit!.changes).toEqual([`enforcement.models.excluded + ${model}`]);
    expect(await (step.pilot ? hasModel : lacksModel)(env.pilot.account)).toBe(true);
    expect(await (step.other ? hasModel : lacksModel)(other)).toBe(true);
    const locks = excludedLocks((await enforced(env)).policies);
    // Opened: the lists of the policies before the change plus @@assign, exactly on the wider phases
    // a narrower one is ahead of; everything else as before (exceptions keep their own operators).
    const opened = (name: string) => [...new Set([...(before[name] as string[]).filter((o) => o !== '@@none'), '@@assign'])].sort();
    const expectLocks = (open: string[]) => {
      for (const name of ['guardrail-rollout-model-rules', 'guardrail-rollout-ou', 'guardrail-rollout-enterprise'])
        expect([name, [...(locks[name] as string[])].sort()]).toEqual([
          name,
          open.includes(name) ? opened(name) : [...(before[name] as string[])].sort(),
        ]);
    };
    if (step.phase === 'model-rules') expectLocks(['guardrail-rollout-ou', 'guardrail-rollout-enterprise']);
    if (step.phase === 'ou') expectLocks(['guardrail-rollout-enterprise']);
    if (step.phase === 'enterprise') expectLocks([]);
  }
}, 240_000);

test('example 7: a managed policy edited out of band halts preflight of the next phase, naming the difference; nothing is applied', async () => {
  await rollOut(env, ['pilot', 'model-rules']);
  const s = await Session.open(parseFlags({ env: 'sandbox', asOf: AS_OF, yes: true }), { env });
  try {
    const org = (await s.target()).access.forAccount(env.managementAccountId).organizations;
    const policy = ((await org.send(new ListPoliciesCommand({ Filter: 'BEDROCK_POLICY' }))).Policies ?? []).find(
      (p) => p.Name === 'guardrail-rollout-model-rules',
    )!;
    const content = (await org.send(new DescribePolicyCommand({ PolicyId: policy.Id }))).Policy!.Content!;
    // Out of band: the identifier of one region now names DRAFT (the name and description are untouched).
    await org.send(new UpdatePolicyCommand({ PolicyId: policy.Id, Content: content.replace(/(guardrail\/[a-z0-9]+):\d+/, '$1:DRAFT') }));
  } finally {
    await s.close();
  }
  const before = await enforced(env);
  const r = await runVerb('promote', 'ou', { env, release: R2, asOf: AS_OF });
  expect(r).toMatchObject({ ok: false, exitCode: 1 });
  const drift = r.failedChecks.filter((c) => c.id.startsWith('preflight:drift:'));
  expect(drift.map((c) => c.detail).join('\n')).toMatch(
    /guardrail-rollout-model-rules .*changed out of band.*identifier: .*:\d+ → .*:DRAFT/,
  );
  // Halted before the ou apply: the OU policy was never attached.
  expect((await enforced(env)).policies.map((p) => p.name)).toEqual(before.policies.map((p) => p.name));
  expect(before.policies.some((p) => p.name === 'guardrail-rollout-ou')).toBe(false);
}, 180_000);
