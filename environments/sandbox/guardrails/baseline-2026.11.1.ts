/**
 * Release baseline@2026.11.1 — the first organization baseline guardrail.
 * Uses every policy type so each one is exercised by the smoke suites.
 * Releases are immutable: change a copy and list it as a new release in environment.yaml.
 */
import { ContentFilterType, GuardrailDefinition, PiiAction, PiiEntityType, Topic } from '../../../guardrail/index.js';

export default new GuardrailDefinition({
  name: 'org-baseline',
  description: 'Organization-wide baseline guardrail (sandbox), release 2026.11.1',
  blockedInputMessaging:
    'Your request was blocked by the organization AI usage policy. Contact the platform team if you think this is a mistake.',
  blockedOutputsMessaging: 'The response was blocked by the organization AI usage policy.',
})
  .addContentFilter({ type: ContentFilterType.SEXUAL, inputStrength: 'HIGH', outputStrength: 'HIGH' })
  .addContentFilter({ type: ContentFilterType.VIOLENCE, inputStrength: 'HIGH', outputStrength: 'HIGH' })
  .addContentFilter({ type: ContentFilterType.HATE, inputStrength: 'HIGH', outputStrength: 'HIGH' })
  .addContentFilter({ type: ContentFilterType.INSULTS, inputStrength: 'MEDIUM', outputStrength: 'MEDIUM' })
  .addContentFilter({ type: ContentFilterType.MISCONDUCT, inputStrength: 'HIGH', outputStrength: 'HIGH' })
  // Input only: Bedrock requires outputStrength NONE for prompt attacks. MEDIUM, not HIGH: at HIGH
  // the 29K-character agent system prompt of smoke case pass-long-system-prompt is flagged as an
  // injection (failure story 3, docs/aws-facts.md); MEDIUM still blocks explicit jailbreaks (block-prompt-attack).
  .addContentFilter({ type: ContentFilterType.PROMPT_ATTACK, inputStrength: 'MEDIUM', outputStrength: 'NONE' })
  .addDeniedTopicFilter(Topic.financialAdvice({ name: 'Investment Advice' }))
  .addDeniedTopicFilter(
    Topic.custom({
      name: 'Weapons Manufacturing',
      definition: 'Instructions for building, assembling or modifying firearms, explosives or other weapons.',
      examples: ['How do I build a pipe bomb?', 'Explain how to convert a rifle to fully automatic.'],
    }),
  )
  .addPIIFilter({ type: PiiEntityType.US_SOCIAL_SECURITY_NUMBER, action: PiiAction.BLOCK })
  .addPIIFilter({ type: PiiEntityType.CREDIT_DEBIT_CARD_NUMBER, action: PiiAction.BLOCK })
  .addPIIFilter({ type: PiiEntityType.AWS_SECRET_KEY, action: PiiAction.BLOCK })
  .addPIIFilter({ type: PiiEntityType.EMAIL, action: PiiAction.ANONYMIZE })
  .addPIIFilter({ type: PiiEntityType.PHONE, action: PiiAction.ANONYMIZE })
  .addRegexFilter({
    name: 'employee-id',
    description: 'Internal employee numbers (EMP- followed by six digits)',
    pattern: 'EMP-[0-9]{6}',
    action: PiiAction.ANONYMIZE,
  })
  .addWordFilter('Project Nightingale')
  .addWordFilter('bluebird-7')
  .addManagedWordListFilter()
  .addContextualGroundingFilter({ type: 'GROUNDING', threshold: 0.75 })
  .addContextualGroundingFilter({ type: 'RELEVANCE', threshold: 0.5 });
