/**
 * AWS provider configurations. Every provider assumes `arn:aws:iam::<account>:role/<role>` in
 * the account the stack changes (management or pilot), so the same JSON works from any
 * credentials that may assume those roles (CI, HCP Terraform dynamic credentials, sandbox).
 */
import type { TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import type { Environment } from '../model/types.js';
import { regionSlug } from '../modules/naming.js';

export function roleArn(account: string, roleName: string): string {
  return `arn:aws:iam::${account}:role/${roleName}`;
}

export function managementRoleArn(env: Environment): string {
  return roleArn(env.managementAccountId, env.deployment.managementRoleName ?? env.deployment.roleName);
}

export function memberRoleArn(env: Environment, account: string): string {
  return roleArn(account, env.deployment.roleName);
}

/** Stable session name so CloudTrail shows which stack acted. */
function sessionName(stack: string): string {
  return `guardrail-rollout-${stack}`.slice(0, 64);
}

/** One aliased provider per region (alias = region slug, e.g. `aws.us_east_1`). */
export function regionalProviders(stack: TerraformStack, env: Environment, stackName: string, role: string): Map<string, AwsProvider> {
  const out = new Map<string, AwsProvider>();
  for (const region of env.regions) {
    const alias = regionSlug(region);
    out.set(
      region,
      new AwsProvider(stack, `aws_${alias}`, {
        alias,
        region,
        assumeRole: [{ roleArn: role, sessionName: sessionName(stackName) }],
      }),
    );
  }
  return out;
}

/** The default (unaliased) provider in the home region: Organizations is a global service. */
export function homeProvider(stack: TerraformStack, env: Environment, stackName: string, role: string): AwsProvider {
  return new AwsProvider(stack, 'aws', {
    region: env.homeRegion,
    assumeRole: [{ roleArn: role, sessionName: sessionName(stackName) }],
  });
}

/**
 * The prebuilt bindings pin hashicorp/aws 6.25.0, which has neither
 * `aws_bedrock_enforced_guardrail_configuration` nor `aws_bedrock_guardrail_resource_policy`;
 * every stack requires the environment's constraint instead (docs/stacks.md explains why).
 */
export function requireAwsProvider(stack: TerraformStack, env: Environment): void {
  stack.addOverride('terraform.required_providers.aws', { source: 'hashicorp/aws', version: env.deployment.awsProviderVersion });
}
