/**
 * The resource types served by the TEST DOUBLE of hashicorp/aws (never used against AWS): the six
 * the project's stacks synthesize.
 * https://github.com/hashicorp/terraform-provider-aws/tree/main/internal/service/bedrock
 * https://github.com/hashicorp/terraform-provider-aws/tree/main/internal/service/organizations
 */
import type { ResourceType } from '../types.js';
import { bedrockEnforcedGuardrailConfiguration } from './bedrock-enforced-guardrail-configuration.js';
import { bedrockGuardrailResourcePolicy } from './bedrock-guardrail-resource-policy.js';
import { bedrockGuardrailVersion } from './bedrock-guardrail-version.js';
import { bedrockGuardrail } from './bedrock-guardrail.js';
import { organizationsPolicyAttachment } from './organizations-policy-attachment.js';
import { organizationsPolicy } from './organizations-policy.js';

export const awsResources: readonly ResourceType[] = [
  bedrockGuardrail,
  bedrockGuardrailVersion,
  bedrockGuardrailResourcePolicy,
  bedrockEnforcedGuardrailConfiguration,
  organizationsPolicy,
  organizationsPolicyAttachment,
];

export {
  bedrockEnforcedGuardrailConfiguration,
  bedrockGuardrail,
  bedrockGuardrailResourcePolicy,
  bedrockGuardrailVersion,
  organizationsPolicy,
  organizationsPolicyAttachment,
};
