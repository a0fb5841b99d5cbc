/**
 * Where the synthesized stacks are applied: AWS itself, or the sandbox emulator reached by the
 * real hashicorp/aws provider. For the sandbox every `aws` provider block gets what LocalStack's
 * `tflocal` writes for an emulator (https://github.com/localstack/terraform-local): endpoint
 * overrides for the services the stacks call, and no credential, metadata, account-id or region
 * checks against AWS. The endpoint is the Terraform input variable `sandbox_endpoint` (the engine
 * passes TF_VAR_sandbox_endpoint), so the JSON stays byte-identical while the emulator's port changes.
 * Argument reference: https://registry.terraform.io/providers/hashicorp/aws/latest/docs#argument-reference
 */
import { TerraformVariable, type TerraformStack } from 'cdktf';
import type { AwsProviderConfig } from '@cdktf/provider-aws/lib/provider/index.js';
import type { Environment } from '../model/types.js';
import { isSandboxEnvironment } from '../model/sandbox-environment.js';

export type SynthTarget = 'aws' | 'sandbox';
export const SYNTH_TARGETS: readonly SynthTarget[] = ['aws', 'sandbox'];

/** Terraform name of the emulator endpoint variable. */
export const SANDBOX_ENDPOINT_VARIABLE = 'sandbox_endpoint';

/** The target an environment is synthesized for when none is given: sandbox environments go to the emulator. */
export function defaultTarget(env: Environment): SynthTarget {
  return isSandboxEnvironment(env) ? 'sandbox' : 'aws';
}

/** Declares `variable "sandbox_endpoint"` once per stack and returns its reference. */
function sandboxEndpoint(stack: TerraformStack): string {
  if (!stack.node.tryFindChild(SANDBOX_ENDPOINT_VARIABLE)) {
    new TerraformVariable(stack, SANDBOX_ENDPOINT_VARIABLE, {
      type: 'string',
      description: 'Base URL of the sandbox emulator (STS, Organizations, Bedrock); the engine sets TF_VAR_sandbox_endpoint',
    }).overrideLogicalId(SANDBOX_ENDPOINT_VARIABLE);
  }
  // A literal reference rather than the variable's token keeps the provider JSON readable and stable.
  return `\${var.${SANDBOX_ENDPOINT_VARIABLE}}`;
}

/** Extra `aws` provider arguments for `target` (none for AWS). */
export function targetProviderConfig(stack: TerraformStack, target: SynthTarget): Partial<AwsProviderConfig> {
  if (target === 'aws') return {};
  const endpoint = sandboxEndpoint(stack);
  return {
    endpoints: [{ bedrock: endpoint, organizations: endpoint, sts: endpoint }],
    skipCredentialsValidation: true,
    // A string in hashicorp/aws v6 (it also accepts "false" and "" to mean the default).
    skipMetadataApiCheck: 'true',
    skipRequestingAccountId: true,
    skipRegionValidation: true,
  };
}
