/**
 * The Organizations resource types of the provider double (a TEST DOUBLE of hashicorp/aws for the
 * emulator, never used against AWS) against an in-process sandbox: lifecycle, the SDKv2 `type`
 * default, equivalent-JSON content, skip_destroy, out-of-band deletes and import.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DescribePolicyCommand, DetachPolicyCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { organizationsPolicy as policy, organizationsPolicyAttachment as attachment } from '../../provider-double/resources/index.js';
import { type ProviderContext, UNKNOWN } from '../../provider-double/types.js';
import { clientConfig } from '../../sandbox/index.js';
import { MGMT, OU_WORK, PILOT } from '../helpers/sandbox.js';
import { createVia, type DoubleFixture, filled, planCreate, planUpdate, startDouble, updateVia } from './resources-fixture.js';

let fx: DoubleFixture;
let ctx: ProviderContext;

beforeAll(async () => {
  fx = await startDouble();
  ctx = await fx.configure();
});
afterAll(async () => {
  await fx?.close();
});

function org(): OrganizationsClient {
  return new OrganizationsClient(clientConfig(fx.sb, MGMT, undefined, { maxAttempts: 1 }));
}

const bedrockPolicy = (version: string) =>
  JSON.stringify({
    bedrock: {
      guardrail_inference: {
        'us-east-1': { config_1: { identifier: { '@@assign': `arn:aws:bedrock:us-east-1:111111111111:guardrail/abc123:${version}` } } },
      },
    },
  });

describe('aws_organizations_policy', () => {
  it('plans the SDKv2 default type SERVICE_CONTROL_POLICY when type is left out', async () => {
    const planned = await planCreate(policy, ctx, filled(policy.schema, { name: 'scp', content: '{"Version":"2012-10-17"}' }));
    expect(planned.type).toBe('SERVICE_CONTROL_POLICY');
    expect(policy.schema.attributes.type).toMatchObject({ optional: true, computed: true, forceNew: true });
    expect(policy.schema.attributes.type!.validate!('NOT_A_TYPE')).toMatch(/must be one of/);
    expect(policy.schema.attributes.type!.validate!('BEDROCK_POLICY')).toBeUndefined();
    // A replacement plan leaves an unconfigured Optional+Computed type unknown: create falls back to the default.
    const scp = await policy.create(ctx, { ...planned, name: 'scp-default', type: UNKNOWN }, filled(policy.schema, {}));
    expect(scp.type).toBe('SERVICE_CONTROL_POLICY');
    await policy.delete(ctx, scp);
  });

  it('creates, reads, updates, reads, deletes and reads null', async () => {
    const config = { name: 'guardrail-rollout-baseline', description: 'Baseline', type: 'BEDROCK_POLICY', content: bedrockPolicy('1') };
    const created = await createVia(policy, ctx, config);
    const id = String(created.id);
    expect(id).toMatch(/^p-[a-z0-9]{8}$/);
    expect(created).toEqual({
      ...config,
      id,
      arn: `arn:aws:organizations::111111111111:policy/o-exampleorg1/bedrock_policy/${id}`,
      skip_destroy: null,
      tags: null,
      tags_all: {},
    });
    expect(await policy.read(ctx, created)).toEqual(created);

    const update = { ...config, description: 'Baseline v2', content: bedrockPolicy('2') };
    const updated = await updateVia(policy, ctx, created, update);
    expect(updated).toEqual({ ...created, description: 'Baseline v2', content: bedrockPolicy('2') });
    expect(await policy.read(ctx, updated)).toEqual(updated);
    const described = await org().send(new DescribePolicyCommand({ PolicyId: id }));
    expect(described.Policy?.Content).toBe(bedrockPolicy('2'));

    await policy.delete(ctx, updated);
    expect(await policy.read(ctx, updated)).toBeNull();
    await policy.delete(ctx, updated);
  });

  it('plans and reads the prior content string when the JSON is equivalent', async () => {
    const created = await createVia(policy, ctx, { name: 'equivalent', type: 'BEDROCK_POLICY', content: bedrockPolicy('1') });
    const reformatted = JSON.stringify(JSON.parse(bedrockPolicy('1')), null, 4);
    const planned = await planUpdate(policy, ctx, created, filled(policy.schema, { ...created, content: reformatted }));
    expect(planned.content).toBe(bedrockPolicy('1'));
    expect((await policy.read(ctx, { ...created, content: reformatted }))!.content).toBe(reformatted);
    expect(created.description).toBeNull();
  });

  it('skip_destroy keeps the policy; import by policy ID; read null after an out-of-band delete', async () => {
    const kept = await createVia(policy, ctx, {
      name: 'kept',
      type: 'BEDROCK_POLICY',
      content: bedrockPolicy('1'),
      skip_destroy: true,
      tags: { team: 'platform' },
    });
    expect(kept.tags_all).toEqual({ team: 'platform' });
    await policy.delete(ctx, kept);
    const imported = await policy.import!(ctx, String(kept.id));
    expect(imported).toEqual({ ...kept, skip_destroy: null, tags: null, tags_all: {}, description: null });
    await policy.delete(ctx, imported);
    expect(await policy.read(ctx, kept)).toBeNull();
    await expect(policy.import!(ctx, 'p-00000000')).rejects.toThrow(/not found/);
  });
});

describe('aws_organizations_policy_attachment', () => {
  let policyId: string;
  beforeAll(async () => {
    policyId = String((await createVia(policy, ctx, { name: 'attached', type: 'BEDROCK_POLICY', content: bedrockPolicy('1') })).id);
  });

  it('creates, reads, updates skip_destroy, deletes and reads null', async () => {
    const created = await createVia(attachment, ctx, { policy_id: policyId, target_id: OU_WORK });
    expect(created).toEqual({ id: `${OU_WORK}:${policyId}`, policy_id: policyId, target_id: OU_WORK, skip_destroy: null });
    expect(await attachment.read(ctx, created)).toEqual(created);
    const updated = await updateVia(attachment, ctx, created, { policy_id: policyId, target_id: OU_WORK, skip_destroy: false });
    expect(updated).toEqual({ ...created, skip_destroy: false });
    expect(await attachment.read(ctx, updated)).toEqual(updated);
    await attachment.delete(ctx, updated);
    expect(await attachment.read(ctx, updated)).toBeNull();
    await attachment.delete(ctx, updated);
    expect(attachment.schema.attributes.policy_id!.forceNew).toBe(true);
    expect(attachment.schema.attributes.target_id!.forceNew).toBe(true);
  });

  it('plans the id, keeps the attachment with skip_destroy, imports TARGETID:POLICYID, reads null after a detach', async () => {
    const planned = await planCreate(attachment, ctx, filled(attachment.schema, { policy_id: policyId, target_id: PILOT }));
    expect(planned.id).toBe(`${PILOT}:${policyId}`);
    const kept = await createVia(attachment, ctx, { policy_id: policyId, target_id: PILOT, skip_destroy: true });
    await attachment.delete(ctx, kept);
    const imported = await attachment.import!(ctx, `${PILOT}:${policyId}`);
    expect(imported).toEqual({ ...kept, skip_destroy: null });
    await expect(attachment.import!(ctx, 'no-colon')).rejects.toThrow(/TARGETID:POLICYID/);

    await org().send(new DetachPolicyCommand({ PolicyId: policyId, TargetId: PILOT }));
    expect(await attachment.read(ctx, kept)).toBeNull();
    expect(await attachment.read(ctx, { ...kept, id: `${PILOT}:p-00000000`, policy_id: 'p-00000000' })).toBeNull();
  });
});
