/**
 * `team-<id>`: one team addition in its team account — per region of the addition, the team's
 * guardrail, a published version and the account-level enforced configuration
 * (modules/team/construct.ts). Providers assume the deployment role in the team account only:
 * the stack holds nothing at the organization level, so the baseline cannot be weakened by it.
 * An expired addition (as of `asOf`) is synthesized empty: applying it removes the addition,
 * as an expired exception's policy leaves the enterprise stack.
 */
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { teamAdditionStatus, teamStackName } from '../model/team-additions.js';
import type { Environment, TeamAddition } from '../model/types.js';
import { TeamAdditionEnforcement } from '../modules/team/construct.js';
import { teamOutputKey } from '../modules/team/props.js';
import { accountEnforcementConfig } from '../policy/index.js';
import { addBackend } from './backend.js';
import { memberRoleArn, regionalProviders } from './providers.js';
import { addRequirements } from './requirements.js';
import type { SynthTarget } from './target.js';

export interface TeamStackInput {
  env: Environment;
  addition: TeamAddition;
  asOf: Date;
  /** 'remove': providers and backend only (`rollout team remove`: applying it destroys the addition). */
  mode?: 'apply' | 'remove';
  target?: SynthTarget;
}

/** Whether the stack of `input` declares the addition (false: expired or being removed — the stack is empty). */
export function teamStackDeclares(input: Pick<TeamStackInput, 'addition' | 'asOf' | 'mode'>): boolean {
  return input.mode !== 'remove' && teamAdditionStatus(input.addition, input.asOf) === 'active';
}

export function teamStack(scope: Construct, input: TeamStackInput): TerraformStack {
  const { env, addition } = input;
  const name = teamStackName(addition.id);
  const stack = new TerraformStack(scope, name);
  addBackend(stack, env, name, input.target);
  addRequirements(stack, env);
  // Providers only in the addition's regions: those are the regions it owns a configuration in.
  const scoped: Environment = { ...env, regions: addition.regions };
  const providers = regionalProviders(stack, scoped, name, memberRoleArn(env, addition.account), input.target);
  if (!teamStackDeclares(input)) return stack;
  // The environment's guarding modes and model lists: a team adds content controls, not a wider scope.
  const enforcement = accountEnforcementConfig(env);
  for (const region of addition.regions) {
    const team = new TeamAdditionEnforcement(stack, `team-${region}`, {
      additionId: addition.id,
      definition: addition.definition,
      contentHash: addition.contentHash,
      region,
      provider: providers.get(region),
      ...enforcement,
    });
    const out = (attr: Parameters<typeof teamOutputKey>[1], value: string, description: string) => {
      const key = teamOutputKey(region, attr);
      new TerraformOutput(stack, key, { value, description }).overrideLogicalId(key);
    };
    out('arn', team.guardrail.guardrailArn, `unversioned ARN of the team guardrail in ${region}`);
    out('id', team.guardrail.guardrailId, `id of the team guardrail in ${region}`);
    out('version', team.version, `enforced version of the team guardrail in ${region}`);
    out('config_id', team.enforcement.configId, `account-level enforced configuration id in ${region}`);
  }
  return stack;
}
