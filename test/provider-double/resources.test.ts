/**
 * The Bedrock resource types of the provider double (a TEST DOUBLE of hashicorp/aws for the
 * emulator, never used against AWS) against an in-process sandbox: create → read → update →
 * read → delete → read, out-of-band deletes, skip_destroy, equivalent-JSON planning and import.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DeleteGuardrailCommand, GetGuardrailCommand, BedrockClient } from '@aws-sdk/client-bedrock';
import {
  bedrockEnforcedGuardrailConfiguration as enforced,
  bedrockGuardrail as guardrail,
  bedrockGuardrailResourcePolicy as resourcePolicy,
  bedrockGuardrailVersion as version,
} from '../../provider-double/resources/index.js';
import type { CtyObject, ProviderContext } from '../../provider-double/types.js';
import { UNKNOWN } from '../../provider-double/types.js';
import { clientConfig } from '../../sandbox/index.js';
import { MGMT, ORG, REGION } from '../helpers/sandbox.js';
import { createVia, type DoubleFixture, filled, hasUnknown, planCreate, planUpdate, startDouble, updateVia } from './resources-fixture.js';

let fx: DoubleFixture;
let ctx: ProviderContext;

beforeAll(async () => {
  fx = await startDouble();
  ctx = await fx.configure();
});
afterAll(async () => {
  await fx?.close();
});

const GUARDRAIL_CONFIG = {
  name: 'org-baseline',
  description: 'Baseline guardrail',
  blocked_input_messaging: 'Blocked input.',
  blocked_outputs_messaging: 'Blocked output.',
  tags: { 'managed-by': 'guardrail-rollout' },
  content_policy_config: [
    {
      tier_config: [{ tier_name: 'CLASSIC' }],
      filters_config: [
        { type: 'HATE', input_strength: 'HIGH', output_strength: 'HIGH', input_modalities: ['TEXT', 'IMAGE'] },
        { type: 'PROMPT_ATTACK', input_strength: 'MEDIUM', output_strength: 'NONE', input_action: 'BLOCK', input_enabled: true },
      ],
    },
  ],
  contextual_grounding_policy_config: [{ filters_config: [{ type: 'GROUNDING', threshold: 0.7 }] }],
  sensitive_information_policy_config: [
    {
      pii_entities_config: [{ type: 'EMAIL', action: 'ANONYMIZE' }],
      regexes_config: [{ name: 'employee-id', pattern: 'EMP-[0-9]{6}', action: 'BLOCK', description: 'Employee numbers' }],
    },
  ],
  topic_policy_config: [
    {
      topics_config: [
        { name: 'Investment Advice', definition: 'Advice on investing money.', type: 'DENY', examples: ['Should I buy stocks?'] },
      ],
    },
  ],
  word_policy_config: [{ words_config: [{ text: 'Project Halcyon' }], managed_word_lists_config: [{ type: 'PROFANITY' }] }],
};

function mgmtBedrock(): BedrockClient {
  return new BedrockClient(clientConfig(fx.sb, MGMT, REGION, { maxAttempts: 1 }));
}

describe('aws_bedrock_guardrail', () => {
  it('plans unknown computed attributes, the provider region and tags_all', async () => {
    const planned = await planCreate(guardrail, ctx, filled(guardrail.schema, GUARDRAIL_CONFIG));
    expect(planned.region).toBe('us-east-1');
    expect(planned.tags_all).toEqual({ 'managed-by': 'guardrail-rollout' });
    expect(planned.guardrail_arn).toBe(UNKNOWN);
    expect(planned.version).toBe(UNKNOWN);
  });

  it('creates, reads, updates, reads, deletes and then reads null', async () => {
    const created = await createVia(guardrail, ctx, GUARDRAIL_CONFIG);
    expect(hasUnknown(created)).toBe(false);
    const id = String(created.guardrail_id);
    expect(id).toMatch(/^[a-z0-9]{12}$/);
    expect(created).toMatchObject({
      guardrail_arn: `arn:aws:bedrock:us-east-1:111111111111:guardrail/${id}`,
      version: 'DRAFT',
      status: 'READY',
      region: 'us-east-1',
      tags_all: { 'managed-by': 'guardrail-rollout' },
      kms_key_arn: null,
      cross_region_config: [],
    });
    expect(created.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // Optional+Computed PII fields not configured come back null (the API reports none).
    expect(created.sensitive_information_policy_config).toEqual([
      {
        pii_entities_config: [
          { type: 'EMAIL', action: 'ANONYMIZE', input_action: null, output_action: null, input_enabled: null, output_enabled: null },
        ],
        regexes_config: [
          {
            name: 'employee-id',
            pattern: 'EMP-[0-9]{6}',
            action: 'BLOCK',
            description: 'Employee numbers',
            input_action: null,
            output_action: null,
            input_enabled: null,
            output_enabled: null,
          },
        ],
      },
    ]);

    const read = await guardrail.read(ctx, created);
    expect(read).toEqual(created);

    const update = {
      ...GUARDRAIL_CONFIG,
      description: 'Baseline guardrail, stricter',
      word_policy_config: [{ words_config: [{ text: 'Project Halcyon' }, { text: 'bluebird-7', input_action: 'BLOCK' }] }],
    };
    const planned = await planUpdate(guardrail, ctx, created, filled(guardrail.schema, update));
    expect(planned.version).toBe('DRAFT');
    expect(planned.status).toBe('READY');
    const updated = await updateVia(guardrail, ctx, created, update);
    expect(updated.description).toBe('Baseline guardrail, stricter');
    expect(updated.word_policy_config).toEqual([
      {
        managed_word_lists_config: [],
        words_config: [
          { text: 'Project Halcyon', input_action: null, output_action: null, input_enabled: null, output_enabled: null },
          { text: 'bluebird-7', input_action: 'BLOCK', output_action: null, input_enabled: null, output_enabled: null },
        ],
      },
    ]);
    expect({ ...updated, word_policy_config: null, description: null }).toEqual({
      ...created,
      word_policy_config: null,
      description: null,
    });
    expect(await guardrail.read(ctx, updated)).toEqual(updated);

    const draft = await mgmtBedrock().send(new GetGuardrailCommand({ guardrailIdentifier: id, guardrailVersion: 'DRAFT' }));
    expect(draft.wordPolicy?.words).toEqual([{ text: 'Project Halcyon' }, { text: 'bluebird-7', inputAction: 'BLOCK' }]);
    expect(draft.contentPolicy?.tier).toEqual({ tierName: 'CLASSIC' });

    await guardrail.delete(ctx, updated);
    expect(await guardrail.read(ctx, updated)).toBeNull();
    await guardrail.delete(ctx, updated); // already gone: success
  });

  it('reads null after an out-of-band delete, and imports by guardrail_id,version', async () => {
    const created = await createVia(guardrail, ctx, { ...GUARDRAIL_CONFIG, name: 'imported-one', tags: null });
    const imported = await guardrail.import!(ctx, `${String(created.guardrail_id)},DRAFT`);
    expect(imported).toEqual({ ...created, timeouts: null });
    const withRegion = await guardrail.import!(ctx, `${String(created.guardrail_id)},DRAFT@us-east-1`);
    expect(withRegion.guardrail_arn).toBe(created.guardrail_arn);
    await expect(guardrail.import!(ctx, 'no-comma')).rejects.toThrow(/guardrail_id,version/);

    await mgmtBedrock().send(new DeleteGuardrailCommand({ guardrailIdentifier: String(created.guardrail_id) }));
    expect(await guardrail.read(ctx, created)).toBeNull();
  });

  it('validates the name pattern and lengths', () => {
    const name = guardrail.schema.attributes.name!;
    expect(name.validate!('org baseline')).toMatch(/must match regular expression/);
    expect(name.validate!('x'.repeat(51))).toMatch(/between 1 and 50/);
    expect(name.validate!('org-baseline_2')).toBeUndefined();
    expect(guardrail.schema.blocks!.content_policy_config).toMatchObject({ nesting: 'list', maxItems: 1 });
    expect(guardrail.schema.blocks!.content_policy_config!.block.blocks!.filters_config!.nesting).toBe('set');
    expect(guardrail.schema.blocks!.topic_policy_config!.block.attributes.tier_config).toMatchObject({ optional: true, computed: true });
  });
});

describe('aws_bedrock_guardrail_version', () => {
  let draft: CtyObject;
  beforeAll(async () => {
    draft = await createVia(guardrail, ctx, { ...GUARDRAIL_CONFIG, name: 'versioned' });
  });

  it('creates, reads, updates skip_destroy in place, deletes and reads null', async () => {
    const config = { guardrail_arn: draft.guardrail_arn, description: 'release 1' };
    const created = await createVia(version, ctx, config);
    expect(created).toEqual({
      guardrail_arn: draft.guardrail_arn,
      description: 'release 1',
      skip_destroy: null,
      version: '1',
      region: 'us-east-1',
      timeouts: null,
    });
    expect(await version.read(ctx, created)).toEqual(created);
    expect(version.schema.attributes.guardrail_arn!.forceNew).toBe(true);
    expect(version.schema.attributes.description!.forceNew).toBe(true);

    const updated = await updateVia(version, ctx, created, { ...config, skip_destroy: false });
    expect(updated).toEqual({ ...created, skip_destroy: false });
    expect(await version.read(ctx, updated)).toEqual(updated);

    await version.delete(ctx, updated);
    expect(await version.read(ctx, updated)).toBeNull();
  });

  it('skip_destroy = true leaves the version published', async () => {
    const kept = await createVia(version, ctx, { guardrail_arn: draft.guardrail_arn, description: 'release 2', skip_destroy: true });
    expect(kept.version).toBe('2');
    await version.delete(ctx, kept);
    const still = await mgmtBedrock().send(
      new GetGuardrailCommand({ guardrailIdentifier: String(draft.guardrail_id), guardrailVersion: '2' }),
    );
    expect(still.version).toBe('2');
    expect(still.description).toBe('release 2');
    expect(await version.read(ctx, kept)).toEqual(kept);
  });

  it('imports by guardrail_arn,version', async () => {
    const imported = await version.import!(ctx, `${String(draft.guardrail_arn)},2`);
    expect(imported).toEqual({
      guardrail_arn: draft.guardrail_arn,
      description: 'release 2',
      skip_destroy: null,
      version: '2',
      region: 'us-east-1',
      timeouts: null,
    });
    await expect(version.import!(ctx, `${String(draft.guardrail_arn)},9`)).rejects.toThrow(/not found/);
  });
});

describe('aws_bedrock_guardrail_resource_policy', () => {
  let arn: string;
  const policyFor = (a: string, actions: string[] | string) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'OrgApply',
          Effect: 'Allow',
          Principal: '*',
          Action: actions,
          Resource: a,
          Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } },
        },
      ],
    });

  beforeAll(async () => {
    arn = String((await createVia(guardrail, ctx, { ...GUARDRAIL_CONFIG, name: 'shared' })).guardrail_arn);
  });

  it('creates, reads, updates, reads, deletes and reads null', async () => {
    const policy = policyFor(arn, ['bedrock:ApplyGuardrail']);
    const created = await createVia(resourcePolicy, ctx, { resource_arn: arn, policy });
    expect(created).toEqual({ resource_arn: arn, policy, region: 'us-east-1' });
    expect(await resourcePolicy.read(ctx, created)).toEqual(created);

    const policy2 = policyFor(arn, ['bedrock:ApplyGuardrail', 'bedrock:GetGuardrail']);
    const updated = await updateVia(resourcePolicy, ctx, created, { resource_arn: arn, policy: policy2 });
    expect(updated.policy).toBe(policy2);
    expect(await resourcePolicy.read(ctx, updated)).toEqual(updated);

    await resourcePolicy.delete(ctx, updated);
    expect(await resourcePolicy.read(ctx, updated)).toBeNull();
    await resourcePolicy.delete(ctx, updated);
  });

  it('plans the prior string for an equivalent policy, the new one otherwise', async () => {
    const prior = await createVia(resourcePolicy, ctx, { resource_arn: arn, policy: policyFor(arn, ['bedrock:ApplyGuardrail']) });
    // Same document: keys reordered, whitespace, a one-element action list written as a string.
    const equivalent = JSON.stringify(
      {
        Statement: [
          {
            Condition: { StringEquals: { 'aws:PrincipalOrgID': [ORG] } },
            Resource: [arn],
            Action: 'bedrock:ApplyGuardrail',
            Principal: '*',
            Effect: 'Allow',
            Sid: 'OrgApply',
          },
        ],
        Version: '2012-10-17',
      },
      null,
      2,
    );
    const planned = await planUpdate(resourcePolicy, ctx, prior, filled(resourcePolicy.schema, { resource_arn: arn, policy: equivalent }));
    expect(planned.policy).toBe(prior.policy);
    const different = policyFor(arn, ['bedrock:GetGuardrail']);
    const replanned = await planUpdate(resourcePolicy, ctx, prior, filled(resourcePolicy.schema, { resource_arn: arn, policy: different }));
    expect(replanned.policy).toBe(different);
    expect(resourcePolicy.schema.attributes.resource_arn!.forceNew).toBe(true);
    expect(resourcePolicy.schema.attributes.id).toBeUndefined();
  });

  it('creates in the provider region when a replacement plan left region unknown', async () => {
    const config = filled(resourcePolicy.schema, { resource_arn: arn, policy: policyFor(arn, ['bedrock:ApplyGuardrail']) });
    const created = await resourcePolicy.create(ctx, { ...config, region: UNKNOWN }, config);
    expect(created.region).toBe('us-east-1');
    const vConfig = filled(version.schema, { guardrail_arn: arn, description: 'replaced' });
    const v = await version.create(ctx, { ...vConfig, region: UNKNOWN, version: UNKNOWN }, vConfig);
    expect(v).toMatchObject({ region: 'us-east-1', version: '1' });
    await version.delete(ctx, v);
  });

  it('imports by resource_arn', async () => {
    const imported = await resourcePolicy.import!(ctx, arn);
    expect(imported).toEqual({ resource_arn: arn, policy: policyFor(arn, ['bedrock:ApplyGuardrail']), region: 'us-east-1' });
  });
});

describe('aws_bedrock_enforced_guardrail_configuration', () => {
  let g: CtyObject;
  beforeAll(async () => {
    g = await createVia(guardrail, ctx, { ...GUARDRAIL_CONFIG, name: 'enforced' });
    await createVia(version, ctx, { guardrail_arn: g.guardrail_arn, description: 'v1' });
    await createVia(version, ctx, { guardrail_arn: g.guardrail_arn, description: 'v2' });
  });

  const config = (v: string, messages = 'SELECTIVE') => ({
    guardrail_identifier: g.guardrail_arn,
    guardrail_version: v,
    model_enforcement: [{ included_models: ['ALL'], excluded_models: ['amazon.titan-embed-text-v2:0'] }],
    selective_content_guarding: [{ system: 'COMPREHENSIVE', messages }],
  });

  it('creates, reads, updates, reads, deletes and reads null', async () => {
    const created = await createVia(enforced, ctx, config('1'));
    expect(hasUnknown(created)).toBe(false);
    expect(created).toMatchObject({
      guardrail_identifier: g.guardrail_arn,
      guardrail_arn: g.guardrail_arn,
      guardrail_id: g.guardrail_id,
      guardrail_version: '1',
      owner: 'ACCOUNT',
      id: 'us-east-1',
      region: 'us-east-1',
      created_by: 'arn:aws:iam::111111111111:root',
      model_enforcement: [{ included_models: ['ALL'], excluded_models: ['amazon.titan-embed-text-v2:0'] }],
      selective_content_guarding: [{ system: 'COMPREHENSIVE', messages: 'SELECTIVE' }],
    });
    expect(created.config_id).toMatch(/^[a-z0-9]+$/);
    expect(await enforced.read(ctx, created)).toEqual(created);

    const planned = await planUpdate(enforced, ctx, created, filled(enforced.schema, config('2', 'COMPREHENSIVE')));
    expect(planned.updated_at).toBe(UNKNOWN);
    expect(planned.updated_by).toBe(UNKNOWN);
    expect(planned.config_id).toBe(created.config_id);
    expect(planned.created_at).toBe(created.created_at);
    const unchanged = await planUpdate(enforced, ctx, created, filled(enforced.schema, config('1')));
    expect(unchanged.updated_at).toBe(created.updated_at);

    const updated = await updateVia(enforced, ctx, created, config('2', 'COMPREHENSIVE'));
    expect(updated).toMatchObject({
      config_id: created.config_id,
      guardrail_version: '2',
      selective_content_guarding: [{ system: 'COMPREHENSIVE', messages: 'COMPREHENSIVE' }],
    });
    expect(hasUnknown(updated)).toBe(false);
    expect(await enforced.read(ctx, updated)).toEqual(updated);

    await enforced.delete(ctx, updated);
    expect(await enforced.read(ctx, updated)).toBeNull();
    await enforced.delete(ctx, updated);
  });

  it('imports by the region, filling guardrail_identifier from guardrail_arn', async () => {
    const created = await createVia(enforced, ctx, config('1'));
    const imported = await enforced.import!(ctx, 'us-east-1');
    expect(imported).toEqual(created);
    await enforced.delete(ctx, created);
    await expect(enforced.import!(ctx, 'us-east-1')).rejects.toThrow(/no enforced guardrail configuration/);
  });
});
