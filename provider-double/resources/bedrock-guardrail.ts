/**
 * aws_bedrock_guardrail (the guardrail's DRAFT) in the TEST DOUBLE of hashicorp/aws (never used
 * against AWS). Create = CreateGuardrail (with tags), update = UpdateGuardrail with the full
 * configuration, read = GetGuardrail(DRAFT) (null on ResourceNotFoundException), delete =
 * DeleteGuardrail. `version` (DRAFT), `status`, `created_at` keep their state on update
 * (UseStateForUnknown). Import ID `guardrail_id,version[@region]`.
 * Tags are written on create only and kept from state: the emulator has no tagging API.
 * https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/bedrock/guardrail.go
 */
import {
  CreateGuardrailCommand,
  DeleteGuardrailCommand,
  GetGuardrailCommand,
  type GetGuardrailCommandOutput,
  UpdateGuardrailCommand,
} from '@aws-sdk/client-bedrock';
import { type CtyObject, type ProviderContext, ProviderError, type ResourceType } from '../types.js';
import { guardrailInput, guardrailState } from './bedrock-guardrail-mapping.js';
import { guardrailSchema } from './bedrock-guardrail-schema.js';
import { regionOf, rfc3339, splitPairImportId, tagsAll, withDefaultRegion } from './common.js';
import { complete, settleObject, str } from './cty-object.js';
import { call, unlessNotFound } from './not-found.js';

const SOURCE = 'https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/bedrock/guardrail.go';

function bedrock(ctx: ProviderContext, obj: CtyObject) {
  return ctx.clients(regionOf(obj, ctx)).bedrock;
}

async function getGuardrail(ctx: ProviderContext, obj: CtyObject, id: string, version: string) {
  return call(`reading Bedrock Guardrail (${id})`, () =>
    unlessNotFound<GetGuardrailCommandOutput>(
      () => bedrock(ctx, obj).send(new GetGuardrailCommand({ guardrailIdentifier: id, guardrailVersion: version })),
      'ResourceNotFoundException',
    ),
  );
}

/** The state from GetGuardrail plus what only Terraform holds (tags, region, timeouts). */
function stateFrom(out: GetGuardrailCommandOutput, prior: CtyObject, ctx: ProviderContext): CtyObject {
  const s = guardrailState(out, prior);
  return {
    ...s,
    created_at: rfc3339(out.createdAt),
    region: regionOf(prior, ctx),
    tags: prior.tags ?? null,
    tags_all: tagsAll(prior),
    timeouts: prior.timeouts ?? null,
  };
}

async function readBack(ctx: ProviderContext, planned: CtyObject, id: string, action: string): Promise<CtyObject> {
  const out = await getGuardrail(ctx, planned, id, 'DRAFT');
  if (!out) throw new ProviderError(action, `Guardrail ${id} was not found after the call`);
  return stateFrom(out, planned, ctx);
}

export const bedrockGuardrail: ResourceType = {
  name: 'aws_bedrock_guardrail',
  source: SOURCE,
  version: 0,
  schema: guardrailSchema,

  plan({ ctx }, planned) {
    return { ...withDefaultRegion(planned, ctx), tags_all: tagsAll(planned) };
  },

  async create(ctx, planned) {
    const action = `creating Bedrock Guardrail (${str(planned.name)})`;
    const out = await call(action, () => bedrock(ctx, planned).send(new CreateGuardrailCommand(guardrailInput(planned))));
    const id = out.guardrailId!;
    const actual = await readBack(ctx, planned, id, action);
    return settleObject(planned, { ...actual, created_at: rfc3339(out.createdAt) ?? actual.created_at! });
  },

  async read(ctx, state) {
    const id = str(state.guardrail_id);
    if (!id) return null;
    const out = await getGuardrail(ctx, state, id, str(state.version) ?? 'DRAFT');
    return out ? stateFrom(out, state, ctx) : null;
  },

  async update(ctx, prior, planned) {
    const id = String(prior.guardrail_id);
    const action = `updating Bedrock Guardrail (${id})`;
    const { tags: _tags, ...input } = guardrailInput(planned);
    await call(action, () => bedrock(ctx, planned).send(new UpdateGuardrailCommand({ ...input, guardrailIdentifier: id })));
    return settleObject(planned, await readBack(ctx, planned, id, action));
  },

  async delete(ctx, prior) {
    const id = String(prior.guardrail_id);
    await call(`deleting Bedrock Guardrail (${id})`, () =>
      unlessNotFound(() => bedrock(ctx, prior).send(new DeleteGuardrailCommand({ guardrailIdentifier: id })), 'ResourceNotFoundException'),
    );
  },

  async import(ctx, importId) {
    const { first, second, region } = splitPairImportId(importId, ctx, 'guardrail_id,version');
    const state = complete(guardrailSchema, { guardrail_id: first, version: second, region });
    const found = await bedrockGuardrail.read(ctx, state);
    if (!found) throw new ProviderError('Cannot import non-existent remote object', `Bedrock Guardrail ${importId} was not found`);
    return found;
  },
};
