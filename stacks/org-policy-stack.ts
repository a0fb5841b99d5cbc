/**
 * `model-rules`, `ou`, `enterprise`: BEDROCK_POLICY organization policies from the pure policy
 * module, attached by the management account. Each carries the enforcement settings of the unit
 * its phase holds (StackInput.enforcement) and opens the settings a narrower phase holds differently. The guardrail identifier per region is the
 * `guardrails` stack's output for the phase's release, read through terraform_remote_state:
 *   ${data.terraform_remote_state.guardrails.outputs.release_<release>_<region>_identifier}
 */
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { OrganizationEnforcement, policyResourceName } from '../modules/enforcement/organization.js';
import { releaseOutputKey } from '../modules/naming.js';
import { buildPhasePolicies, type OrgPhase } from '../policy/index.js';
import { addBackend, remoteState } from './backend.js';
import { GUARDRAILS_STACK } from './guardrails-stack.js';
import { type StackInput, phaseRelease, stackEnforcement } from './inputs.js';
import { homeProvider, managementRoleArn } from './providers.js';
import { addRequirements } from './requirements.js';

export type { OrgPhase };

/** Literal interpolation of a `guardrails` stack output (the remote-state data source is named `guardrails`). */
export function guardrailsOutputRef(key: string): string {
  return `\${data.terraform_remote_state.${GUARDRAILS_STACK}.outputs.${key}}`;
}

export function orgPolicyStack(scope: Construct, input: StackInput, phase: OrgPhase): TerraformStack {
  const { env } = input;
  const stack = new TerraformStack(scope, phase);
  addBackend(stack, env, phase, input.target);
  addRequirements(stack, env);
  const provider = homeProvider(stack, env, phase, managementRoleArn(env), input.target);

  const release = phaseRelease(input, phase);
  if (!release) return stack;

  remoteState(stack, GUARDRAILS_STACK, env, GUARDRAILS_STACK, input.target);
  const identifiers = Object.fromEntries(
    env.regions.map((region) => [region, guardrailsOutputRef(releaseOutputKey(release.name, region, 'identifier'))]),
  );
  // This phase's own settings, and the locks that what the other phases hold requires.
  const held = stackEnforcement(input);
  const policies = buildPhasePolicies({ env, phase, identifiers, asOf: input.asOf, release: release.name, held });
  const enforcement = new OrganizationEnforcement(stack, 'enforcement', {
    policies,
    release,
    regions: env.regions,
    managementAccountId: env.managementAccountId,
    provider,
  });
  for (const p of enforcement.policies) {
    const key = `policy_${policyResourceName(p.spec.key)}_id`;
    new TerraformOutput(stack, key, { value: p.policy.id, description: `organization policy id of "${p.spec.name}"` }).overrideLogicalId(
      key,
    );
  }
  return stack;
}
