/**
 * `preflight:automated-reasoning…`: guardrails with an Automated Reasoning policy are not
 * supported for organization-level enforcement
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_bedrock_best_practices.html,
 * "Exclude automated reasoning policies"). The definition is checked here; each published
 * version is checked from the GetGuardrail answer the content check already has
 * (`versionAutomatedReasoningCheck`, used by published-content.ts).
 */
import type { GetGuardrailCommandOutput } from '@aws-sdk/client-bedrock';
import { hasAutomatedReasoning } from '../../../guardrail/definition.js';
import type { CheckResult, PublishedVersion } from '../../state/contracts.js';
import { releaseOf } from '../context.js';
import type { Check } from '../gate.js';

export const automatedReasoningCheck: Check = {
  ids: ['preflight:automated-reasoning'],
  run: async (ctx) => {
    const release = releaseOf(ctx);
    if (!hasAutomatedReasoning(release.definition)) return [];
    return [
      {
        id: 'preflight:automated-reasoning:definition',
        status: 'failed',
        detail: `release ${release.name} carries an Automated Reasoning policy, which enforced guardrails do not support`,
      },
    ];
  },
};

/** `preflight:automated-reasoning@<region>` from GetGuardrail of the published version. */
export function versionAutomatedReasoningCheck(p: PublishedVersion, g: GetGuardrailCommandOutput): CheckResult {
  const id = `preflight:automated-reasoning@${p.region}`;
  return g.automatedReasoningPolicy?.policies?.length
    ? {
        id,
        status: 'failed',
        account: p.account,
        region: p.region,
        detail: `version ${p.version} contains an Automated Reasoning policy: enforcement does not support it`,
      }
    : { id, status: 'passed', account: p.account, region: p.region, detail: 'no Automated Reasoning policy' };
}
