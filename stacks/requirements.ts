/**
 * The `terraform {}` requirements every stack writes: the Terraform version its backend needs and
 * the hashicorp/aws constraint of the environment.
 *
 * required_version, by backend:
 *   s3 with use_lockfile: >= 1.10 — S3-native state locking arrived in Terraform 1.10
 *     (https://developer.hashicorp.com/terraform/language/backend/s3#state-locking);
 *   cloud: >= 1.6 — the engine applies saved plans, which the `cloud` block supports from 1.6
 *     (https://github.com/hashicorp/terraform/blob/v1.6/CHANGELOG.md, docs/rollout.md "Real AWS");
 *   local, s3 without lockfile: >= 1.6 — nothing the stacks use needs more than 1.0 (JSON
 *     configuration, terraform_remote_state, nested blocks as lists); 1.6 is the common floor so one
 *     engine behaves the same on every backend, and OpenTofu (terraformBinary: tofu) starts at 1.6.
 * The upper bound < 2.0.0: Terraform's 1.x compatibility promise covers the JSON syntax these
 * files use (https://developer.hashicorp.com/terraform/language/v1-compatibility-promises).
 */
import type { TerraformStack } from 'cdktf';
import type { BackendSettings, Environment } from '../model/types.js';

const BELOW_NEXT_MAJOR = '< 2.0.0';

/** The `required_version` a stack with this backend needs. */
export function requiredTerraformVersion(backend: BackendSettings): string {
  const floor = backend.type === 's3' && backend.useLockfile ? '1.10' : '1.6';
  return `>= ${floor}, ${BELOW_NEXT_MAJOR}`;
}

/**
 * Writes required_version and required_providers.aws. The prebuilt bindings pin hashicorp/aws
 * 6.25.0, which has neither `aws_bedrock_enforced_guardrail_configuration` nor
 * `aws_bedrock_guardrail_resource_policy`; every stack requires the environment's constraint
 * instead (model/provider-version.ts, docs/stacks.md "Provider version constraint").
 */
export function addRequirements(stack: TerraformStack, env: Environment): void {
  stack.addOverride('terraform.required_version', requiredTerraformVersion(env.deployment.backend));
  stack.addOverride('terraform.required_providers.aws', { source: 'hashicorp/aws', version: env.deployment.awsProviderVersion });
}
