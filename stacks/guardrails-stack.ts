/**
 * `guardrails`: the management account publishes, per region, one guardrail (configured from the
 * newest release in use), one numbered version per release in use, and the resource-based
 * policy that lets organization members evaluate it. Organization policies of the phase stacks
 * reference these versions through this stack's outputs.
 */
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { Guardrail } from '../modules/guardrail/construct.js';
import { GuardrailResourcePolicy } from '../modules/guardrail/resource-policy.js';
import { regionSlug, releaseOutputKey, slug } from '../modules/naming.js';
import { addBackend } from './backend.js';
import { type StackInput, releasesInUse } from './inputs.js';
import { managementRoleArn, regionalProviders } from './providers.js';
import { addRequirements } from './requirements.js';

export const GUARDRAILS_STACK = 'guardrails';

export function guardrailsStack(scope: Construct, input: StackInput): TerraformStack {
  const { env } = input;
  const stack = new TerraformStack(scope, GUARDRAILS_STACK);
  addBackend(stack, env, GUARDRAILS_STACK, input.target);
  addRequirements(stack, env);
  const providers = regionalProviders(stack, env, GUARDRAILS_STACK, managementRoleArn(env), input.target);

  const releases = releasesInUse(input);
  if (releases.length === 0) return stack;
  const newest = releases[releases.length - 1]!;

  for (const region of env.regions) {
    const r = regionSlug(region);
    const guardrail = new Guardrail(stack, `guardrail-${region}`, {
      definition: newest.definition,
      provider: providers.get(region),
      region,
      resourceName: `guardrail_${r}`,
      tags: { 'managed-by': 'guardrail-rollout', 'guardrail-rollout:release': newest.name },
    });
    new GuardrailResourcePolicy(stack, `rbp-${region}`, {
      guardrailArn: guardrail.guardrailArn,
      organizationId: env.organizationId,
      provider: providers.get(region),
      resourceName: `guardrail_${r}`,
    });
    for (const release of releases) {
      const version = guardrail.publishRelease(release, { resourceName: `release_${slug(release.name)}_${r}` });
      releaseOutputs(stack, release.name, region, guardrail, version.version);
    }
  }
  return stack;
}

/** `release_<release>_<region>_{arn,id,version,identifier}` (see modules/naming.ts). */
export function releaseOutputs(stack: TerraformStack, release: string, region: string, guardrail: Guardrail, version: string): void {
  const out = (attr: 'arn' | 'id' | 'version' | 'identifier', value: string, description: string) => {
    const key = releaseOutputKey(release, region, attr);
    new TerraformOutput(stack, key, { value, description }).overrideLogicalId(key);
  };
  out('arn', guardrail.guardrailArn, `unversioned guardrail ARN serving ${release} in ${region}`);
  out('id', guardrail.guardrailId, `guardrail id serving ${release} in ${region}`);
  out('version', version, `numeric guardrail version of ${release} in ${region}`);
  out('identifier', `${guardrail.guardrailArn}:${version}`, `BEDROCK_POLICY identifier (ARN:version) of ${release} in ${region}`);
}
