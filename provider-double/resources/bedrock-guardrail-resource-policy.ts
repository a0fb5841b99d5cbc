/**
 * aws_bedrock_guardrail_resource_policy in the TEST DOUBLE of hashicorp/aws (never used against
 * AWS). Create/update = PutResourcePolicy, read = GetResourcePolicy (null on
 * ResourceNotFoundException), delete = DeleteResourcePolicy. `resource_arn` forces replacement.
 * `policy` is an IAM policy: an equivalent document plans and reads as the string already held.
 * No `id` attribute. Import ID = `resource_arn`.
 * https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/bedrock/guardrail_resource_policy.go
 */
import { DeleteResourcePolicyCommand, GetResourcePolicyCommand, PutResourcePolicyCommand } from '@aws-sdk/client-bedrock';
import { type BlockSchema, type CtyObject, type ProviderContext, ProviderError, type ResourceType } from '../types.js';
import { regionAttribute, regionOf, splitImportRegion, withDefaultRegion } from './common.js';
import { complete, settleObject, str } from './cty-object.js';
import { iamPolicyEquivalent, jsonError } from './json-equivalence.js';
import { call, unlessNotFound } from './not-found.js';

const SOURCE = 'https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/bedrock/guardrail_resource_policy.go';

const schema: BlockSchema = {
  attributes: {
    policy: { type: 'string', required: true, validate: (v) => (typeof v === 'string' ? jsonError(v) : undefined) },
    region: regionAttribute,
    resource_arn: { type: 'string', required: true, forceNew: true },
  },
};

function bedrock(ctx: ProviderContext, obj: CtyObject) {
  return ctx.clients(regionOf(obj, ctx)).bedrock;
}

async function put(ctx: ProviderContext, planned: CtyObject, verb: string): Promise<CtyObject> {
  const arn = String(planned.resource_arn);
  await call(`${verb} Bedrock Guardrail Resource Policy (${arn})`, () =>
    bedrock(ctx, planned).send(new PutResourcePolicyCommand({ resourceArn: arn, resourcePolicy: String(planned.policy) })),
  );
  // On a replacement an unconfigured region is still unknown here.
  return settleObject(planned, { ...planned, region: regionOf(planned, ctx) });
}

export const bedrockGuardrailResourcePolicy: ResourceType = {
  name: 'aws_bedrock_guardrail_resource_policy',
  source: SOURCE,
  version: 0,
  schema,

  plan({ prior, ctx }, planned) {
    const out = withDefaultRegion(planned, ctx);
    const before = str(prior?.policy);
    const now = str(out.policy);
    return before && now && iamPolicyEquivalent(before, now) ? { ...out, policy: before } : out;
  },

  create: (ctx, planned) => put(ctx, planned, 'creating'),
  update: (ctx, _prior, planned) => put(ctx, planned, 'updating'),

  async read(ctx, state) {
    const arn = String(state.resource_arn);
    const out = await call(`reading Bedrock Guardrail Resource Policy (${arn})`, () =>
      unlessNotFound(() => bedrock(ctx, state).send(new GetResourcePolicyCommand({ resourceArn: arn })), 'ResourceNotFoundException'),
    );
    if (!out?.resourcePolicy) return null;
    // verify.PolicyToSet: keep the string in state while the documents are equivalent.
    const held = str(state.policy);
    const policy = held && iamPolicyEquivalent(held, out.resourcePolicy) ? held : out.resourcePolicy;
    return { ...state, policy, region: regionOf(state, ctx) };
  },

  async delete(ctx, prior) {
    const arn = String(prior.resource_arn);
    await call(`deleting Bedrock Guardrail Resource Policy (${arn})`, () =>
      unlessNotFound(() => bedrock(ctx, prior).send(new DeleteResourcePolicyCommand({ resourceArn: arn })), 'ResourceNotFoundException'),
    );
  },

  async import(ctx, importId) {
    const { id, region } = splitImportRegion(importId, ctx);
    const found = await bedrockGuardrailResourcePolicy.read(ctx, complete(schema, { resource_arn: id, region }));
    if (!found) throw new ProviderError('Cannot import non-existent remote object', `no resource policy on ${importId}`);
    return found;
  },
};
