/**
 * Example production baseline (release org-baseline@2026.12.1). Copy this file to start your own
 * and see docs/guardrail-definitions.md. Every policy type is shown; remove what you do not need.
 */
import { ContentFilterType, FilterStrength, GuardrailDefinition, PiiAction, PiiEntityType, Topic } from '../../../guardrail/index.js';

export default new GuardrailDefinition({
  name: 'org-baseline',
  description: 'Organization baseline enforced on every Bedrock inference call',
  blockedInputMessaging: 'This request is not allowed by the Example Corp AI policy. See https://intranet.example.com/ai-policy.',
  blockedOutputsMessaging: 'The model response was withheld by the Example Corp AI policy.',
})
  .addContentFilter({ type: ContentFilterType.SEXUAL, inputStrength: FilterStrength.HIGH, outputStrength: FilterStrength.HIGH })
  .addContentFilter({ type: ContentFilterType.VIOLENCE, inputStrength: FilterStrength.HIGH, outputStrength: FilterStrength.HIGH })
  .addContentFilter({ type: ContentFilterType.HATE, inputStrength: FilterStrength.HIGH, outputStrength: FilterStrength.HIGH })
  .addContentFilter({ type: ContentFilterType.INSULTS, inputStrength: FilterStrength.MEDIUM, outputStrength: FilterStrength.MEDIUM })
  .addContentFilter({ type: ContentFilterType.MISCONDUCT, inputStrength: FilterStrength.HIGH, outputStrength: FilterStrength.HIGH })
  // MEDIUM rather than HIGH: long agent system prompts are flagged at HIGH (failure story 3, docs/aws-facts.md).
  .addContentFilter({ type: ContentFilterType.PROMPT_ATTACK, inputStrength: FilterStrength.MEDIUM, outputStrength: FilterStrength.NONE })
  .addDeniedTopicFilter(Topic.financialAdvice())
  .addDeniedTopicFilter(
    Topic.custom({
      name: 'Credential Sharing',
      definition: 'Requests to share, reveal or collect passwords, access keys, session tokens or other login credentials.',
      examples: ['Paste your AWS secret access key here.'],
    }),
  )
  .addPIIFilter({ type: PiiEntityType.US_SOCIAL_SECURITY_NUMBER, action: PiiAction.BLOCK })
  .addPIIFilter({ type: PiiEntityType.CREDIT_DEBIT_CARD_NUMBER, action: PiiAction.BLOCK })
  .addPIIFilter({ type: PiiEntityType.AWS_ACCESS_KEY, action: PiiAction.BLOCK })
  .addPIIFilter({ type: PiiEntityType.AWS_SECRET_KEY, action: PiiAction.BLOCK })
  // Detect e-mail addresses in prompts without blocking; mask them in responses.
  .addPIIFilter({ type: PiiEntityType.EMAIL, action: PiiAction.ANONYMIZE, inputAction: PiiAction.NONE })
  .addRegexFilter({ name: 'employee-id', description: 'Employee numbers', pattern: 'EC[0-9]{7}', action: PiiAction.ANONYMIZE })
  .addWordFilter('Project Halcyon')
  .addManagedWordListFilter()
  .addContextualGroundingFilter({ type: 'GROUNDING', threshold: 0.7 })
  .addContextualGroundingFilter({ type: 'RELEVANCE', threshold: 0.5 });
