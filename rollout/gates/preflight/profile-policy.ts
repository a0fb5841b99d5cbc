/**
 * `preflight:resource-policy:guardrail-profile` (org phases, releases with cross-Region
 * inference): a guardrail with cross-Region inference is evaluated through a guardrail
 * profile, and callers also need ApplyGuardrail on the profile in every destination Region of
 * it, granted by a resource-based policy on the profile
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-resource-based-policies.html,
 * https://docs.aws.amazon.com/bedrock/latest/userguide/guardrail-profiles-permissions.html).
 * The stacks do not generate profile policies, so this checks the one in the profile ARN's
 * Region (the destination Regions of a profile are not modelled).
 */
import { GetResourcePolicyCommand } from '@aws-sdk/client-bedrock';
import { errorName } from '../../aws/errors.js';
import type { CheckResult } from '../../state/contracts.js';
import { releaseOf, type GateRunContext } from '../context.js';
import type { Check } from '../gate.js';
import { errorCheck } from '../result.js';
import { grantsOrganization } from './resource-policy.js';

async function profilePolicyChecks(ctx: GateRunContext): Promise<CheckResult[]> {
  if (ctx.phase === 'pilot') return [];
  const profile = releaseOf(ctx).definition.toSpec().crossRegion?.guardrailProfileArn;
  if (!profile) return [];
  const id = 'preflight:resource-policy:guardrail-profile';
  const [, , , region, account] = profile.split(':');
  const rest = `the same policy must be on ${profile.split('/').pop()} in every destination Region of the profile (guardrail-rollout does not generate guardrail-profile resource policies)`;
  const missing = (why: string): CheckResult[] => [
    {
      id,
      status: 'failed',
      account,
      region,
      detail: `${why}: release ${ctx.release} uses cross-Region inference, so members would get AccessDenied on inference calls served through the profile; ${rest}`,
    },
  ];
  try {
    const out = await ctx.access.forAccount(account, region).bedrock.send(new GetResourcePolicyCommand({ resourceArn: profile }));
    if (!out.resourcePolicy) return missing(`guardrail profile ${profile} has no resource-based policy`);
    const g = grantsOrganization(out.resourcePolicy, profile, ctx.env.organizationId);
    return g.ok ? [{ id, status: 'passed', account, region, detail: `${g.why} on ${profile}; ${rest}` }] : missing(g.why);
  } catch (err) {
    if (errorName(err) === 'ResourceNotFoundException') return missing(`guardrail profile ${profile} has no resource-based policy`);
    return [errorCheck(id, `GetResourcePolicy ${profile}`, err, { account, region })];
  }
}

export const profilePolicyCheck: Check = {
  ids: ['preflight:resource-policy:guardrail-profile'],
  run: profilePolicyChecks,
};
