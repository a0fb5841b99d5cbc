/**
 * AWS provider configurations. Every provider ends in `arn:aws:iam::<account>:role/<role>` in
 * the account the stack changes (management or pilot), so the same JSON works from any
 * credentials that may assume those roles (CI, HCP Terraform dynamic credentials, sandbox).
 *
 * The chain is the one `rollout/aws/clients.ts` uses: base credentials → management role
 * (`deployment.managementRoleName`, when configured) → member role. A member-account provider
 * therefore lists two `assume_role` blocks, management role first: hashicorp/aws assumes them in
 * order, each with the credentials of the one before (IAM role chaining, added in 2024 by
 * hashicorp/terraform-provider-aws#39255; every stack requires `deployment.awsProviderVersion`,
 * default in model/provider-version.ts). Without a management role a member provider assumes the member role straight
 * from the base identity, which the member role trusts only when that identity is in the
 * management account (docs/rollout.md "Real AWS").
 * For the sandbox target each provider also gets the emulator settings of stacks/target.ts.
 */
import type { TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import type { Environment } from '../model/types.js';
import { regionSlug } from '../modules/naming.js';
import { type SynthTarget, targetProviderConfig } from './target.js';

export function roleArn(account: string, roleName: string): string {
  return `arn:aws:iam::${account}:role/${roleName}`;
}

export function managementRoleArn(env: Environment): string {
  return roleArn(env.managementAccountId, env.deployment.managementRoleName ?? env.deployment.roleName);
}

export function memberRoleArn(env: Environment, account: string): string {
  return roleArn(account, env.deployment.roleName);
}

/**
 * The `assume_role` blocks of a provider acting through `role`: the management role first when
 * `role` is in a member account and a management role is configured, then `role` itself.
 */
export function assumeRoleChain(env: Environment, role: string, stackName: string): { roleArn: string; sessionName: string }[] {
  const mgmt = env.deployment.managementRoleName;
  const member = accountOfRole(role) !== env.managementAccountId;
  const chain = member && mgmt ? [roleArn(env.managementAccountId, mgmt), role] : [role];
  return chain.map((arn) => ({ roleArn: arn, sessionName: sessionName(stackName) }));
}

function accountOfRole(arn: string): string | undefined {
  return /^arn:aws:iam::(\d{12}):role\//.exec(arn)?.[1];
}

/** Stable session name so CloudTrail shows which stack acted. */
function sessionName(stack: string): string {
  return `guardrail-rollout-${stack}`.slice(0, 64);
}

/** One aliased provider per region (alias = region slug, e.g. `aws.us_east_1`). */
export function regionalProviders(
  stack: TerraformStack,
  env: Environment,
  stackName: string,
  role: string,
  target: SynthTarget = 'aws',
): Map<string, AwsProvider> {
  const out = new Map<string, AwsProvider>();
  for (const region of env.regions) {
    const alias = regionSlug(region);
    out.set(
      region,
      new AwsProvider(stack, `aws_${alias}`, {
        alias,
        region,
        assumeRole: assumeRoleChain(env, role, stackName),
        ...targetProviderConfig(stack, target),
      }),
    );
  }
  return out;
}

/** The default (unaliased) provider in the home region: Organizations is a global service. */
export function homeProvider(
  stack: TerraformStack,
  env: Environment,
  stackName: string,
  role: string,
  target: SynthTarget = 'aws',
): AwsProvider {
  return new AwsProvider(stack, 'aws', {
    region: env.homeRegion,
    assumeRole: assumeRoleChain(env, role, stackName),
    ...targetProviderConfig(stack, target),
  });
}
