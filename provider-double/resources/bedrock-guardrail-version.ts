/**
 * aws_bedrock_guardrail_version (a published, immutable snapshot of the DRAFT) in the TEST DOUBLE
 * of hashicorp/aws (never used against AWS). Create = CreateGuardrailVersion, read =
 * GetGuardrail(arn, version) (null on ResourceNotFoundException), update is a no-op (only
 * `skip_destroy` can change in place), delete = DeleteGuardrail(version) unless `skip_destroy`.
 * `guardrail_arn` forces replacement; `description` too (RequiresReplaceIfConfigured: declared
 * forceNew here, which also replaces when a configured description is removed).
 * Import ID `guardrail_arn,version[@region]`.
 * https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/bedrock/guardrail_version.go
 */
import { CreateGuardrailVersionCommand, DeleteGuardrailCommand, GetGuardrailCommand } from '@aws-sdk/client-bedrock';
import { type BlockSchema, type CtyObject, type ProviderContext, ProviderError, type ResourceType } from '../types.js';
import { lengthBetween, regionAttribute, regionOf, splitPairImportId, timeoutsBlock, withDefaultRegion } from './common.js';
import { complete, settleObject, str } from './cty-object.js';
import { call, unlessNotFound } from './not-found.js';

const SOURCE = 'https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/bedrock/guardrail_version.go';

const schema: BlockSchema = {
  attributes: {
    description: { type: 'string', optional: true, forceNew: true, validate: lengthBetween(0, 200) },
    guardrail_arn: { type: 'string', required: true, forceNew: true },
    region: regionAttribute,
    skip_destroy: { type: 'bool', optional: true },
    version: { type: 'string', computed: true },
  },
  blocks: { timeouts: timeoutsBlock('create', 'delete') },
};

function bedrock(ctx: ProviderContext, obj: CtyObject) {
  return ctx.clients(regionOf(obj, ctx)).bedrock;
}

export const bedrockGuardrailVersion: ResourceType = {
  name: 'aws_bedrock_guardrail_version',
  source: SOURCE,
  version: 0,
  schema,

  plan({ ctx }, planned) {
    return withDefaultRegion(planned, ctx);
  },

  async create(ctx, planned) {
    const arn = String(planned.guardrail_arn);
    const out = await call(`creating Bedrock Guardrail Version (${arn})`, () =>
      bedrock(ctx, planned).send(new CreateGuardrailVersionCommand({ guardrailIdentifier: arn, description: str(planned.description) })),
    );
    return settleObject(planned, { ...planned, version: out.version ?? null, region: regionOf(planned, ctx) });
  },

  async read(ctx, state) {
    const arn = String(state.guardrail_arn);
    const version = String(state.version);
    const out = await call(`reading Bedrock Guardrail (${arn}) Version (${version})`, () =>
      unlessNotFound(
        () => bedrock(ctx, state).send(new GetGuardrailCommand({ guardrailIdentifier: arn, guardrailVersion: version })),
        'ResourceNotFoundException',
      ),
    );
    if (!out) return null;
    return {
      ...state,
      description: out.description ?? null,
      guardrail_arn: out.guardrailArn ?? arn,
      version: out.version ?? version,
      region: regionOf(state, ctx),
    };
  },

  async update(_ctx, _prior, planned) {
    return planned;
  },

  async delete(ctx, prior) {
    // skip_destroy: Terraform forgets the version; it stays published (and referenceable).
    if (prior.skip_destroy === true) return;
    const arn = String(prior.guardrail_arn);
    const version = String(prior.version);
    await call(`deleting Bedrock Guardrail (${arn}) Version (${version})`, () =>
      unlessNotFound(
        () => bedrock(ctx, prior).send(new DeleteGuardrailCommand({ guardrailIdentifier: arn, guardrailVersion: version })),
        'ResourceNotFoundException',
      ),
    );
  },

  async import(ctx, importId) {
    const { first, second, region } = splitPairImportId(importId, ctx, 'guardrail_identifier,version');
    const found = await bedrockGuardrailVersion.read(ctx, complete(schema, { guardrail_arn: first, version: second, region }));
    if (!found) throw new ProviderError('Cannot import non-existent remote object', `Bedrock Guardrail Version ${importId} was not found`);
    return found;
  },
};
