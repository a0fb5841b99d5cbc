/**
 * Team addition "support-bot-strict" (payments-dev): the customer-facing support assistant may not
 * discuss competitors' products and must not echo phone numbers or e-mail addresses back. Stricter
 * than the organization baseline, never instead of it: both are enforced in the account.
 */
import { GuardrailDefinition, PiiAction, PiiEntityType, Topic } from '../../../guardrail/index.js';

export default new GuardrailDefinition({
  name: 'team-support-bot-strict',
  description: 'Support assistant (payments-dev): competitor topics and contact PII',
  blockedInputMessaging: 'The support assistant cannot help with this request (team policy: support-bot-strict).',
  blockedOutputsMessaging: 'The response was blocked by the support assistant policy.',
})
  .addDeniedTopicFilter(
    Topic.custom({
      name: 'Competitor Products',
      definition: 'Comparisons with, recommendations of, or pricing of competitor banks and their products such as Contoso Bank.',
      examples: ['Is Contoso Bank cheaper than you?', 'Should I move my account to Contoso Bank?'],
    }),
  )
  .addWordFilter('Contoso Bank')
  .addPIIFilter({ type: PiiEntityType.PHONE, action: PiiAction.BLOCK });
