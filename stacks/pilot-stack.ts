/**
 * `pilot`: account-level enforcement in the pilot account. The enforced configuration must
 * reference a guardrail in the same account (cross-account identifiers are not established,
 * docs/aws-facts.md#cross-account-identifiers), so the pilot account gets its own guardrail + version per region.
 */
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { Guardrail } from '../modules/guardrail/construct.js';
import { AccountEnforcement } from '../modules/enforcement/account.js';
import { refuseAutomatedReasoning } from '../modules/enforcement/refusal.js';
import { regionSlug, slug } from '../modules/naming.js';
import { accountEnforcementConfig } from '../policy/index.js';
import { addBackend } from './backend.js';
import { releaseOutputs } from './guardrails-stack.js';
import { type StackInput, phaseRelease, stackEnforcement } from './inputs.js';
import { memberRoleArn, regionalProviders } from './providers.js';
import { addRequirements } from './requirements.js';

export function pilotStack(scope: Construct, input: StackInput): TerraformStack {
  const { env } = input;
  const stack = new TerraformStack(scope, 'pilot');
  addBackend(stack, env, 'pilot', input.target);
  addRequirements(stack, env);
  const providers = regionalProviders(stack, env, 'pilot', memberRoleArn(env, env.pilot.account), input.target);

  const release = phaseRelease(input, 'pilot');
  if (!release) return stack;
  refuseAutomatedReasoning(release, env.regions, 'account');
  const enforcement = accountEnforcementConfig(env, stackEnforcement(input).pilot);

  for (const region of env.regions) {
    const r = regionSlug(region);
    const provider = providers.get(region);
    const guardrail = new Guardrail(stack, `guardrail-${region}`, {
      definition: release.definition,
      provider,
      region,
      resourceName: `guardrail_${r}`,
      tags: { 'managed-by': 'guardrail-rollout', 'guardrail-rollout:release': release.name },
    });
    const version = guardrail.publishRelease(release, { resourceName: `release_${slug(release.name)}_${r}` });
    const account = new AccountEnforcement(stack, `enforcement-${region}`, {
      ...enforcement,
      guardrailIdentifier: guardrail.guardrailArn,
      guardrailVersion: version.version,
      provider,
      resourceName: `account_${r}`,
    });
    releaseOutputs(stack, release.name, region, guardrail, version.version);
    const key = `enforcement_${r}_config_id`;
    new TerraformOutput(stack, key, { value: account.configId, description: `enforced configuration id in ${region}` }).overrideLogicalId(
      key,
    );
  }
  return stack;
}
