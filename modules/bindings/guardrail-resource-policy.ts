/**
 * Typed binding for `aws_bedrock_guardrail_resource_policy` (hashicorp/aws PR #48697), absent
 * from the prebuilt 6.25.0 bindings. `policy` is the policy JSON as a string.
 * Registry: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/bedrock_guardrail_resource_policy
 */
import type { TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsResourceBinding, dropUndefined } from './resource.js';

export interface BedrockGuardrailResourcePolicyConfig extends TerraformMetaArguments {
  /** Guardrail ARN (unversioned) or system-defined guardrail-profile ARN. ForceNew. */
  readonly resourceArn: string;
  /** Policy document as a JSON string. */
  readonly policy: string;
  readonly region?: string;
}

export class BedrockGuardrailResourcePolicy extends AwsResourceBinding {
  static readonly tfResourceType = 'aws_bedrock_guardrail_resource_policy';

  private readonly config: BedrockGuardrailResourcePolicyConfig;

  constructor(scope: Construct, id: string, config: BedrockGuardrailResourcePolicyConfig) {
    super(scope, id, BedrockGuardrailResourcePolicy.tfResourceType, config);
    this.config = config;
  }

  get resourceArn(): string {
    return this.getStringAttribute('resource_arn');
  }
  get policy(): string {
    return this.getStringAttribute('policy');
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return dropUndefined({
      resource_arn: this.config.resourceArn,
      policy: this.config.policy,
      region: this.config.region,
    });
  }
}
