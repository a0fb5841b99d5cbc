/**
 * aws_bedrock_enforced_guardrail_configuration (account-level enforcement, one per account and
 * Region) in the TEST DOUBLE of hashicorp/aws (never used against AWS). Create = Put without
 * config_id, update = Put with the state's config_id, read = ListEnforcedGuardrailsConfiguration's
 * first entry (null when there is none or on ResourceNotFoundException), delete =
 * DeleteEnforcedGuardrailConfiguration(config_id). Nothing forces replacement. `id` is the Region
 * (deprecated alias of `region`); import ID = the Region. `updated_at`, `updated_by`,
 * `guardrail_arn`, `guardrail_id` and `owner` have no UseStateForUnknown, so they are unknown in
 * an update plan. On read `guardrail_identifier` is filled from `guardrail_arn` when null (import).
 * https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/bedrock/enforced_guardrail_configuration.go
 */
import {
  type AccountEnforcedGuardrailOutputConfiguration,
  DeleteEnforcedGuardrailConfigurationCommand,
  ListEnforcedGuardrailsConfigurationCommand,
  PutEnforcedGuardrailConfigurationCommand,
  type PutEnforcedGuardrailConfigurationCommandInput,
  type SelectiveGuardingMode,
} from '@aws-sdk/client-bedrock';
import { type BlockSchema, type CtyObject, type ProviderContext, ProviderError, type ResourceType, UNKNOWN } from '../types.js';
import { oneOf, regionAttribute, regionOf, rfc3339, withDefaultRegion } from './common.js';
import { changed, complete, first, settleObject, str, strings } from './cty-object.js';
import { call, unlessNotFound } from './not-found.js';

const SOURCE = 'https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/bedrock/enforced_guardrail_configuration.go';

const C = { type: 'string', computed: true } as const;
const mode = { type: 'string', optional: true, validate: oneOf(['SELECTIVE', 'COMPREHENSIVE']) } as const;

const schema: BlockSchema = {
  attributes: {
    config_id: C,
    created_at: C,
    created_by: C,
    guardrail_arn: C,
    guardrail_id: C,
    guardrail_identifier: { type: 'string', required: true },
    guardrail_version: { type: 'string', required: true },
    id: { ...C, description: 'Deprecated: use region.' },
    owner: C,
    region: regionAttribute,
    updated_at: C,
    updated_by: C,
  },
  blocks: {
    model_enforcement: {
      nesting: 'list',
      maxItems: 1,
      block: {
        attributes: {
          excluded_models: { type: ['list', 'string'], required: true },
          included_models: { type: ['list', 'string'], required: true },
        },
      },
    },
    selective_content_guarding: { nesting: 'list', maxItems: 1, block: { attributes: { messages: mode, system: mode } } },
  },
};

/** The arguments whose change makes an update (everything else is computed). */
const ARGUMENTS = ['guardrail_identifier', 'guardrail_version', 'model_enforcement', 'selective_content_guarding'];
const UNKNOWN_ON_UPDATE = ['updated_at', 'updated_by', 'guardrail_arn', 'guardrail_id', 'owner'];

function bedrock(ctx: ProviderContext, obj: CtyObject) {
  return ctx.clients(regionOf(obj, ctx)).bedrock;
}

function putInput(obj: CtyObject, configId: string | undefined): PutEnforcedGuardrailConfigurationCommandInput {
  const me = first(obj.model_enforcement);
  const scg = first(obj.selective_content_guarding);
  return {
    ...(configId ? { configId } : {}),
    guardrailInferenceConfig: {
      guardrailIdentifier: str(obj.guardrail_identifier),
      guardrailVersion: str(obj.guardrail_version),
      ...(me
        ? { modelEnforcement: { includedModels: strings(me.included_models) ?? [], excludedModels: strings(me.excluded_models) ?? [] } }
        : {}),
      ...(scg
        ? {
            selectiveContentGuarding: {
              ...(str(scg.system) ? { system: scg.system as SelectiveGuardingMode } : {}),
              ...(str(scg.messages) ? { messages: scg.messages as SelectiveGuardingMode } : {}),
            },
          }
        : {}),
    },
  };
}

async function current(ctx: ProviderContext, obj: CtyObject): Promise<AccountEnforcedGuardrailOutputConfiguration | undefined> {
  const out = await call('reading Bedrock Enforced Guardrail Configuration', () =>
    unlessNotFound(() => bedrock(ctx, obj).send(new ListEnforcedGuardrailsConfigurationCommand({})), 'ResourceNotFoundException'),
  );
  return out?.guardrailsConfig?.[0];
}

function stateFrom(c: AccountEnforcedGuardrailOutputConfiguration, prior: CtyObject, ctx: ProviderContext): CtyObject {
  const region = regionOf(prior, ctx);
  const me = c.modelEnforcement;
  const scg = c.selectiveContentGuarding;
  return {
    ...prior,
    config_id: c.configId ?? null,
    guardrail_arn: c.guardrailArn ?? null,
    guardrail_id: c.guardrailId ?? null,
    guardrail_version: c.guardrailVersion ?? null,
    guardrail_identifier: str(prior.guardrail_identifier) ?? c.guardrailArn ?? null,
    created_at: rfc3339(c.createdAt),
    created_by: c.createdBy ?? null,
    updated_at: rfc3339(c.updatedAt),
    updated_by: c.updatedBy ?? null,
    owner: c.owner ?? null,
    id: region,
    region,
    model_enforcement: me ? [{ included_models: me.includedModels ?? [], excluded_models: me.excludedModels ?? [] }] : [],
    selective_content_guarding: scg ? [{ messages: scg.messages ?? null, system: scg.system ?? null }] : [],
  };
}

async function putAndRead(ctx: ProviderContext, planned: CtyObject, configId: string | undefined, verb: string): Promise<CtyObject> {
  await call(`${verb} Bedrock Enforced Guardrail Configuration`, () =>
    bedrock(ctx, planned).send(new PutEnforcedGuardrailConfigurationCommand(putInput(planned, configId))),
  );
  const now = await current(ctx, planned);
  if (!now) throw new ProviderError(`reading Bedrock Enforced Guardrail Configuration after ${verb}`, 'no configuration was found');
  return settleObject(planned, stateFrom(now, planned, ctx));
}

export const bedrockEnforcedGuardrailConfiguration: ResourceType = {
  name: 'aws_bedrock_enforced_guardrail_configuration',
  source: SOURCE,
  version: 0,
  schema,

  plan({ prior, ctx }, planned) {
    const out = { ...withDefaultRegion(planned, ctx) };
    out.id = out.region ?? null;
    if (prior && changed(prior, out, ARGUMENTS)) for (const k of UNKNOWN_ON_UPDATE) out[k] = UNKNOWN;
    return out;
  },

  create: (ctx, planned) => putAndRead(ctx, planned, undefined, 'creating'),
  update: (ctx, prior, planned) => putAndRead(ctx, planned, str(prior.config_id), 'updating'),

  async read(ctx, state) {
    const now = await current(ctx, state);
    return now ? stateFrom(now, state, ctx) : null;
  },

  async delete(ctx, prior) {
    const configId = str(prior.config_id);
    if (!configId) return;
    await call(`deleting Bedrock Enforced Guardrail Configuration (${regionOf(prior, ctx)})`, () =>
      unlessNotFound(
        () => bedrock(ctx, prior).send(new DeleteEnforcedGuardrailConfigurationCommand({ configId })),
        'ResourceNotFoundException',
      ),
    );
  },

  async import(ctx, region) {
    const found = await bedrockEnforcedGuardrailConfiguration.read(ctx, complete(schema, { region, id: region }));
    if (!found) throw new ProviderError('Cannot import non-existent remote object', `no enforced guardrail configuration in ${region}`);
    return found;
  },
};
