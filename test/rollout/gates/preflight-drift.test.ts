/**
 * Drift by content (issue 9 item 6, example 7), on the sandbox through real SDK calls: after the
 * pilot and model-rules applies are recorded with readEnforcementSnapshot, preflight of the next
 * phase (ou) halts on any out-of-band change to a managed BEDROCK_POLICY (content or targets),
 * on a hand-made policy however managed it looks, and on a changed account-level configuration;
 * with no tampering it passes.
 */
import {
  ListEnforcedGuardrailsConfigurationCommand,
  PutEnforcedGuardrailConfigurationCommand,
  DeleteEnforcedGuardrailConfigurationCommand,
} from '@aws-sdk/client-bedrock';
import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  DeletePolicyCommand,
  DescribePolicyCommand,
  DetachPolicyCommand,
  UpdatePolicyCommand,
} from '@aws-sdk/client-organizations';
import { managedPolicyDescription, phasePolicyName } from '../../../core/naming.js';
import type { Phase } from '../../../model/types.js';
import { runPreflight, type GateRunContext } from '../../../rollout/gates/index.js';
import { compareWithRecord, jsonDiff } from '../../../rollout/gates/preflight/drift.js';
import {
  type EnforcementSnapshot,
  mergeSnapshots,
  phaseShare,
  readEnforcementSnapshot,
  type RecordedAccountConfig,
  type RecordedPolicy,
} from '../../../rollout/gates/preflight/index.js';
import type { CheckResult, GateResult, PublishedVersion } from '../../../rollout/state/contracts.js';
import { sandboxEnvironment, startFixture, type Fixture } from '../../helpers/sandbox-fixture.js';

const failed = (r: GateResult | CheckResult[]) => (Array.isArray(r) ? r : r.checks).filter((c) => c.status === 'failed');
const driftOf = (r: GateResult) => r.checks.filter((c) => c.id === 'preflight:drift' || c.id.startsWith('preflight:drift:'));

describe('drift by content on the sandbox', () => {
  let fx: Fixture;
  let rel: string;
  let published: Record<string, PublishedVersion>;
  let recorded: EnforcementSnapshot;
  let policyId: string;
  const releases = () => ({ pilot: rel, 'model-rules': rel, ou: rel });
  const org = () => fx.access.forAccount(fx.env.managementAccountId).organizations;
  const preflightOu = (extra: Partial<GateRunContext> = {}) =>
    runPreflight(fx.context('ou', rel, releases(), published, { recorded, ...extra }));

  beforeAll(async () => {
    fx = await startFixture();
    rel = fx.env.currentRelease;
    const out = await fx.deploy({ pilot: rel, 'model-rules': rel });
    published = fx.published(out.guardrails!.outputs, rel, fx.env.managementAccountId);
    // What the flows record after each phase's apply: each phase's own share, merged.
    const phases: Phase[] = ['pilot', 'model-rules'];
    recorded = mergeSnapshots(await Promise.all(phases.map((phase) => readEnforcementSnapshot(fx.access, fx.env, { phase }))));
    policyId = recorded.policies.find((p) => p.name === phasePolicyName('model-rules'))!.id;
  }, 60_000);
  afterAll(async () => {
    await fx.close();
  });

  test('the record: the model-rules policy with canonical content and targets, the pilot configuration per region', async () => {
    expect(recorded.policies).toHaveLength(1);
    const p = recorded.policies[0]!;
    expect(p).toMatchObject({ name: 'guardrail-rollout-model-rules', targets: [fx.env.pilot.account] });
    expect(p.description).toMatch(/^Managed by guardrail-rollout; phase=model-rules; release=/);
    expect(JSON.parse(p.content).bedrock.guardrail_inference['us-east-1'].config_1.identifier['@@assign']).toBe(
      `${published['us-east-1']!.guardrailArn}:${published['us-east-1']!.version}`,
    );
    expect(recorded.accountConfigs.map((c) => `${c.account}/${c.region}`).sort()).toEqual(
      fx.env.regions.map((r) => `${fx.env.pilot.account}/${r}`).sort(),
    );
    for (const c of recorded.accountConfigs) {
      expect(c).toMatchObject({ system: 'COMPREHENSIVE', messages: 'SELECTIVE', includedModels: ['ALL'] });
      expect(c.excludedModels).toEqual([...fx.env.enforcement.models.excluded].sort());
      expect(c.guardrailArn).toMatch(new RegExp(`^arn:aws:bedrock:${c.region}:${fx.env.pilot.account}:guardrail/`));
    }
    // A full read, cut per phase, gives the same records.
    const full = await readEnforcementSnapshot(fx.access, fx.env);
    expect(mergeSnapshots([phaseShare(fx.env, full, 'pilot'), phaseShare(fx.env, full, 'model-rules')])).toEqual(recorded);
  });

  test('(d) no tampering: preflight of the next phase passes', async () => {
    const pre = await preflightOu();
    expect(failed(pre)).toEqual([]);
    expect(pre.status).toBe('passed');
    expect(driftOf(pre)).toEqual([
      expect.objectContaining({
        id: 'preflight:drift',
        status: 'passed',
        detail: expect.stringMatching(/match what was recorded at their last apply \(3 unchanged\)/),
      }),
    ]);
  });

  describe('(a) a managed policy edited out of band', () => {
    let original: string;
    beforeAll(async () => {
      original = (await org().send(new DescribePolicyCommand({ PolicyId: policyId }))).Policy!.Content!;
    });
    afterEach(async () => {
      await org().send(new UpdatePolicyCommand({ PolicyId: policyId, Content: original }));
    });
    const tamper = async (edit: (doc: Record<string, any>) => void) => {
      const doc = JSON.parse(original);
      edit(doc);
      await org().send(new UpdatePolicyCommand({ PolicyId: policyId, Content: JSON.stringify(doc) }));
    };
    const us = (doc: Record<string, any>) => doc.bedrock.guardrail_inference['us-east-1'].config_1;
    const eu = (doc: Record<string, any>) => doc.bedrock.guardrail_inference['eu-west-1'].config_1;

    test('identifier → DRAFT halts, naming the policy and the difference', async () => {
      const was = `${published['us-east-1']!.guardrailArn}:${published['us-east-1']!.version}`;
      await tamper((d) => {
        us(d).identifier['@@assign'] = `${published['us-east-1']!.guardrailArn}:DRAFT`;
      });
      const pre = await preflightOu();
      expect(pre.status).toBe('failed');
      expect(failed(pre).map((c) => c.id)).toEqual([`preflight:drift:${policyId}`]);
      expect(failed(pre)[0]!.detail).toBe(
        `BEDROCK_POLICY guardrail-rollout-model-rules (${policyId}) was changed out of band since its last apply: us-east-1.config_1.identifier: ${was} → ${published['us-east-1']!.guardrailArn}:DRAFT`,
      );
    });

    test("identifier → the other region's guardrail halts", async () => {
      await tamper((d) => {
        us(d).identifier['@@assign'] = eu(d).identifier['@@assign'];
      });
      const pre = await preflightOu();
      const c = failed(pre).find((x) => x.id === `preflight:drift:${policyId}`)!;
      expect(c.detail).toContain(`us-east-1.config_1.identifier: ${published['us-east-1']!.guardrailArn}:`);
      expect(c.detail).toContain(`→ ${published['eu-west-1']!.guardrailArn}:${published['eu-west-1']!.version}`);
    });

    test('an excluded model removed, and an extra target, are named too', async () => {
      await tamper((d) => {
        const me = us(d).model_enforcement.excluded_models;
        me['@@assign'] = me['@@assign'].filter((m: string) => m !== 'cohere.embed-english-v3');
      });
      await org().send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: 'ou-sb01-dev00001' }));
      try {
        const c = failed(await preflightOu()).find((x) => x.id === `preflight:drift:${policyId}`)!;
        expect(c.detail).toContain('us-east-1.config_1.model_enforcement.excluded_models − cohere.embed-english-v3');
        expect(c.detail).toContain('targets + ou-sb01-dev00001');
      } finally {
        await org().send(new DetachPolicyCommand({ PolicyId: policyId, TargetId: 'ou-sb01-dev00001' }));
      }
    });

    test("this phase's own planned apply rewrites content (not drift), but not targets", async () => {
      await tamper((d) => {
        us(d).identifier['@@assign'] = `${published['us-east-1']!.guardrailArn}:DRAFT`;
      });
      const planned = [{ name: phasePolicyName('model-rules'), description: recorded.policies[0]!.description }];
      const again = await runPreflight(fx.context('model-rules', rel, releases(), published, { recorded, plannedPolicies: planned }));
      const c = again.checks.find((x) => x.id === `preflight:drift:${policyId}`)!;
      expect(c).toMatchObject({ status: 'passed', detail: expect.stringMatching(/this model-rules apply rewrites it/) });
      await org().send(new AttachPolicyCommand({ PolicyId: policyId, TargetId: 'ou-sb01-dev00001' }));
      try {
        const pre = await runPreflight(fx.context('model-rules', rel, releases(), published, { recorded, plannedPolicies: planned }));
        expect(failed(pre).find((x) => x.id === `preflight:drift:${policyId}`)!.detail).toContain('targets + ou-sb01-dev00001');
      } finally {
        await org().send(new DetachPolicyCommand({ PolicyId: policyId, TargetId: 'ou-sb01-dev00001' }));
      }
    });
  });

  describe('(b) a hand-made policy with a managed name and description', () => {
    let id: string;
    beforeAll(async () => {
      const content = (await org().send(new DescribePolicyCommand({ PolicyId: policyId }))).Policy!.Content!;
      const created = await org().send(
        new CreatePolicyCommand({
          Name: phasePolicyName('enterprise'),
          Type: 'BEDROCK_POLICY',
          Description: managedPolicyDescription({ phase: 'enterprise', release: rel }),
          Content: content,
        }),
      );
      id = created.Policy!.PolicySummary!.Id!;
    });
    afterAll(async () => {
      await org().send(new DeletePolicyCommand({ PolicyId: id }));
    });

    test('halts as unmanaged, attached or not; the name/description rule alone would let it through', async () => {
      const unattached = failed(await preflightOu()).find((c) => c.id === `preflight:drift:${id}`)!;
      expect(unattached.detail).toBe(
        `BEDROCK_POLICY ${id} "guardrail-rollout-enterprise" is not one guardrail-rollout recorded at its last apply: unmanaged, whatever its name or description say (not attached); delete it, or detach it, before promoting`,
      );
      await org().send(new AttachPolicyCommand({ PolicyId: id, TargetId: '444444444441' }));
      try {
        const pre = await preflightOu();
        expect(pre.status).toBe('failed');
        expect(failed(pre).find((c) => c.id === `preflight:drift:${id}`)!.detail).toContain(
          'unmanaged, whatever its name or description say (attached to 444444444441: it changes the effective policy)',
        );
        // Without a record (first rollout) only name and description decide: it would pass.
        const legacy = await runPreflight(fx.context('ou', rel, releases(), published));
        expect(driftOf(legacy).filter((c) => c.status !== 'passed')).toEqual([]);
      } finally {
        await org().send(new DetachPolicyCommand({ PolicyId: id, TargetId: '444444444441' }));
      }
    });
  });

  test('an unrecorded policy this phase plans is adopted, only where the phase attaches it', async () => {
    const content = (await org().send(new DescribePolicyCommand({ PolicyId: policyId }))).Policy!.Content!;
    const name = phasePolicyName('ou');
    const created = await org().send(
      new CreatePolicyCommand({
        Name: name,
        Type: 'BEDROCK_POLICY',
        Description: managedPolicyDescription({ phase: 'ou', release: rel }),
        Content: content,
      }),
    );
    const id = created.Policy!.PolicySummary!.Id!;
    try {
      await org().send(new AttachPolicyCommand({ PolicyId: id, TargetId: fx.env.pilot.ou }));
      const planned = [{ name }];
      const ok = await preflightOu({ plannedPolicies: planned });
      expect(ok.checks.find((c) => c.id === `preflight:drift:${id}`)).toMatchObject({ status: 'passed' });
      expect(failed(ok)).toEqual([]);
      await org().send(new AttachPolicyCommand({ PolicyId: id, TargetId: '444444444441' }));
      const bad = await preflightOu({ plannedPolicies: planned });
      expect(failed(bad).map((c) => c.id)).toEqual([`preflight:drift:${id}`]);
      await org().send(new DetachPolicyCommand({ PolicyId: id, TargetId: '444444444441' }));
    } finally {
      await org().send(new DetachPolicyCommand({ PolicyId: id, TargetId: fx.env.pilot.ou }));
      await org().send(new DeletePolicyCommand({ PolicyId: id }));
    }
  });

  describe('(c) an account-level enforced configuration changed out of band', () => {
    const account = () => fx.env.pilot.account;
    const bedrock = () => fx.access.forAccount(account(), 'us-east-1').bedrock;
    const current = async () => (await bedrock().send(new ListEnforcedGuardrailsConfigurationCommand({}))).guardrailsConfig![0]!;

    test('a changed model list and version halt, naming account, region and fields', async () => {
      const c = await current();
      const put = (excluded: string[], version = c.guardrailVersion!) =>
        bedrock().send(
          new PutEnforcedGuardrailConfigurationCommand({
            configId: c.configId,
            guardrailInferenceConfig: {
              guardrailIdentifier: c.guardrailArn,
              guardrailVersion: version,
              selectiveContentGuarding: c.selectiveContentGuarding,
              modelEnforcement: { includedModels: c.modelEnforcement!.includedModels, excludedModels: excluded },
            },
          }),
        );
      await put(c.modelEnforcement!.excludedModels!.filter((m) => m !== 'cohere.embed-english-v3'));
      try {
        const pre = await preflightOu();
        expect(pre.status).toBe('failed');
        const bad = failed(pre);
        expect(bad.map((x) => x.id)).toEqual([`preflight:drift:account-config:${account()}/us-east-1`]);
        expect(bad[0]).toMatchObject({ account: account(), region: 'us-east-1' });
        expect(bad[0]!.detail).toBe(
          'the account-level enforced configuration was changed out of band since its last apply: excludedModels − cohere.embed-english-v3',
        );
      } finally {
        await put(c.modelEnforcement!.excludedModels!);
      }
      expect(failed(await preflightOu())).toEqual([]);
    });

    test('a deleted configuration halts (and nothing else does)', async () => {
      const c = await current();
      await bedrock().send(new DeleteEnforcedGuardrailConfigurationCommand({ configId: c.configId! }));
      const bad = failed(await preflightOu());
      expect(bad.map((x) => x.id)).toEqual([`preflight:drift:account-config:${account()}/us-east-1`]);
      expect(bad[0]!.detail).toMatch(
        /^the account-level enforced configuration recorded at the last apply \(.+:\d+ \(config \w+\)\) no longer exists/,
      );
    });
  });
});

describe('compareWithRecord (pure)', () => {
  const policy = (over: Partial<RecordedPolicy> = {}): RecordedPolicy => ({
    id: 'p-aaaa1111',
    name: 'guardrail-rollout-model-rules',
    description: 'Managed by guardrail-rollout; phase=model-rules; release=r1',
    content: JSON.stringify({ bedrock: { guardrail_inference: { 'us-east-1': { config_1: { identifier: { '@@assign': 'arn:x:3' } } } } } }),
    targets: ['666666666661'],
    ...over,
  });
  const config = (over: Partial<RecordedAccountConfig> = {}): RecordedAccountConfig => ({
    account: '666666666661',
    region: 'us-east-1',
    configId: 'c1',
    guardrailArn: 'arn:aws:bedrock:us-east-1:666666666661:guardrail/abc',
    guardrailVersion: '1',
    system: 'COMPREHENSIVE',
    messages: 'SELECTIVE',
    includedModels: ['ALL'],
    excludedModels: ['amazon.titan-embed-text-v2:0'],
    ...over,
  });

  test('a recorded policy deleted, and a phase in place without a record', async () => {
    const env = await sandboxEnvironment();
    const rec: EnforcementSnapshot = { policies: [policy()], accountConfigs: [], unrecordedPhases: ['enterprise'] };
    const gone = compareWithRecord({ env, phase: 'ou' }, rec, { policies: [], accountConfigs: [] }, new Set());
    expect(failed(gone).map((c) => c.detail)).toEqual([
      'BEDROCK_POLICY guardrail-rollout-model-rules (p-aaaa1111) was recorded at its last apply but no longer exists (deleted out of band): what it enforced on 666666666661 is gone',
    ]);
    // The enterprise phase has something in place but no record: the name/description rule applies to its policies.
    const ent = policy({
      id: 'p-bbbb2222',
      name: 'guardrail-rollout-enterprise',
      description: 'Managed by guardrail-rollout; phase=enterprise',
      targets: ['r-sb01'],
    });
    const live = { policies: [policy(), ent], accountConfigs: [] };
    expect(failed(compareWithRecord({ env, phase: 'ou' }, rec, live, new Set(['666666666661'])))).toEqual([]);
    // Without that, the same live enterprise policy is unmanaged.
    const strict = compareWithRecord({ env, phase: 'ou' }, { ...rec, unrecordedPhases: [] }, live, new Set());
    expect(failed(strict).map((c) => c.id)).toEqual(['preflight:drift:p-bbbb2222']);
  });

  test("pilot: this phase rewrites the pilot account's configuration (fields are not drift; a new config id is)", async () => {
    const env = await sandboxEnvironment();
    const rec: EnforcementSnapshot = { policies: [], accountConfigs: [config()] };
    const changed = { policies: [], accountConfigs: [config({ guardrailVersion: '2' })] };
    const read = new Set(['666666666661']);
    expect(compareWithRecord({ env, phase: 'pilot' }, rec, changed, read).map((c) => [c.id, c.status])).toEqual([
      ['preflight:drift', 'passed'],
      ['preflight:drift:account-config:666666666661/us-east-1', 'passed'],
    ]);
    expect(failed(compareWithRecord({ env, phase: 'model-rules' }, rec, changed, read))[0]!.detail).toContain('guardrailVersion 1 → 2');
    const recreated = { policies: [], accountConfigs: [config({ configId: 'c2' })] };
    expect(failed(compareWithRecord({ env, phase: 'pilot' }, rec, recreated, read))[0]!.detail).toContain('configId c1 → c2');
    // An unrecorded configuration in another account that was read is unmanaged.
    const other = { policies: [], accountConfigs: [config(), config({ account: '444444444441', configId: 'c9' })] };
    expect(failed(compareWithRecord({ env, phase: 'ou' }, rec, other, new Set(['666666666661', '444444444441'])))[0]!.id).toBe(
      'preflight:drift:account-config:444444444441/us-east-1',
    );
  });

  test('jsonDiff: leaves, added/removed keys, string lists as sets', () => {
    expect(
      jsonDiff(
        { bedrock: { guardrail_inference: { 'eu-west-1': { config_1: { identifier: { '@@assign': 'a:1' } } } } } },
        { bedrock: { guardrail_inference: { 'eu-west-1': { config_1: { identifier: { '@@assign': 'a:2' }, x: 1 } }, 'us-west-2': {} } } },
      ),
    ).toEqual(['eu-west-1.config_1.identifier: a:1 → a:2', 'eu-west-1.config_1.x: added 1', 'us-west-2: added {}']);
    expect(jsonDiff({ l: ['a', 'b'] }, { l: ['b', 'c'] })).toEqual(['l + c', 'l − a']);
  });
});
