/** Pure parts of the gates: scope and sampling, outcome classification, RBP reading, bake/approval, status rule. */
import { approvalGate, bakeGate, failedChecks } from '../../../rollout/gates/index.js';
import { bakeRemainingSeconds } from '../../../rollout/gates/bake/bake.js';
import { isCheckId } from '../../../rollout/gates/gate.js';
import { PREFLIGHT_CHECKS } from '../../../rollout/gates/preflight/index.js';
import { grantsOrganization } from '../../../rollout/gates/preflight/resource-policy.js';
import { worst } from '../../../rollout/gates/result.js';
import { accountsForPhase, sampleAccounts } from '../../../rollout/gates/scope.js';
import { classifyConverse, invokeEvidence } from '../../../rollout/gates/smoke/outcome.js';
import { converseInput } from '../../../rollout/gates/smoke/requests.js';
import type { GateResult } from '../../../rollout/state/contracts.js';
import type { Environment } from '../../../model/types.js';
import { FIXTURE_AS_OF, sandboxEnvironment } from '../../helpers/sandbox-fixture.js';
import { AS_ENFORCED, expectedEffective } from '../../../rollout/gates/effective-policy/expected.js';
import { canonicalJson } from '../../../core/canonical-json.js';
import { enforcementByRegion, orgSnapshotOf } from '../../../policy/index.js';
import { effectivePolicyOf } from '../../../sandbox/organizations/inheritance.js';
import { synthStacks } from '../../../stacks/synth.js';
import { releaseOutputKey } from '../../../modules/naming.js';
import { tmpOut } from '../../helpers/stacks.js';
import { exceptionsForAccount } from '../../../model/exceptions.js';

let env: Environment;
beforeAll(async () => {
  env = await sandboxEnvironment();
});

describe('scope and sampling', () => {
  it('pilot and model-rules reach the pilot account, ou the pilot OU subtree, enterprise everything', () => {
    expect(accountsForPhase(env, 'pilot')).toEqual([env.pilot.account]);
    expect(accountsForPhase(env, 'model-rules')).toEqual([env.pilot.account]);
    expect(accountsForPhase(env, 'ou').sort()).toEqual(['666666666661', '666666666663', '666666666664']);
    expect(accountsForPhase(env, 'enterprise').sort()).toEqual(env.organization.accounts.map((a) => a.id).sort());
  });

  it('takes perOu accounts from every OU, always the pilot, and tops up to the floor across OUs', () => {
    const all = accountsForPhase(env, 'enterprise');
    const parent = new Map(env.organization.accounts.map((a) => [a.id, a.parent]));
    const one = sampleAccounts(env, all, { perOu: 1, floor: 1 });
    const ous = new Set(all.map((a) => parent.get(a)));
    expect(new Set(one.map((a) => parent.get(a)))).toEqual(ous); // every OU represented
    expect(one).toContain(env.pilot.account);
    const floor = sampleAccounts(env, all, { perOu: 1, floor: 11 });
    expect(floor.length).toBe(11);
    expect(sampleAccounts(env, all, { perOu: 'all', floor: 1 })).toEqual(all);
    expect(sampleAccounts(env, all, { perOu: 1, floor: 999 }).length).toBe(all.length);
  });
});

describe('outcome classification from Converse evidence', () => {
  const assess = (extra: Record<string, unknown>, origin = ['ORGANIZATION_ENFORCED']) => ({
    trace: {
      guardrail: {
        inputAssessment: {
          g1: { ...extra, appliedGuardrailDetails: { guardrailArn: 'arn:g', guardrailVersion: '2', guardrailOrigin: origin } },
        },
      },
    },
  });
  it('blocked from findings or stopReason, anonymized without a block, allowed otherwise', () => {
    expect(
      classifyConverse({
        stopReason: 'guardrail_intervened',
        ...assess({ contentPolicy: { filters: [{ type: 'VIOLENCE', action: 'BLOCKED' }] } }),
      }),
    ).toMatchObject({ outcome: 'blocked', guarded: true, findings: ['contentPolicy:VIOLENCE=BLOCKED'] });
    expect(
      classifyConverse({
        stopReason: 'end_turn',
        ...assess({ sensitiveInformationPolicy: { piiEntities: [{ type: 'EMAIL', action: 'ANONYMIZED' }], regexes: [] } }),
      }).outcome,
    ).toBe('anonymized');
    expect(classifyConverse({ stopReason: 'guardrail_intervened' }).outcome).toBe('blocked');
    expect(
      classifyConverse({
        stopReason: 'end_turn',
        ...assess({ contentPolicy: { filters: [{ type: 'HATE', action: 'NONE', detected: true }] } }),
      }),
    ).toMatchObject({ outcome: 'allowed', guarded: true });
    expect(classifyConverse({ stopReason: 'end_turn' })).toMatchObject({ outcome: 'allowed', guarded: false });
  });
  it('reads InvokeModel guardrail body fields', () => {
    expect(invokeEvidence(JSON.stringify({ embedding: [1], 'amazon-bedrock-guardrailAction': 'INTERVENED' }))).toEqual({
      outcome: 'blocked',
      guarded: true,
    });
    expect(invokeEvidence(JSON.stringify({ embedding: [1] }))).toEqual({ outcome: 'allowed', guarded: false });
  });
  it('builds Converse requests that name no guardrail but ask for the trace', () => {
    const input = converseInput({
      id: 'x',
      surface: 'message',
      model: 'm.x',
      content: 'hi',
      tagged: true,
      expect: 'allowed',
      history: [
        { role: 'user', text: 'a' },
        { role: 'assistant', text: 'b' },
      ],
    });
    expect(input.guardrailConfig).toEqual({ guardrailIdentifier: '', guardrailVersion: '', trace: 'enabled' });
    expect(input.messages!.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(input.messages![2]!.content![0]).toHaveProperty('guardContent');
    const sys = converseInput({ id: 's', surface: 'system', model: 'm.x', content: 'You are…', expect: 'allowed' });
    expect(sys.system).toEqual([{ text: 'You are…' }]);
  });
});

describe('resource policy reading', () => {
  const arn = 'arn:aws:bedrock:us-east-1:111111111111:guardrail/abc';
  const stmt = (extra: Record<string, unknown>) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: ['bedrock:ApplyGuardrail', 'bedrock:GetGuardrail'], Resource: arn, ...extra }],
    });
  it('accepts the organization pattern and rejects the wrong org, a missing action or an OU-only grant', () => {
    expect(grantsOrganization(stmt({ Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } }), arn, 'o-1').ok).toBe(true);
    expect(grantsOrganization(stmt({ Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-2' } } }), arn, 'o-1').ok).toBe(false);
    expect(
      grantsOrganization(stmt({ Action: 'bedrock:GetGuardrail', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } }), arn, 'o-1')
        .ok,
    ).toBe(false);
    expect(
      grantsOrganization(
        stmt({
          Condition: {
            StringEquals: { 'aws:PrincipalOrgID': 'o-1' },
            'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': ['o-1/r/ou-x/*'] },
          },
        }),
        arn,
        'o-1',
      ).ok,
    ).toBe(false);
  });
});

describe('bake, approval and the status rule', () => {
  it('bake passes once bakeSeconds elapsed, else inconclusive with the time left', async () => {
    const e = { ...env, phases: { ...env.phases, ou: { ...env.phases.ou, bakeSeconds: 3600 } } };
    const appliedAt = new Date('2026-11-25T10:00:00Z');
    expect(bakeRemainingSeconds({ env: e, phase: 'ou', appliedAt, now: new Date('2026-11-25T10:30:00Z') })).toBe(1800);
    const waiting = await bakeGate.run({ env: e, phase: 'ou', appliedAt, now: new Date('2026-11-25T10:30:00Z') });
    expect(waiting.status).toBe('inconclusive');
    expect(waiting.summary).toMatch(/1800s left/);
    expect((await bakeGate.run({ env: e, phase: 'ou', appliedAt, now: new Date('2026-11-25T11:00:00Z') })).status).toBe('passed');
  });
  it('approval: not required → passed; --approve with a reason → passed and recorded; none → inconclusive; declined → failed', async () => {
    const e = { ...env, phases: { ...env.phases, enterprise: { ...env.phases.enterprise, approval: true } } };
    expect((await approvalGate.run({ env, phase: 'enterprise', release: 'r', interactive: false })).status).toBe('passed');
    const ok = await approvalGate.run({ env: e, phase: 'enterprise', release: 'r', interactive: false, approve: 'CHG-1 reviewed' });
    expect(ok.status).toBe('passed');
    expect(ok.checks[0]!.evidence).toMatchObject({ reason: 'CHG-1 reviewed' });
    expect((await approvalGate.run({ env: e, phase: 'enterprise', release: 'r', interactive: false, approve: '  ' })).status).toBe(
      'failed',
    );
    expect((await approvalGate.run({ env: e, phase: 'enterprise', release: 'r', interactive: false })).status).toBe('inconclusive');
    expect(
      (await approvalGate.run({ env: e, phase: 'enterprise', release: 'r', interactive: true, prompt: async () => false })).status,
    ).toBe('failed');
  });
  it('failed beats inconclusive beats passed; no evidence is inconclusive', () => {
    expect(worst(['passed', 'inconclusive', 'failed'])).toBe('failed');
    expect(worst(['passed', 'inconclusive'])).toBe('inconclusive');
    expect(worst(['passed'])).toBe('passed');
    expect(worst([])).toBe('inconclusive');
  });
});

describe('failedChecks: what promote, rollback and verify list as not passed', () => {
  const gate = (g: Partial<GateResult>): GateResult => ({
    gate: 'smoke',
    status: 'passed',
    summary: 'smoke: passed',
    checks: [],
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    ...g,
  });
  it('lists every check that did not pass, with its gate, in gate order', () => {
    const smoke = gate({
      status: 'failed',
      checks: [
        { id: 'smoke:a@1/r', status: 'passed', detail: 'ok' },
        { id: 'smoke:b@1/r', status: 'failed', detail: 'blocked', account: '1', region: 'r' },
        { id: 'smoke:c@1/r', status: 'inconclusive', detail: 'throttled' },
      ],
    });
    const effective = gate({
      gate: 'effective-policy',
      status: 'failed',
      checks: [{ id: 'effective:1', status: 'failed', detail: 'differs' }],
    });
    expect(failedChecks([smoke, effective])).toEqual([
      { id: 'smoke:b@1/r', status: 'failed', detail: 'blocked', account: '1', region: 'r', gate: 'smoke' },
      { id: 'smoke:c@1/r', status: 'inconclusive', detail: 'throttled', gate: 'smoke' },
      { id: 'effective:1', status: 'failed', detail: 'differs', gate: 'effective-policy' },
    ]);
    expect(failedChecks([gate({ checks: [{ id: 'smoke:a@1/r', status: 'passed', detail: 'ok' }] })])).toEqual([]);
  });
  it('names a gate that did not pass without a failed check (no evidence) by the gate itself', () => {
    const empty = gate({ status: 'inconclusive', summary: 'smoke: no evidence collected (inconclusive)' });
    expect(failedChecks([empty])).toEqual([
      { gate: 'smoke', id: 'smoke', status: 'inconclusive', detail: 'smoke: no evidence collected (inconclusive)' },
    ]);
  });
});

describe('the Gate and Check interfaces', () => {
  it('each gate carries the name its results have', async () => {
    const r = await bakeGate.run({ env, phase: 'pilot', appliedAt: new Date(0), now: new Date() });
    expect([bakeGate.name, approvalGate.name]).toEqual(['bake', 'approval']);
    expect(r.gate).toBe(bakeGate.name);
  });
  it('preflight check ids are exact or a prefix before @ or :', () => {
    const ids = PREFLIGHT_CHECKS.flatMap((c) => c.ids);
    expect(ids.every((id) => id.startsWith('preflight:'))).toBe(true);
    expect(isCheckId(ids, 'preflight:published@us-east-1')).toBe(true);
    expect(isCheckId(ids, 'preflight:exception:ex-1')).toBe(true);
    expect(isCheckId(ids, 'preflight:policy-type')).toBe(true);
    expect(isCheckId(ids, 'preflight:publishedx')).toBe(false);
    expect(isCheckId(ids, 'smoke:published@us-east-1')).toBe(false);
  });
});

describe('effective-policy gate: the expected policy follows what each phase holds', () => {
  const NEW = 'amazon.titan-image-generator-v2:0';
  const usExcluded = (doc: Record<string, unknown> | null | undefined) =>
    enforcementByRegion(doc ?? null).find((e) => e.region === env.regions[0])!.excludedModels;

  it('equals what the synthesized stacks make Organizations compute (the emulator), step by step, and honours phaseEnforcement', () => {
    const U1 = env.enforcement;
    const U2 = { ...U1, models: { ...U1.models, excluded: [...U1.models.excluded, NEW] } };
    const rel = env.currentRelease;
    const identifiers = {
      [rel]: Object.fromEntries(env.regions.map((r) => [r, `arn:aws:bedrock:${r}:${env.managementAccountId}:guardrail/abcdefabcdef:7`])),
    };
    const phaseStacks = { pilot: { release: rel }, 'model-rules': { release: rel }, ou: { release: rel }, enterprise: { release: rel } };
    const steps = [
      { 'model-rules': U1, ou: U1, enterprise: U1 },
      { 'model-rules': U2, ou: U1, enterprise: U1 },
      { 'model-rules': U2, ou: U2, enterprise: U1 },
      { 'model-rules': U2, ou: U2, enterprise: U2 },
    ];
    const pilotOu = new Set(accountsForPhase(env, 'ou'));
    steps.forEach((phaseEnforcement, step) => {
      const expected = expectedEffective({ env, asOf: FIXTURE_AS_OF, phaseStacks, phaseEnforcement }, identifiers);
      // What the stacks synthesize, with the guardrails stack's identifier outputs resolved.
      const artifacts = synthStacks(
        {
          env,
          releases: { 'model-rules': rel, ou: rel, enterprise: rel },
          asOf: FIXTURE_AS_OF,
          outdir: tmpOut(),
          enforcement: phaseEnforcement,
        },
        ['model-rules', 'ou', 'enterprise'],
      );
      const policies = artifacts.flatMap((a) => {
        const res = (a.json as { resource?: Record<string, Record<string, Record<string, string>>> }).resource ?? {};
        return Object.entries(res.aws_organizations_policy ?? {}).map(([name, p]) => ({
          id: `${a.name}/${name}`,
          content: JSON.parse(
            p.content.replace(/\$\{data\.terraform_remote_state\.guardrails\.outputs\.([a-z0-9_]+)\}/g, (_m, key: string) => {
              const region = env.regions.find((r) => key === releaseOutputKey(rel, r, 'identifier'))!;
              return identifiers[rel]![region]!;
            }),
          ),
          targets: Object.values(res.aws_organizations_policy_attachment ?? {})
            .filter((t) => t.policy_id === `\${aws_organizations_policy.${name}.id}`)
            .map((t) => t.target_id!),
        }));
      });
      for (const a of env.organization.accounts) {
        const organizations = effectivePolicyOf(orgSnapshotOf(env), policies, a.id);
        expect({ step, account: a.id, policy: canonicalJson(expected.get(a.id), AS_ENFORCED) }).toEqual({
          step,
          account: a.id,
          policy: canonicalJson(organizations, AS_ENFORCED),
        });
        // The baseline list moves phase by phase (an account whose exception already adds the model is skipped).
        if (exceptionsForAccount(env, a.id, FIXTURE_AS_OF).some((x) => x.changes.excludedModels?.includes(NEW))) continue;
        const wantsNew = step === 3 || (step === 2 && pilotOu.has(a.id)) || (step === 1 && a.id === env.pilot.account);
        expect({ step, account: a.id, hasNew: usExcluded(expected.get(a.id)).includes(NEW) }).toEqual({
          step,
          account: a.id,
          hasNew: wantsNew,
        });
      }
    });
  });
});
