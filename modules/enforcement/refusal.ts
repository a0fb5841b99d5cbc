/**
 * Enforcement refuses guardrails that carry an Automated Reasoning policy: "including one causes
 * runtime failures" for every enforced call in scope.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_bedrock_best_practices.html
 * https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-enforcements.html
 */
import { EXIT } from '../../core/errors.js';
import { hasAutomatedReasoning, type GuardrailDefinition } from '../../guardrail/definition.js';
import type { GuardrailSpec } from '../../guardrail/spec.js';

export class AutomatedReasoningRefused extends Error {
  readonly exitCode = EXIT.badInput;
  constructor(
    readonly release: string,
    readonly regions: readonly string[],
    readonly level: 'organization' | 'account',
  ) {
    super(
      `release "${release}" carries an Automated Reasoning policy and is refused for ${level}-level enforcement ` +
        `in ${regions.join(', ')}: enforced guardrails must not contain Automated Reasoning checks ` +
        '(https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-enforcements.html). ' +
        'Remove automatedReasoning from the definition or promote a release without it.',
    );
    this.name = 'AutomatedReasoningRefused';
  }
}

export function refuseAutomatedReasoning(
  release: { name: string; definition: GuardrailDefinition | GuardrailSpec },
  regions: readonly string[],
  level: 'organization' | 'account',
): void {
  if (hasAutomatedReasoning(release.definition)) throw new AutomatedReasoningRefused(release.name, regions, level);
}
