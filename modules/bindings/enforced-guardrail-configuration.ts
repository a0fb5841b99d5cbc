/**
 * Typed binding for `aws_bedrock_enforced_guardrail_configuration`, which the prebuilt
 * provider bindings (hashicorp/aws 6.25.0) do not have. Argument names follow the provider
 * source (internal/service/bedrock/enforced_guardrail_configuration.go, PR #47408):
 * nested blocks are emitted as single-element lists, as the generated classes do.
 * Registry: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/bedrock_enforced_guardrail_configuration
 */
import type { TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsResourceBinding, dropUndefined } from './resource.js';

export type ApiGuardingMode = 'COMPREHENSIVE' | 'SELECTIVE';

export interface SelectiveContentGuardingBlock {
  readonly system?: ApiGuardingMode;
  readonly messages?: ApiGuardingMode;
}

export interface ModelEnforcementBlock {
  /** `["ALL"]` or model ids; at least one item (API min 1). */
  readonly includedModels: string[];
  readonly excludedModels: string[];
}

export interface BedrockEnforcedGuardrailConfigurationConfig extends TerraformMetaArguments {
  /** Guardrail id or unversioned ARN. */
  readonly guardrailIdentifier: string;
  /** Numeric published version (DRAFT is rejected by the API pattern `[1-9][0-9]{0,7}`). */
  readonly guardrailVersion: string;
  readonly selectiveContentGuarding?: SelectiveContentGuardingBlock;
  readonly modelEnforcement?: ModelEnforcementBlock;
  readonly region?: string;
}

export class BedrockEnforcedGuardrailConfiguration extends AwsResourceBinding {
  static readonly tfResourceType = 'aws_bedrock_enforced_guardrail_configuration';

  private readonly config: BedrockEnforcedGuardrailConfigurationConfig;

  constructor(scope: Construct, id: string, config: BedrockEnforcedGuardrailConfigurationConfig) {
    super(scope, id, BedrockEnforcedGuardrailConfiguration.tfResourceType, config);
    this.config = config;
  }

  get configId(): string {
    return this.getStringAttribute('config_id');
  }
  get guardrailArn(): string {
    return this.getStringAttribute('guardrail_arn');
  }
  get guardrailId(): string {
    return this.getStringAttribute('guardrail_id');
  }
  get owner(): string {
    return this.getStringAttribute('owner');
  }
  get createdAt(): string {
    return this.getStringAttribute('created_at');
  }
  get updatedAt(): string {
    return this.getStringAttribute('updated_at');
  }
  get guardrailIdentifier(): string {
    return this.getStringAttribute('guardrail_identifier');
  }
  get guardrailVersion(): string {
    return this.getStringAttribute('guardrail_version');
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    const c = this.config;
    return dropUndefined({
      guardrail_identifier: c.guardrailIdentifier,
      guardrail_version: c.guardrailVersion,
      selective_content_guarding: c.selectiveContentGuarding
        ? [dropUndefined({ system: c.selectiveContentGuarding.system, messages: c.selectiveContentGuarding.messages })]
        : undefined,
      model_enforcement: c.modelEnforcement
        ? [{ included_models: [...c.modelEnforcement.includedModels], excluded_models: [...c.modelEnforcement.excludedModels] }]
        : undefined,
      region: c.region,
    });
  }
}
