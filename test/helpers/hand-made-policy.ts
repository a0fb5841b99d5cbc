/**
 * What an organization that adopted BEDROCK_POLICY by hand looks like: its own guardrail in the
 * management account (one word filter, "xyzzy"), shared with the organization, enforced from the
 * root by a policy named `bedrock-baseline-by-hand` — through the real SDK clients, as someone
 * in the console would. Used by the adopt tests and `npm run demo:operating-model`.
 */
import { CreateGuardrailCommand, CreateGuardrailVersionCommand, PutResourcePolicyCommand } from '@aws-sdk/client-bedrock';
import { AttachPolicyCommand, CreatePolicyCommand } from '@aws-sdk/client-organizations';
import type { Environment } from '../../model/types.js';
import type { AwsAccess } from '../../rollout/aws/clients.js';
import { orgSharingPolicy } from './resource-policy.js';

export const HAND_MADE = 'bedrock-baseline-by-hand';

/** Creates and attaches the hand-made root policy; returns its policy id. */
export async function attachHandMadeRootPolicy(access: AwsAccess, env: Environment): Promise<string> {
  const gi: Record<string, unknown> = {};
  for (const region of env.regions) {
    const bedrock = access.forAccount(env.managementAccountId, region).bedrock;
    const g = await bedrock.send(
      new CreateGuardrailCommand({
        name: 'made-by-hand',
        blockedInputMessaging: 'Blocked.',
        blockedOutputsMessaging: 'Blocked.',
        wordPolicyConfig: { wordsConfig: [{ text: 'xyzzy' }] },
      }),
    );
    const v = await bedrock.send(new CreateGuardrailVersionCommand({ guardrailIdentifier: g.guardrailId }));
    await bedrock.send(
      new PutResourcePolicyCommand({ resourceArn: g.guardrailArn, resourcePolicy: orgSharingPolicy(g.guardrailArn!, env.organizationId) }),
    );
    // Made with care: the models that cannot be guarded are excluded, as the environment does.
    gi[region] = {
      config_1: {
        identifier: { '@@assign': `${g.guardrailArn}:${v.version}` },
        model_enforcement: {
          included_models: { '@@assign': env.enforcement.models.included.length ? env.enforcement.models.included : ['ALL'] },
          excluded_models: { '@@assign': env.enforcement.models.excluded },
        },
      },
    };
  }
  const org = access.forAccount(env.managementAccountId).organizations;
  const p = await org.send(
    new CreatePolicyCommand({
      Name: HAND_MADE,
      Description: 'attached in the console',
      Type: 'BEDROCK_POLICY',
      Content: JSON.stringify({ bedrock: { guardrail_inference: gi } }),
    }),
  );
  const id = p.Policy!.PolicySummary!.Id!;
  await org.send(new AttachPolicyCommand({ PolicyId: id, TargetId: env.organization.root.id }));
  return id;
}
