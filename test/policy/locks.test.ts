/**
 * Enforcement changes roll out phase by phase (issue 9, item 3): a wider phase's baseline opens
 * exactly the settings a narrower phase holds differently, and closes them once it holds the same.
 * Every step is checked against the emulator's own inheritance (what Organizations computes) too.
 */
import fc from 'fast-check';
import type { EnforcementDefaults } from '../../model/types.js';
import {
  buildOrgPolicies,
  buildPhasePolicies,
  childControlPlan,
  effectivePolicies,
  enforcementByRegion,
  heldEnforcement,
  inFlightSettings,
  locksFor,
  orgSnapshotOf,
  phasesNeedingLocks,
  relockPlan,
  type EnforcementByPhase,
  type OrgPhase,
  type PolicySpec,
} from '../../policy/index.js';
import { effectivePolicyOf } from '../../sandbox/organizations/inheritance.js';
import { OTHER_OU, PILOT_ACCOUNT, PILOT_OU, ROOT, exception, ids, testEnv } from '../helpers/policy.js';

const asOf = new Date('2026-05-01T12:00:00Z');
const REL = 'baseline@1.1.0';
const ALL_PHASES = { pilot: REL, 'model-rules': REL, ou: REL, enterprise: REL };
const CTL = '@@operators_allowed_for_child_policies';
const NEW_MODEL = 'amazon.titan-image-generator-v2:0';

const env = testEnv();
const U1: EnforcementDefaults = env.enforcement;
const U2: EnforcementDefaults = { ...U1, models: { ...U1.models, excluded: [...U1.models.excluded, NEW_MODEL] } };
const ACCOUNTS = env.organization.accounts.map((a) => a.id); // 222 pilot, 333 pilot OU, 444 other OU, 555 under the root
const IN_PILOT_OU = [PILOT_ACCOUNT, '333333333333'];
const OUTSIDE = ['444444444444', '555555555555'];

const held = (mr: EnforcementDefaults, ou: EnforcementDefaults, ent: EnforcementDefaults): EnforcementByPhase => ({
  pilot: mr,
  'model-rules': mr,
  ou,
  enterprise: ent,
});

/** The organization after every phase is applied with these settings: policies, effective per account (engine = emulator). */
function organization(enforcement: EnforcementByPhase, e = env) {
  const specs = buildOrgPolicies({ env: e, releases: ALL_PHASES, identifiers: () => ids(3, e), asOf, enforcement });
  const policies = specs.map(({ phase, spec }) => ({ id: `${phase}/${spec.key}`, content: spec.content, targets: spec.targets }));
  const engine = effectivePolicies(orgSnapshotOf(e, policies));
  const tree = orgSnapshotOf(e);
  for (const a of ACCOUNTS) {
    // The emulator's independent inheritance computes the same effective policy.
    expect({ account: a, policy: effectivePolicyOf(tree, policies, a) }).toEqual({ account: a, policy: engine.get(a)!.policy });
    // Nothing a managed policy sets with another value is silently dropped by a lock.
    const dropped = engine
      .get(a)!
      .ignored.filter((i) => JSON.stringify(i.value) !== JSON.stringify(valueAt(engine.get(a)!.policy, i.path)));
    expect({ account: a, dropped }).toEqual({ account: a, dropped: [] });
  }
  const baseline = (phase: OrgPhase) => specs.find((s) => s.phase === phase && s.spec.key === 'baseline')!.spec;
  const us = (a: string) => enforcementByRegion(engine.get(a)!.policy).find((x) => x.region === 'us-east-1')!;
  return { specs, baseline, us };
}

function valueAt(doc: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((cur, k) => (cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined), doc);
}

/** Child-control lists of a baseline (us-east-1; every region carries the same). */
function locksOf(spec: PolicySpec) {
  const c = (spec.content.bedrock.guardrail_inference['us-east-1'] as any).config_1;
  return {
    identifier: c.identifier[CTL],
    system: c.selective_content_guarding.system[CTL],
    messages: c.selective_content_guarding.messages[CTL],
    included_models: c.model_enforcement.included_models[CTL],
    excluded_models: c.model_enforcement.excluded_models[CTL],
  };
}
const CLOSED = {
  identifier: ['@@assign'],
  system: ['@@none'],
  messages: ['@@none'],
  included_models: ['@@none'],
  excluded_models: ['@@none'],
};

describe('locksFor (pure)', () => {
  test('a setting whose value is the same in every phase stays @@none; only the differing one opens, with @@assign', () => {
    const plan = locksFor('enterprise', held(U2, U1, U1), []);
    expect([plan.identifier, plan.system, plan.messages, plan.includedModels, plan.excludedModels]).toEqual([
      ['@@assign'],
      ['@@none'],
      ['@@none'],
      ['@@none'],
      ['@@assign'],
    ]);
    expect(plan.inFlight).toEqual([{ setting: 'excludedModels', phases: ['model-rules'] }]);
    expect(plan.reasons.join('\n')).toMatch(/excluded_models: @@assign — in flight: model-rules holds another value than enterprise/);
    // Everything equal: the plan of a rollout at rest, exactly today's.
    expect(locksFor('enterprise', held(U1, U1, U1), [])).toEqual(childControlPlan([]));
    expect(childControlPlan([]).inFlight).toEqual([]);
  });

  test('only narrower ORG phases count: model-rules never opens, the pilot (account-level) never opens anything', () => {
    expect(inFlightSettings('model-rules', held(U1, U2, U2))).toEqual([]);
    expect(inFlightSettings('enterprise', { pilot: U2, 'model-rules': U1, ou: U1, enterprise: U1 })).toEqual([]);
    // A phase holding nothing opens nothing, and a phase absent from the map is not compared.
    expect(inFlightSettings('ou', { 'model-rules': U2 })).toEqual([]);
    expect(inFlightSettings('enterprise', { 'model-rules': U2, enterprise: U1 })).toEqual([
      { setting: 'excludedModels', phases: ['model-rules'] },
    ]);
  });

  test('model lists compare as sets: a reordered list opens nothing', () => {
    const reordered = { ...U2, models: { ...U2.models, excluded: [...U2.models.excluded].reverse() } };
    expect(inFlightSettings('enterprise', held(reordered, U2, U2))).toEqual([]);
  });

  test('exceptions keep their own rule; a setting both in flight and needed by an exception allows both operators', () => {
    const active = [exception({ id: 'EXC-1', target: OTHER_OU, changes: { excludedModels: ['cohere.embed-english-v3'] } })];
    expect(locksFor('enterprise', held(U1, U1, U1), active).excludedModels).toEqual(['@@append']);
    expect(locksFor('enterprise', held(U2, U1, U1), active).excludedModels).toEqual(['@@assign', '@@append']);
    const mode = [exception({ id: 'EXC-2', target: OTHER_OU, changes: { messages: 'selective' } })];
    const sel = { ...U1, messages: 'selective' as const };
    expect(locksFor('enterprise', held(sel, U1, U1), mode).messages).toEqual(['@@assign']);
  });

  test('heldEnforcement: one entry per phase holding a release, missing ⇒ env.enforcement', () => {
    expect(heldEnforcement(env, { 'model-rules': REL, ou: undefined, enterprise: REL }, { 'model-rules': U2, ou: U2 })).toEqual({
      'model-rules': U2,
      enterprise: U1,
    });
  });
});

describe('an excluded-model change rolls out phase by phase (example 3)', () => {
  test('U1 everywhere → U2 at model-rules → at ou → at enterprise', () => {
    // 1. U1 everywhere: every lock closed, every account has U1's list.
    const s1 = organization(held(U1, U1, U1));
    for (const a of ACCOUNTS) expect(s1.us(a).excludedModels).toEqual(U1.models.excluded);
    for (const p of ['model-rules', 'ou', 'enterprise'] as const) expect(locksOf(s1.baseline(p))).toEqual(CLOSED);

    // 2. U2 at model-rules only: the pilot account has the new model, every other account U1's list;
    //    the root's and the pilot OU's baselines open excluded_models, and nothing else.
    const s2 = organization(held(U2, U1, U1));
    expect(s2.us(PILOT_ACCOUNT).excludedModels).toEqual(U2.models.excluded);
    for (const a of ['333333333333', ...OUTSIDE]) expect({ a, x: s2.us(a).excludedModels }).toEqual({ a, x: U1.models.excluded });
    const opened = { ...CLOSED, excluded_models: ['@@assign'] };
    expect(locksOf(s2.baseline('enterprise'))).toEqual(opened);
    expect(locksOf(s2.baseline('ou'))).toEqual(opened);
    expect(locksOf(s2.baseline('model-rules'))).toEqual(CLOSED);
    // Each phase's policy carries its own unit's list.
    const listOf = (spec: PolicySpec) =>
      (spec.content.bedrock.guardrail_inference['us-east-1'] as any).config_1.model_enforcement.excluded_models['@@assign'];
    expect([listOf(s2.baseline('model-rules')), listOf(s2.baseline('ou')), listOf(s2.baseline('enterprise'))]).toEqual([
      U2.models.excluded,
      U1.models.excluded,
      U1.models.excluded,
    ]);

    // 3. U2 at ou too: every account of the pilot OU has it; the root stays open, the OU closes.
    const s3 = organization(held(U2, U2, U1));
    for (const a of IN_PILOT_OU) expect({ a, x: s3.us(a).excludedModels }).toEqual({ a, x: U2.models.excluded });
    for (const a of OUTSIDE) expect({ a, x: s3.us(a).excludedModels }).toEqual({ a, x: U1.models.excluded });
    expect(locksOf(s3.baseline('enterprise'))).toEqual(opened);
    expect(locksOf(s3.baseline('ou'))).toEqual(CLOSED);

    // 4. U2 at enterprise: every account has it and no lock is open any more.
    const s4 = organization(held(U2, U2, U2));
    for (const a of ACCOUNTS) expect(s4.us(a).excludedModels).toEqual(U2.models.excluded);
    for (const p of ['model-rules', 'ou', 'enterprise'] as const) expect(locksOf(s4.baseline(p))).toEqual(CLOSED);
    // Compared with U1 everywhere, the only difference is the list.
    const withList = (specs: typeof s1.specs, list: string[]) =>
      JSON.stringify(specs).replaceAll(JSON.stringify(U1.models.excluded), JSON.stringify(list));
    expect(JSON.stringify(s4.specs)).toBe(withList(s1.specs, U2.models.excluded));
    expect(JSON.stringify(s4.specs)).not.toBe(JSON.stringify(s1.specs));
  });

  test('which wider phases the flow re-applies: before the narrower phase when a lock opens, after it when one closes', () => {
    expect(phasesNeedingLocks(held(U1, U1, U1))).toEqual([]);
    expect(phasesNeedingLocks(held(U2, U1, U1))).toEqual(['ou', 'enterprise']);
    expect(phasesNeedingLocks(held(U2, U2, U1))).toEqual(['enterprise']);
    // Promote U2 into model-rules: enterprise and ou open excluded_models first.
    expect(relockPlan(held(U1, U1, U1), held(U2, U1, U1))).toEqual({
      first: ['enterprise', 'ou'],
      after: [],
      changes: [
        { phase: 'enterprise', open: ['excludedModels'], close: [] },
        { phase: 'ou', open: ['excludedModels'], close: [] },
      ],
    });
    // Into ou: enterprise's locks do not change; ou closes its own lock by its own apply.
    expect(relockPlan(held(U2, U1, U1), held(U2, U2, U1))).toMatchObject({ first: [], after: ['ou'] });
    // Into enterprise: it closes its own lock by its own apply.
    expect(relockPlan(held(U2, U2, U1), held(U2, U2, U2))).toMatchObject({ first: [], after: ['enterprise'] });
    // Rolling model-rules back to U1: the wider locks are no longer needed, closed after the rollback.
    expect(relockPlan(held(U2, U1, U1), held(U1, U1, U1))).toMatchObject({ first: [], after: ['enterprise', 'ou'] });
    // A phase holding nothing on either side is not listed.
    expect(relockPlan({ 'model-rules': U1 }, { 'model-rules': U2, enterprise: U1 })).toEqual({ first: [], after: [], changes: [] });
  });
});

describe('a guarding-mode change rolls out phase by phase', () => {
  const M1: EnforcementDefaults = { ...U1, messages: 'selective' };
  const M2: EnforcementDefaults = { ...U1, messages: 'comprehensive' };
  test('messages selective → comprehensive: pilot account, then pilot OU, then everyone; only messages opens', () => {
    const mode = (a: string, s: ReturnType<typeof organization>) => ({ a, messages: s.us(a).messages });
    const opened = { ...CLOSED, messages: ['@@assign'] };

    const s1 = organization(held(M1, M1, M1));
    for (const a of ACCOUNTS) expect(mode(a, s1)).toEqual({ a, messages: 'selective' });

    const s2 = organization(held(M2, M1, M1));
    expect(mode(PILOT_ACCOUNT, s2)).toEqual({ a: PILOT_ACCOUNT, messages: 'comprehensive' });
    for (const a of ['333333333333', ...OUTSIDE]) expect(mode(a, s2)).toEqual({ a, messages: 'selective' });
    expect(locksOf(s2.baseline('enterprise'))).toEqual(opened);
    expect(locksOf(s2.baseline('ou'))).toEqual(opened);

    const s3 = organization(held(M2, M2, M1));
    for (const a of IN_PILOT_OU) expect(mode(a, s3)).toEqual({ a, messages: 'comprehensive' });
    for (const a of OUTSIDE) expect(mode(a, s3)).toEqual({ a, messages: 'selective' });
    expect(locksOf(s3.baseline('enterprise'))).toEqual(opened);
    expect(locksOf(s3.baseline('ou'))).toEqual(CLOSED);

    const s4 = organization(held(M2, M2, M2));
    for (const a of ACCOUNTS) expect(mode(a, s4)).toEqual({ a, messages: 'comprehensive' });
    for (const p of ['model-rules', 'ou', 'enterprise'] as const) expect(locksOf(s4.baseline(p))).toEqual(CLOSED);
    // The system mode and the model lists never opened.
    for (const s of [s2, s3]) expect(locksOf(s.baseline('enterprise')).system).toEqual(['@@none']);
  });

  test('a phase between two that agree still lets the narrowest one through (model-rules X, ou Y, enterprise X)', () => {
    const s = organization(held(M1, M2, M1));
    expect(s.us(PILOT_ACCOUNT).messages).toBe('selective');
    expect(s.us('333333333333').messages).toBe('comprehensive');
    expect(s.us('444444444444').messages).toBe('selective');
    expect(locksOf(s.baseline('enterprise')).messages).toEqual(['@@assign']);
    expect(locksOf(s.baseline('ou')).messages).toEqual(['@@assign']);
  });
});

describe('in flight next to an active exception', () => {
  test('an exception below the pilot OU still appends while the OU carries the new list', () => {
    const e = testEnv({
      exceptions: [exception({ id: 'EXC-1', target: '333333333333', changes: { excludedModels: ['cohere.embed-english-v3'] } })],
    });
    const s = organization(held(U2, U2, U1), e);
    expect(s.us('333333333333').excludedModels).toEqual([...U2.models.excluded, 'cohere.embed-english-v3']);
    expect(s.us(PILOT_ACCOUNT).excludedModels).toEqual(U2.models.excluded);
    expect(s.us('555555555555').excludedModels).toEqual(U1.models.excluded);
    expect(locksOf(s.baseline('enterprise')).excluded_models).toEqual(['@@assign', '@@append']);
    expect(locksOf(s.baseline('ou')).excluded_models).toEqual(['@@append']);
  });

  test('buildPhasePolicies without `held` is the baseline of a rollout at rest', () => {
    const [spec] = buildPhasePolicies({ env, phase: 'enterprise', identifiers: ids(3), asOf });
    expect(locksOf(spec!)).toEqual(CLOSED);
    const [same] = buildPhasePolicies({ env, phase: 'enterprise', identifiers: ids(3), asOf, held: held(U1, U1, U1) });
    expect(same).toEqual(spec);
    expect(spec!.targets).toEqual([ROOT]);
    expect(buildPhasePolicies({ env, phase: 'ou', identifiers: ids(3), asOf, held: held(U2, U1, U1) })[0]!.targets).toEqual([PILOT_OU]);
  });
});

describe('property: every account gets the settings of the narrowest phase on its path that holds a unit', () => {
  const choices: EnforcementDefaults[] = [
    U1,
    U2,
    { ...U1, messages: 'selective' },
    { ...U2, system: 'selective', models: { included: ['amazon.nova-lite-v1:0'], excluded: [] } },
  ];
  test('random settings per phase (some phases holding nothing): engine = emulator = narrowest phase; locks open only where a narrower phase differs', () => {
    const pick = fc.option(fc.constantFrom(...choices), { nil: undefined });
    fc.assert(
      fc.property(pick, pick, pick, (mr, ou, ent) => {
        const enforcement: EnforcementByPhase = { 'model-rules': mr, ou, enterprise: ent };
        const releases = { 'model-rules': mr && REL, ou: ou && REL, enterprise: ent && REL };
        const specs = buildOrgPolicies({ env, releases, identifiers: () => ids(3), asOf, enforcement });
        const policies = specs.map(({ phase, spec }) => ({ id: `${phase}/${spec.key}`, content: spec.content, targets: spec.targets }));
        const engine = effectivePolicies(orgSnapshotOf(env, policies));
        const want: Record<string, EnforcementDefaults | undefined> = {
          [PILOT_ACCOUNT]: mr ?? ou ?? ent,
          '333333333333': ou ?? ent,
          '444444444444': ent,
          '555555555555': ent,
        };
        for (const a of ACCOUNTS) {
          const policy = engine.get(a)!.policy;
          expect(effectivePolicyOf(orgSnapshotOf(env), policies, a)).toEqual(policy);
          const w = want[a];
          const got = enforcementByRegion(policy).find((x) => x.region === 'us-east-1');
          if (!w) expect(got).toBeUndefined();
          else
            expect({
              a,
              ...got,
              identifier: undefined,
              guardrailArn: undefined,
              version: undefined,
              region: undefined,
              config: undefined,
            }).toEqual({
              a,
              system: w.system,
              messages: w.messages,
              includedModels: w.models.included.length ? w.models.included : ['ALL'],
              excludedModels: w.models.excluded,
            });
        }
        // A lock is open only where a narrower held phase holds another value.
        for (const { phase, spec } of specs) {
          const l = locksOf(spec);
          const own = enforcement[phase]!;
          const narrower = (['model-rules', 'ou'] as const).filter(
            (p) => ['model-rules', 'ou', 'enterprise'].indexOf(p) < ['model-rules', 'ou', 'enterprise'].indexOf(phase),
          );
          const differs = (f: (e: EnforcementDefaults) => unknown) =>
            narrower.some((p) => enforcement[p] && JSON.stringify(f(enforcement[p]!)) !== JSON.stringify(f(own)));
          expect(l.messages).toEqual(differs((e) => e.messages) ? ['@@assign'] : ['@@none']);
          expect(l.system).toEqual(differs((e) => e.system) ? ['@@assign'] : ['@@none']);
          expect(l.included_models).toEqual(differs((e) => e.models.included) ? ['@@assign'] : ['@@none']);
          expect(l.excluded_models).toEqual(differs((e) => e.models.excluded) ? ['@@assign'] : ['@@none']);
        }
      }),
      { numRuns: 64 },
    );
  });
});
