/**
 * One failing case per gate rule that the gate tests did not yet exercise (acceptance audit).
 * Preflight:
 * published version missing / DRAFT / in the wrong region, a version that snapshotted other
 * content, an Automated Reasoning policy in the published version, the policy type not enabled,
 * and a policy document over the Organizations size limit. Effective-policy: the pilot account's
 * enforced configuration changed out of band. Against a real started sandbox.
 */
import {
  type BedrockClient,
  CreateGuardrailCommand,
  CreateGuardrailVersionCommand,
  ListEnforcedGuardrailsConfigurationCommand,
  PutEnforcedGuardrailConfigurationCommand,
  PutResourcePolicyCommand,
} from '@aws-sdk/client-bedrock';
import type { Environment } from '../../../model/types.js';
import { runEffectivePolicyCheck, runPreflight } from '../../../rollout/gates/index.js';
import type { GateResult, PublishedVersion } from '../../../rollout/state/contracts.js';
import { sandboxEnvironment, startFixture, type Fixture } from '../../helpers/sandbox-fixture.js';
import { orgSharingPolicy } from '../../helpers/resource-policy.js';

const failed = (r: GateResult) => r.checks.filter((c) => c.status === 'failed');
const failedIds = (r: GateResult) => failed(r).map((c) => c.id);
const detailOf = (r: GateResult, id: string) => r.checks.find((c) => c.id === id)?.detail;

describe('preflight rules on the sandbox', () => {
  let fx: Fixture;
  let rel: string;
  let releases: Record<string, string>;
  let published: Record<string, PublishedVersion>;
  beforeAll(async () => {
    fx = await startFixture();
    rel = fx.env.currentRelease;
    releases = { pilot: rel, 'model-rules': rel };
    const g = await fx.apply(fx.synth(releases).get('guardrails')!);
    published = fx.published(g.outputs, rel, fx.env.managementAccountId);
  });
  afterAll(async () => {
    await fx.close();
  });

  test('the untouched release passes, so each failure below is caused by its own defect', async () => {
    const pre = await runPreflight(fx.context('model-rules', rel, releases, published));
    expect({ status: pre.status, failed: failedIds(pre) }).toEqual({ status: 'passed', failed: [] });
  });

  test('a region without a published version, a DRAFT, and an ARN of another region are refused', async () => {
    const [us, eu] = fx.env.regions as [string, string];
    const missing = await runPreflight(fx.context('model-rules', rel, releases, { [us]: published[us]! }));
    expect(missing.status).toBe('failed');
    expect(detailOf(missing, `preflight:published@${eu}`)).toBe(`release ${rel} has no published guardrail version in ${eu}`);

    const draft = await runPreflight(
      fx.context('model-rules', rel, releases, { ...published, [us]: { ...published[us]!, version: 'DRAFT' } }),
    );
    expect(failedIds(draft)).toContain(`preflight:published@${us}`);
    expect(detailOf(draft, `preflight:published@${us}`)).toMatch(/"DRAFT" is not a published numeric version/);

    // The eu-west-1 guardrail configured under us-east-1: a guardrail works only in its own region.
    const swapped = await runPreflight(fx.context('model-rules', rel, releases, { ...published, [us]: { ...published[eu]!, region: us } }));
    expect(detailOf(swapped, `preflight:published@${us}`)).toMatch(
      new RegExp(`guardrail ARN region ${eu} does not match the configuration region ${us}`),
    );
  });

  test('a published version whose content is not the release definition is refused (it snapshotted another DRAFT)', async () => {
    const other = fx.env.releases.find((r) => r.name !== rel)!.name;
    const pre = await runPreflight(fx.context('model-rules', other, { pilot: other, 'model-rules': other }, published));
    expect(pre.status).toBe('failed');
    for (const region of fx.env.regions) {
      expect(detailOf(pre, `preflight:content@${region}`)).toMatch(
        new RegExp(`does not have the content of ${other.replace(/[.@]/g, '\\$&')}`),
      );
    }
  });

  test('a published version carrying an Automated Reasoning policy is refused', async () => {
    const region = fx.env.regions[0]!;
    const mgmt = fx.env.managementAccountId;
    const br = fx.access.forAccount(mgmt, region).bedrock as unknown as BedrockClient;
    const g = await br.send(
      new CreateGuardrailCommand({
        name: 'with-reasoning',
        blockedInputMessaging: 'no',
        blockedOutputsMessaging: 'no',
        wordPolicyConfig: { wordsConfig: [{ text: 'x' }] },
        automatedReasoningPolicyConfig: { policies: [`arn:aws:bedrock:${region}:${mgmt}:automated-reasoning-policy/abcdefghijkl:1`] },
      }),
    );
    const v = await br.send(new CreateGuardrailVersionCommand({ guardrailIdentifier: g.guardrailId }));
    await br.send(
      new PutResourcePolicyCommand({
        resourceArn: g.guardrailArn,
        resourcePolicy: orgSharingPolicy(g.guardrailArn!, fx.env.organizationId),
      }),
    );
    const withAr = {
      ...published,
      [region]: { account: mgmt, region, guardrailArn: g.guardrailArn!, guardrailId: g.guardrailId!, version: v.version! },
    };
    const pre = await runPreflight(fx.context('model-rules', rel, releases, withAr));
    expect(failedIds(pre)).toContain(`preflight:automated-reasoning@${region}`);
    expect(detailOf(pre, `preflight:automated-reasoning@${region}`)).toMatch(
      /contains an Automated Reasoning policy: enforcement does not support it/,
    );
  });

  test('a policy document over the Organizations size limit is refused before anything is attached', async () => {
    // 200 extra excluded model ids make the baseline document (2 regions) far larger than 10,000 characters.
    const many = Array.from({ length: 200 }, (_, i) => `example.generated-model-${String(i).padStart(3, '0')}-v1:0`);
    const env: Environment = {
      ...fx.env,
      enforcement: {
        ...fx.env.enforcement,
        models: { ...fx.env.enforcement.models, excluded: [...fx.env.enforcement.models.excluded, ...many] },
      },
    };
    const pre = await runPreflight({ ...fx.context('model-rules', rel, releases, published), env });
    expect(pre.status).toBe('failed');
    const doc = failed(pre).find((c) => c.id.startsWith('preflight:document'));
    expect(doc?.detail).toMatch(/characters; Organizations accepts at most 10000/);
  });
});

test('organization phases need the BEDROCK_POLICY type enabled on the root', async () => {
  const base = await sandboxEnvironment();
  const fx = await startFixture({ env: { ...base, sandbox: { policyTypeEnabled: false } } });
  try {
    const rel = fx.env.currentRelease;
    const releases = { pilot: rel, 'model-rules': rel };
    const g = await fx.apply(fx.synth(releases).get('guardrails')!);
    const published = fx.published(g.outputs, rel, fx.env.managementAccountId);
    const pre = await runPreflight(fx.context('model-rules', rel, releases, published));
    expect(pre.status).toBe('failed');
    expect(detailOf(pre, 'preflight:policy-type')).toMatch(/^BEDROCK_POLICY is not enabled on r-sb01: enable it \(EnablePolicyType\)/);
    // The pilot phase (account-level enforcement) does not need it.
    const pilot = await runPreflight(fx.context('pilot', rel, { pilot: rel }, published));
    expect(pilot.checks.some((c) => c.id === 'preflight:policy-type')).toBe(false);
  } finally {
    await fx.close();
  }
});

test('effective-policy: a pilot enforced configuration changed out of band (exclusions dropped) fails the gate', async () => {
  const fx = await startFixture();
  try {
    const rel = fx.env.currentRelease;
    const account = fx.env.pilot.account;
    const out = await fx.deploy({ pilot: rel });
    const published = fx.published(out.pilot!.outputs, rel, account);
    const ctx = fx.context('pilot', rel, { pilot: rel }, published);
    expect((await runEffectivePolicyCheck(ctx)).status).toBe('passed');

    const region = fx.env.regions[0]!;
    const br = fx.access.forAccount(account, region).bedrock as unknown as BedrockClient;
    const [cfg] = (await br.send(new ListEnforcedGuardrailsConfigurationCommand({}))).guardrailsConfig!;
    await br.send(
      new PutEnforcedGuardrailConfigurationCommand({
        configId: cfg!.configId,
        guardrailInferenceConfig: {
          guardrailIdentifier: cfg!.guardrailArn!,
          guardrailVersion: cfg!.guardrailVersion!,
          selectiveContentGuarding: cfg!.selectiveContentGuarding,
          modelEnforcement: { includedModels: ['ALL'], excludedModels: [] },
        },
      }),
    );
    const eff = await runEffectivePolicyCheck(ctx);
    expect(eff.status).toBe('failed');
    expect(failedIds(eff)).toEqual([`effective:account-config:${account}/${region}`]);
    expect(detailOf(eff, `effective:account-config:${account}/${region}`)).toMatch(/^enforced configuration differs: .*excludedModels/);
  } finally {
    await fx.close();
  }
});
