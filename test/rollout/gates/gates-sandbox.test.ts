/**
 * Gates against a real started sandbox (real SDK calls through AwsAccess): the happy path
 * through the four phases and the issue's failure-path scenarios.
 */
import { CreatePolicyCommand, AttachPolicyCommand, ListPoliciesForTargetCommand } from '@aws-sdk/client-organizations';
import { plannedPoliciesOf } from '../../../rollout/flows/gate-calls.js';
import { runEffectivePolicyCheck, runPostApplyGates, runPreflight, runSmoke } from '../../../rollout/gates/index.js';
import { isCheckId } from '../../../rollout/gates/gate.js';
import { PREFLIGHT_CHECKS } from '../../../rollout/gates/preflight/index.js';
import type { GateResult } from '../../../rollout/state/contracts.js';
import {
  deleteResourcePolicies,
  EXCEPTION_ACTIVE_AT,
  EXPIRING_EXCEPTION,
  MISTYPED_EXCLUSION,
  OVERBLOCKING_RELEASE,
  PROMPT_ATTACK_HIGH_RELEASE,
  sandboxEnvironment,
  startFixture,
  withExpiringException,
  withMistypedExclusion,
  withOverblockingRelease,
  withPromptAttackHigh,
  type Fixture,
} from '../../helpers/sandbox-fixture.js';

const failed = (r: GateResult) => r.checks.filter((c) => c.status === 'failed');
const show = (r: GateResult) =>
  `${r.summary}\n${r.checks
    .filter((c) => c.status !== 'passed')
    .map((c) => `  ${c.status} ${c.id}: ${c.detail}`)
    .join('\n')}`;

describe('gates on the sandbox: a good release passes every phase', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture();
  });
  afterAll(async () => {
    await fx.close();
  });

  it('pilot → model-rules → ou → enterprise: preflight, smoke and effective-policy all pass', async () => {
    const rel = fx.env.currentRelease;
    const mgmt = fx.env.managementAccountId;
    const releases: Record<string, string> = {};
    for (const phase of ['pilot', 'model-rules', 'ou', 'enterprise'] as const) {
      releases[phase] = rel;
      const stacks = fx.synth(releases);
      const g = await fx.apply(stacks.get('guardrails')!);
      const published = fx.published(g.outputs, rel, mgmt);
      const pre = await runPreflight(fx.context(phase, rel, releases, published));
      expect(pre.status).toBe('passed');
      // Every result belongs to one of the checks preflight runs.
      const ids = PREFLIGHT_CHECKS.flatMap((c) => c.ids);
      expect(pre.checks.map((c) => c.id).filter((id) => !isCheckId(ids, id))).toEqual([]);
      const out = await fx.apply(stacks.get(phase)!);
      const gatePublished = phase === 'pilot' ? fx.published(out.outputs, rel, fx.env.pilot.account) : published;
      const post = await runPostApplyGates(fx.context(phase, rel, releases, gatePublished));
      for (const r of post) expect({ phase, status: r.status, detail: show(r) }).toEqual({ phase, status: 'passed', detail: show(r) });
      expect(post.map((g) => g.gate)).toEqual(['propagation', 'smoke', 'effective-policy']);
      const smoke = post[1]!;
      // Every case of the suite ran from at least one account in every region.
      const cases = fx.env.phases[phase].smoke.map((c) => c.id);
      for (const id of cases)
        for (const region of fx.env.regions) {
          expect(smoke.checks.some((c) => c.id.startsWith(`smoke:${id}@`) && c.region === region && c.status === 'passed')).toBe(true);
        }
      // Organization phases: Organizations reports no account with an invalid effective BEDROCK_POLICY.
      if (phase !== 'pilot') expect(post[2]!.checks.find((c) => c.id === 'effective:invalid-accounts')?.status).toBe('passed');
      if (phase === 'enterprise') {
        // Every account of the organization was verified, not a sample.
        const eff = post[2]!;
        for (const a of fx.env.organization.accounts)
          expect(eff.checks.some((c) => c.account === a.id && c.status === 'passed')).toBe(true);
      }
    }
  });

  it('an unmanaged BEDROCK_POLICY attached anywhere fails preflight (drift) and the effective-policy check', async () => {
    const rel = fx.env.currentRelease;
    const releases = { pilot: rel, 'model-rules': rel, ou: rel, enterprise: rel };
    const g = await fx.apply(fx.synth(releases).get('guardrails')!);
    const published = fx.published(g.outputs, rel, fx.env.managementAccountId);
    const org = fx.access.forAccount(fx.env.managementAccountId).organizations;
    const arn = published['us-east-1']!.guardrailArn;
    const created = await org.send(
      new CreatePolicyCommand({
        Name: 'hand-made-bedrock',
        Type: 'BEDROCK_POLICY',
        Description: 'made in the console',
        Content: JSON.stringify({
          bedrock: { guardrail_inference: { 'us-east-1': { config_1: { identifier: { '@@assign': `${arn}:9` } } } } },
        }),
      }),
    );
    const id = created.Policy!.PolicySummary!.Id!;
    await org.send(new AttachPolicyCommand({ PolicyId: id, TargetId: '333333333331' }));
    const pre = await runPreflight(fx.context('enterprise', rel, releases, published));
    expect(pre.status).toBe('failed');
    expect(failed(pre).map((c) => c.id)).toContain(`preflight:drift:${id}`);
    const eff = await runEffectivePolicyCheck(fx.context('enterprise', rel, releases, published));
    expect(eff.status).toBe('failed');
    expect(failed(eff).map((c) => c.account)).toContain('333333333331');
    // Version 9 does not exist: Organizations lists the account as invalid (ListAccountsWithInvalidEffectivePolicy)
    // and the gate names the validation error, independently of the expected-vs-actual comparison.
    const invalid = failed(eff).find((c) => c.id === 'effective:invalid:333333333331');
    expect(invalid?.detail).toMatch(
      /^listed by ListAccountsWithInvalidEffectivePolicy\(BEDROCK_POLICY\) — GUARDRAIL_VERSION_NOT_FOUND at bedrock\.guardrail_inference\.us-east-1\.config_1\.identifier/,
    );
  });
});

describe('gates on the sandbox: defective releases are caught', () => {
  it('overblocking release: a must-pass case is blocked → smoke fails naming it', async () => {
    const fx = await startFixture({ env: withOverblockingRelease(await sandboxEnvironment()) });
    try {
      const releases = { pilot: OVERBLOCKING_RELEASE };
      const out = await fx.deploy(releases);
      const published = fx.published(out.pilot!.outputs, OVERBLOCKING_RELEASE, fx.env.pilot.account);
      const smoke = await runSmoke(fx.context('pilot', OVERBLOCKING_RELEASE, releases, published));
      expect(smoke.status).toBe('failed');
      const bad = failed(smoke);
      expect(bad.length).toBeGreaterThan(0);
      expect(bad.every((c) => c.id.startsWith('smoke:pass-benign-question@'))).toBe(true);
      expect(bad[0]!.detail).toMatch(/OVERBLOCKING/);
      expect(smoke.summary).toMatch(/pass-benign-question/);
    } finally {
      await fx.close();
    }
  });

  it('PROMPT_ATTACK at HIGH (failure story 3): the long agent system prompt is blocked → smoke fails naming it, every must-block case still blocks', async () => {
    const fx = await startFixture({ env: withPromptAttackHigh(await sandboxEnvironment()) });
    try {
      const releases = { pilot: PROMPT_ATTACK_HIGH_RELEASE };
      const out = await fx.deploy(releases);
      const published = fx.published(out.pilot!.outputs, PROMPT_ATTACK_HIGH_RELEASE, fx.env.pilot.account);
      const smoke = await runSmoke(fx.context('pilot', PROMPT_ATTACK_HIGH_RELEASE, releases, published));
      expect(smoke.status).toBe('failed');
      const bad = failed(smoke);
      // Only the long system prompt fails, in every region: the strength change overblocks nothing else.
      expect(bad.map((c) => c.region).sort()).toEqual([...fx.env.regions].sort());
      expect(bad.every((c) => c.id.startsWith('smoke:pass-long-system-prompt@'))).toBe(true);
      expect(bad[0]!.detail).toMatch(/^OVERBLOCKING: a must-pass case was blocked on \S+ \(system\)/);
      expect(bad[0]!.detail).toMatch(/PROMPT_ATTACK/);
      expect(smoke.summary).toMatch(/pass-long-system-prompt/);
      expect(smoke.checks.filter((c) => c.id.startsWith('smoke:block-prompt-attack@')).every((c) => c.status === 'passed')).toBe(true);
    } finally {
      await fx.close();
    }
  });

  it('mistyped model exclusion: the embedding model stays guarded → smoke fails', async () => {
    const fx = await startFixture({ env: withMistypedExclusion(await sandboxEnvironment()) });
    try {
      const rel = fx.env.currentRelease;
      const releases = { pilot: rel, 'model-rules': rel };
      const out = await fx.deploy(releases);
      const published = fx.published(out.guardrails!.outputs, rel, fx.env.managementAccountId);
      const smoke = await runSmoke(fx.context('model-rules', rel, releases, published));
      expect(smoke.status).toBe('failed');
      const ids = failed(smoke).map((c) => c.id);
      expect(ids).toContain(`smoke:exclusion-id:${MISTYPED_EXCLUSION}`);
      expect(ids.some((id) => id.startsWith('smoke:pass-excluded-embedding@'))).toBe(true);
      expect(failed(smoke).find((c) => c.id.startsWith('smoke:exclusion-id'))!.detail).toMatch(
        /did you mean amazon\.titan-embed-text-v2:0/,
      );
    } finally {
      await fx.close();
    }
  });

  it('missing resource policy: members cannot ApplyGuardrail → preflight fails before enforcement', async () => {
    const fx = await startFixture();
    try {
      const rel = fx.env.currentRelease;
      const releases = { pilot: rel, 'model-rules': rel };
      const g = await fx.apply(fx.synth(releases).get('guardrails')!);
      const published = fx.published(g.outputs, rel, fx.env.managementAccountId);
      await deleteResourcePolicies(fx, published);
      const pre = await runPreflight(fx.context('model-rules', rel, releases, published));
      expect(pre.status).toBe('failed');
      const ids = failed(pre).map((c) => c.id);
      for (const region of fx.env.regions) {
        expect(ids).toContain(`preflight:resource-policy@${region}`);
        expect(ids).toContain(`preflight:apply-guardrail@${fx.env.pilot.account}/${region}`);
      }
      expect(failed(pre).find((c) => c.id.startsWith('preflight:apply-guardrail'))!.detail).toMatch(/AccessDenied/);
    } finally {
      await fx.close();
    }
  });

  it('expired exception still in force: other phases fail preflight; enterprise passes only when its apply drops the policy, which it then detaches', async () => {
    const fx = await startFixture({ env: withExpiringException(await sandboxEnvironment()) });
    try {
      const rel = fx.env.currentRelease;
      const releases = { pilot: rel, 'model-rules': rel, ou: rel, enterprise: rel };
      const excId = `preflight:exception:${EXPIRING_EXCEPTION.id}`;
      const policyName = `guardrail-rollout-exception-${EXPIRING_EXCEPTION.id}`;
      // Applied while the exception was active: its policy is attached to the account.
      const out = await fx.deploy(releases, EXCEPTION_ACTIVE_AT);
      const published = fx.published(out.guardrails!.outputs, rel, fx.env.managementAccountId);
      const org = fx.access.forAccount(fx.env.managementAccountId).organizations;
      const attachedTo = async (target: string) =>
        ((await org.send(new ListPoliciesForTargetCommand({ TargetId: target, Filter: 'BEDROCK_POLICY' }))).Policies ?? []).map(
          (p) => p.Name,
        );
      expect(await attachedTo(EXPIRING_EXCEPTION.target)).toContain(policyName);

      // While it was active, preflight passes.
      const before = await runPreflight(fx.context('enterprise', rel, releases, published, { asOf: EXCEPTION_ACTIVE_AT }));
      expect({ status: before.status, detail: show(before) }).toEqual({ status: 'passed', detail: show(before) });

      // A non-enterprise phase: nothing new goes on top of an out-of-policy organization.
      for (const phase of ['pilot', 'ou'] as const) {
        const pre = await runPreflight(
          fx.context(phase, rel, releases, phase === 'pilot' ? fx.published(out.pilot!.outputs, rel, fx.env.pilot.account) : published),
        );
        expect(pre.status).toBe('failed');
        expect(failed(pre).map((c) => c.id)).toEqual([excId]);
        expect(failed(pre)[0]!.detail).toMatch(
          new RegExp(
            `^exception ${EXPIRING_EXCEPTION.id} expired on 2026-11-20 but policy p-\\w+ still applies it to 555555555553; ` +
              `re-apply the enterprise phase \\(\`rollout promote enterprise --release ${rel.replace(/[.@]/g, '\\$&')}\`.*\\) or renew the exception$`,
          ),
        );
      }

      // Enterprise with a stack that still carries the exception (synthesized while it was active): fails.
      const stale = fx.synth(releases, EXCEPTION_ACTIVE_AT).get('enterprise')!;
      expect(plannedPoliciesOf(stale).map((p) => p.name)).toContain(policyName);
      const keeps = await runPreflight(fx.context('enterprise', rel, releases, published, { plannedPolicies: plannedPoliciesOf(stale) }));
      expect(failed(keeps).map((c) => c.id)).toEqual([excId]);
      expect(failed(keeps)[0]!.detail).toMatch(/still applies it to 555555555553, and the enterprise stack being applied keeps it/);
      // Without knowing the planned stack, enterprise cannot show the apply removes it: fails.
      const unknown = await runPreflight(fx.context('enterprise', rel, releases, published));
      expect(failed(unknown).map((c) => c.id)).toEqual([excId]);

      // Enterprise with the stack synthesized as of today (the builder dropped the exception): passes…
      const fresh = fx.synth(releases).get('enterprise')!;
      const planned = plannedPoliciesOf(fresh).map((p) => p.name);
      expect(planned).toContain('guardrail-rollout-enterprise');
      expect(planned).not.toContain(policyName);
      const pre = await runPreflight(fx.context('enterprise', rel, releases, published, { plannedPolicies: plannedPoliciesOf(fresh) }));
      expect({ status: pre.status, detail: show(pre) }).toEqual({ status: 'passed', detail: show(pre) });
      expect(pre.checks.find((c) => c.id === excId)!.detail).toMatch(
        new RegExp(`^exception ${EXPIRING_EXCEPTION.id} expired; its policy p-\\w+ is removed by this apply`),
      );
      // …and that apply detaches the exception's policy; the organization is back in policy.
      await fx.apply(fresh);
      expect(await attachedTo(EXPIRING_EXCEPTION.target)).not.toContain(policyName);
      const eff = await runEffectivePolicyCheck(fx.context('enterprise', rel, releases, published));
      expect({ status: eff.status, detail: show(eff) }).toEqual({ status: 'passed', detail: show(eff) });
      const ou = await runPreflight(fx.context('ou', rel, releases, published));
      expect(ou.checks.find((c) => c.id === excId)).toMatchObject({ status: 'passed', detail: expect.stringMatching(/is not in force/) });
    } finally {
      await fx.close();
    }
  });

  it('pilot without a release: effective-policy expects no account-level configuration in any region', async () => {
    const fx = await startFixture();
    try {
      const rel = fx.env.currentRelease;
      const out = await fx.deploy({ pilot: rel });
      const published = fx.published(out.pilot!.outputs, rel, fx.env.pilot.account);
      expect((await runEffectivePolicyCheck(fx.context('pilot', rel, { pilot: rel }, published))).status).toBe('passed');
      // Still enforced, but the pilot phase is expected empty: failed in every region.
      const stale = await runEffectivePolicyCheck(fx.context('pilot', rel, {}, published));
      expect(stale.status).toBe('failed');
      expect(
        failed(stale)
          .map((c) => c.region)
          .sort(),
      ).toEqual([...fx.env.regions].sort());
      expect(failed(stale)[0]!.detail).toMatch(/still in place .* although the pilot phase has no release/);
      // Pilot stack emptied: nothing enforced anywhere → passed.
      await fx.apply(fx.synth({}).get('pilot')!);
      const removed = await runEffectivePolicyCheck(fx.context('pilot', rel, {}, published));
      expect({ status: removed.status, detail: show(removed) }).toEqual({ status: 'passed', detail: show(removed) });
      expect(removed.checks.map((c) => c.id).sort()).toEqual(
        fx.env.regions.map((r) => `effective:account-config:${fx.env.pilot.account}/${r}`).sort(),
      );
    } finally {
      await fx.close();
    }
  });
});

describe('gates on the sandbox: throttling and 5xx never produce a false pass', () => {
  it('every DescribeEffectivePolicy answered with a 5xx → effective-policy is inconclusive, not passed', async () => {
    const fx = await startFixture({ access: { maxAttempts: 2 } });
    try {
      const rel = fx.env.currentRelease;
      const releases = { pilot: rel, 'model-rules': rel, ou: rel };
      const out = await fx.deploy(releases);
      const published = fx.published(out.guardrails!.outputs, rel, fx.env.managementAccountId);
      fx.sandbox.setFaults({ DescribeEffectivePolicy: { errorRate: 1 } });
      const eff = await runEffectivePolicyCheck(fx.context('ou', rel, releases, published));
      expect(eff.status).toBe('inconclusive');
      const acct = eff.checks.filter((c) => c.id.startsWith('effective:') && c.account);
      expect(acct.length).toBeGreaterThan(0);
      expect(acct.every((c) => c.status === 'inconclusive')).toBe(true);
      // Converse throttled every time: smoke cases are inconclusive too.
      fx.sandbox.setFaults({ Converse: { throttleRate: 1 }, InvokeModel: { throttleRate: 1 } });
      const smoke = await runSmoke(fx.context('ou', rel, releases, published));
      expect(smoke.status).toBe('inconclusive');
      expect(smoke.checks.filter((c) => c.id.startsWith('smoke:block-violence@')).every((c) => c.status === 'inconclusive')).toBe(true);
      expect(fx.access.stats().throttled).toBeGreaterThan(0);
    } finally {
      await fx.close();
    }
  });

  it('intermittent throttling and 5xx → the gates still pass after retries, with the retries counted', async () => {
    const fx = await startFixture({ access: { maxAttempts: 6 } });
    try {
      const rel = fx.env.currentRelease;
      const releases = { pilot: rel, 'model-rules': rel, ou: rel };
      const out = await fx.deploy(releases);
      const published = fx.published(out.guardrails!.outputs, rel, fx.env.managementAccountId);
      fx.access.resetStats();
      fx.sandbox.setFaults({
        DescribeEffectivePolicy: { throttleRate: 0.3, errorRate: 0.1 },
        Converse: { throttleRate: 0.2, errorRate: 0.05 },
      });
      const [, smoke, eff] = await runPostApplyGates(fx.context('ou', rel, releases, published));
      const stats = fx.access.stats();
      expect(stats.byApi['bedrock-runtime:Converse']!.errors).toBeGreaterThan(0);
      expect(stats.byApi['bedrock-runtime:Converse']!.attempts).toBeGreaterThan(stats.byApi['bedrock-runtime:Converse']!.errors);
      // Never a false pass: passed only with every check passed.
      for (const r of [smoke!, eff!]) {
        expect(['passed', 'inconclusive']).toContain(r.status);
        if (r.status === 'passed') expect(r.checks.every((c) => c.status === 'passed')).toBe(true);
      }
      expect(smoke!.status).toBe('passed');
    } finally {
      await fx.close();
    }
  });
});
