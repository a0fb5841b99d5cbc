/**
 * Every default a guardrail definition gets: the ONE place. The normalisers of `validate.ts`
 * apply them and the `@default` tags of `props.ts` document them. They are the API's own
 * defaults, written out explicitly so the spec, the hash and the request body never depend on
 * what the service fills in:
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_CreateGuardrail.html
 */
import { GuardrailAction, ManagedWordListType, Modality, TierName } from './catalog.js';

export const DEFAULTS = {
  /** `contentTier` and `topicTier`. */
  tier: TierName.CLASSIC,
  /** `inputAction`/`outputAction` of content filters, topics, words and managed word lists. */
  action: GuardrailAction.BLOCK,
  /** `inputEnabled`/`outputEnabled` of every filter, `enabled` of grounding filters. */
  enabled: true,
  /** `inputModalities`/`outputModalities` of content filters. */
  modalities: [Modality.TEXT] as Modality[],
  /** `type` of a managed word list. */
  managedWordList: ManagedWordListType.PROFANITY,
  /** `action` of a contextual grounding filter. */
  groundingAction: GuardrailAction.BLOCK,
} as const;
