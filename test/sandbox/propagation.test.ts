/**
 * The emulator's propagation delay (sandbox/propagation.ts), through real SDK calls on a fake
 * clock: DescribeEffectivePolicy and the runtime enforcement answer what was in force before a
 * change until the delay has passed; the control-plane reads answer the live state at once.
 */
import {
  BedrockClient,
  CreateGuardrailCommand,
  CreateGuardrailVersionCommand,
  DeleteEnforcedGuardrailConfigurationCommand,
  ListEnforcedGuardrailsConfigurationCommand,
  PutEnforcedGuardrailConfigurationCommand,
} from '@aws-sdk/client-bedrock';
import {
  AttachPolicyCommand,
  CreatePolicyCommand,
  DescribeEffectivePolicyCommand,
  DetachPolicyCommand,
  EffectivePolicyNotFoundException,
  ListPoliciesForTargetCommand,
  OrganizationsClient,
  UpdatePolicyCommand,
} from '@aws-sdk/client-organizations';
import type { SandboxHandle } from '../../sandbox/index.js';
import { cfg, MGMT, PILOT, PROD, REGION, start } from '../helpers/sandbox.js';

const ARN = `arn:aws:bedrock:${REGION}:${MGMT}:guardrail/abcdefabcdef`;
const doc = (version: string) =>
  JSON.stringify({ bedrock: { guardrail_inference: { [REGION]: { config_1: { identifier: { '@@assign': `${ARN}:${version}` } } } } } });

let t = Date.parse('2026-12-01T10:00:00Z');
const now = () => t;

async function effective(org: OrganizationsClient, account: string): Promise<string | null> {
  try {
    const out = await org.send(new DescribeEffectivePolicyCommand({ PolicyType: 'BEDROCK_POLICY', TargetId: account }));
    const d = JSON.parse(out.EffectivePolicy!.PolicyContent!) as {
      bedrock: { guardrail_inference: Record<string, { config_1: { identifier: string } }> };
    };
    return d.bedrock.guardrail_inference[REGION]!.config_1.identifier;
  } catch (err) {
    if (err instanceof EffectivePolicyNotFoundException) return null;
    throw err;
  }
}

describe('propagation delay', () => {
  let sb: SandboxHandle;
  let org: OrganizationsClient;
  beforeAll(async () => {
    sb = await start({ now, propagationDelayMs: 10_000 });
    org = new OrganizationsClient(cfg(sb, MGMT));
  });
  afterAll(async () => {
    await sb.close();
  });

  test('attach, update and detach are in force only after the delay; ListPoliciesForTarget is live at once', async () => {
    const p = (await org.send(new CreatePolicyCommand({ Name: 'delayed', Description: '', Type: 'BEDROCK_POLICY', Content: doc('1') })))
      .Policy!.PolicySummary!.Id!;
    await org.send(new AttachPolicyCommand({ PolicyId: p, TargetId: PROD }));
    const listed = await org.send(new ListPoliciesForTargetCommand({ TargetId: PROD, Filter: 'BEDROCK_POLICY' }));
    expect(listed.Policies!.map((x) => x.Id)).toContain(p);
    expect(await effective(org, PROD)).toBeNull();
    expect(sb.world.effectivePolicy(PROD)).toBeNull();
    t += 9_999;
    expect(await effective(org, PROD)).toBeNull();
    t += 1;
    expect(await effective(org, PROD)).toBe(`${ARN}:1`);
    expect(sb.world.effectivePolicy(PROD)).not.toBeNull();

    // Two changes in a row take effect in order, each after its own delay.
    await org.send(new UpdatePolicyCommand({ PolicyId: p, Content: doc('2') }));
    t += 5_000;
    await org.send(new UpdatePolicyCommand({ PolicyId: p, Content: doc('3') }));
    expect(await effective(org, PROD)).toBe(`${ARN}:1`);
    t += 5_000;
    expect(await effective(org, PROD)).toBe(`${ARN}:2`);
    t += 5_000;
    expect(await effective(org, PROD)).toBe(`${ARN}:3`);

    await org.send(new DetachPolicyCommand({ PolicyId: p, TargetId: PROD }));
    expect(await effective(org, PROD)).toBe(`${ARN}:3`);
    t += 10_000;
    expect(await effective(org, PROD)).toBeNull();
  });

  test('an enforced configuration put or delete: the runtime keeps the old one until the delay has passed; List is live', async () => {
    const br = new BedrockClient(cfg(sb, PILOT));
    const g = await br.send(
      new CreateGuardrailCommand({
        name: 'pilot-delayed',
        blockedInputMessaging: 'no',
        blockedOutputsMessaging: 'no',
        wordPolicyConfig: { wordsConfig: [{ text: 'x' }] },
      }),
    );
    await br.send(new CreateGuardrailVersionCommand({ guardrailIdentifier: g.guardrailId }));
    const put = await br.send(
      new PutEnforcedGuardrailConfigurationCommand({
        guardrailInferenceConfig: { guardrailIdentifier: g.guardrailId, guardrailVersion: '1' },
      }),
    );
    expect((await br.send(new ListEnforcedGuardrailsConfigurationCommand({}))).guardrailsConfig).toHaveLength(1);
    expect(sb.world.accountEnforcement(PILOT, REGION)).toBeUndefined();
    t += 10_000;
    expect(sb.world.accountEnforcement(PILOT, REGION)?.guardrailVersion).toBe('1');
    await br.send(new DeleteEnforcedGuardrailConfigurationCommand({ configId: put.configId }));
    expect((await br.send(new ListEnforcedGuardrailsConfigurationCommand({}))).guardrailsConfig ?? []).toHaveLength(0);
    expect(sb.world.accountEnforcement(PILOT, REGION)?.guardrailVersion).toBe('1');
    t += 10_000;
    expect(sb.world.accountEnforcement(PILOT, REGION)).toBeUndefined();
  });
});

test('no delay (default): a change is in force at once; the fault config key sets a delay too', async () => {
  const sb = await start({ now });
  try {
    const org = new OrganizationsClient(cfg(sb, MGMT));
    const p = (await org.send(new CreatePolicyCommand({ Name: 'at-once', Description: '', Type: 'BEDROCK_POLICY', Content: doc('1') })))
      .Policy!.PolicySummary!.Id!;
    await org.send(new AttachPolicyCommand({ PolicyId: p, TargetId: PROD }));
    expect(await effective(org, PROD)).toBe(`${ARN}:1`);
    sb.setFaults({ propagationDelayMs: 1_000 });
    await org.send(new DetachPolicyCommand({ PolicyId: p, TargetId: PROD }));
    expect(await effective(org, PROD)).toBe(`${ARN}:1`);
    t += 1_000;
    expect(await effective(org, PROD)).toBeNull();
  } finally {
    await sb.close();
  }
});
