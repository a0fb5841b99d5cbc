/**
 * aws_bedrock_enforced_guardrail_configuration: account-level enforcement, one configuration per
 * account and region.
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/bedrock_enforced_guardrail_configuration
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_PutEnforcedGuardrailConfiguration.html
 */
import {
  DeleteEnforcedGuardrailConfigurationCommand,
  ListEnforcedGuardrailsConfigurationCommand,
  type ListEnforcedGuardrailsConfigurationCommandOutput,
  PutEnforcedGuardrailConfigurationCommand,
  type PutEnforcedGuardrailConfigurationCommandInput,
} from '@aws-sdk/client-bedrock';
import { findItem } from '../../../../core/paginate.js';
import { errorName } from '../../../aws/errors.js';
import { single } from '../../tfjson.js';
import { type Attrs, existsUnlessNotFound, type ResourceContext, type ResourceHandler, tolerateNotFound } from './handler.js';

/** The Terraform arguments as the PutEnforcedGuardrailConfiguration input. */
function enforcedInput(args: Attrs, configId?: string): PutEnforcedGuardrailConfigurationCommandInput {
  const scg = single(args.selective_content_guarding);
  const me = single(args.model_enforcement);
  return {
    ...(configId ? { configId } : {}),
    guardrailInferenceConfig: {
      guardrailIdentifier: String(args.guardrail_identifier),
      guardrailVersion: String(args.guardrail_version),
      ...(scg ? { selectiveContentGuarding: { system: scg.system as never, messages: scg.messages as never } } : {}),
      ...(me
        ? {
            modelEnforcement: {
              includedModels: (me.included_models as string[]) ?? [],
              excludedModels: (me.excluded_models as string[]) ?? [],
            },
          }
        : {}),
    },
  };
}

async function currentEnforced(ctx: ResourceContext) {
  try {
    const out = await ctx.clients.bedrock.send(new ListEnforcedGuardrailsConfigurationCommand({}));
    return out.guardrailsConfig?.[0];
  } catch (err) {
    if (errorName(err) === 'ResourceNotFoundException') return undefined;
    throw err;
  }
}

export const enforcedGuardrailConfiguration: ResourceHandler = {
  computed: ['config_id', 'guardrail_arn', 'guardrail_id', 'owner', 'id', 'created_at', 'updated_at'],
  forceNew: [],
  async create(ctx, args) {
    // One configuration per account and region: an existing one (ours from a crashed apply,
    // or left behind) is updated in place instead of doubled.
    const existing = await currentEnforced(ctx);
    const out = await ctx.clients.bedrock.send(new PutEnforcedGuardrailConfigurationCommand(enforcedInput(args, existing?.configId)));
    const now = await currentEnforced(ctx);
    return {
      ...args,
      config_id: out.configId ?? now?.configId,
      guardrail_arn: now?.guardrailArn,
      guardrail_id: now?.guardrailId,
      owner: now?.owner ?? 'ACCOUNT',
      id: ctx.region,
    };
  },
  async update(ctx, args, prior) {
    const out = await ctx.clients.bedrock.send(
      new PutEnforcedGuardrailConfigurationCommand(enforcedInput(args, String(prior.config_id ?? '') || undefined)),
    );
    const now = await currentEnforced(ctx);
    return {
      ...prior,
      ...args,
      config_id: out.configId ?? now?.configId ?? prior.config_id,
      guardrail_arn: now?.guardrailArn,
      guardrail_id: now?.guardrailId,
      id: ctx.region,
    };
  },
  async delete(ctx, _args, prior) {
    const configId = String(prior.config_id ?? '') || (await currentEnforced(ctx))?.configId;
    if (!configId) return;
    await tolerateNotFound(() => ctx.clients.bedrock.send(new DeleteEnforcedGuardrailConfigurationCommand({ configId })));
  },
  // Ours = the recorded config_id among the account and region's configurations (every page);
  // one deleted out of band (DeleteEnforcedGuardrailConfiguration) is gone, and planned as a create.
  exists(ctx, prior) {
    const configId = String(prior.config_id ?? '');
    return existsUnlessNotFound(async () => {
      const hit = await findItem(
        (nextToken) => ctx.clients.bedrock.send(new ListEnforcedGuardrailsConfigurationCommand({ nextToken })),
        (page: ListEnforcedGuardrailsConfigurationCommandOutput) => page.nextToken,
        (page) => page.guardrailsConfig,
        (c) => !configId || c.configId === configId,
      );
      return hit !== undefined;
    });
  },
};
