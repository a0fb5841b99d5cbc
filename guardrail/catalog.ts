/**
 * Enumerations and limits of Amazon Bedrock Guardrails, as published in the API model
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_CreateGuardrail.html) and the
 * user guide (https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-components.html).
 * Pure data: no AWS, no cdktf.
 */

import {
  CONTENT_FILTER_TYPES,
  FILTER_STRENGTHS,
  GROUNDING_FILTER_TYPES,
  GUARDRAIL_ACTIONS,
  MANAGED_WORD_LIST_TYPES,
  MODALITIES,
  PII_ACTIONS,
  PII_ENTITY_TYPES,
  TIER_NAMES,
} from '../core/bedrock-guardrail-enums.js';

/** `{ A: 'A', B: 'B' }` from the API's list of values: named constants for editor completion. */
function named<const T extends readonly string[]>(values: T): { readonly [K in T[number]]: K } {
  return Object.fromEntries(values.map((v) => [v, v])) as { readonly [K in T[number]]: K };
}

/** Harmful-content categories of the content filter (plus PROMPT_ATTACK, input-only). */
export const ContentFilterType = named(CONTENT_FILTER_TYPES);
export type ContentFilterType = (typeof ContentFilterType)[keyof typeof ContentFilterType];

export const FilterStrength = named(FILTER_STRENGTHS);
export type FilterStrength = (typeof FilterStrength)[keyof typeof FilterStrength];

/** Action of content, topic, word and grounding filters. NONE = detect and report only. */
export const GuardrailAction = named(GUARDRAIL_ACTIONS);
export type GuardrailAction = (typeof GuardrailAction)[keyof typeof GuardrailAction];

/** Action of sensitive-information (PII and regex) filters. */
export const PiiAction = named(PII_ACTIONS);
export type PiiAction = (typeof PiiAction)[keyof typeof PiiAction];

export const Modality = named(MODALITIES);
export type Modality = (typeof Modality)[keyof typeof Modality];

/**
 * Safeguard tier of content filters and denied topics. STANDARD needs a cross-Region
 * guardrail profile: https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-tiers.html
 */
export const TierName = named(TIER_NAMES);
export type TierName = (typeof TierName)[keyof typeof TierName];

export const ManagedWordListType = named(MANAGED_WORD_LIST_TYPES);
export type ManagedWordListType = (typeof ManagedWordListType)[keyof typeof ManagedWordListType];

export const GroundingFilterType = named(GROUNDING_FILTER_TYPES);
export type GroundingFilterType = (typeof GroundingFilterType)[keyof typeof GroundingFilterType];

export type PiiEntityType = (typeof PII_ENTITY_TYPES)[number];
/** `PiiEntityType.EMAIL` etc., for editor completion. */
export const PiiEntityType = named(PII_ENTITY_TYPES);

/** Documented limits (CreateGuardrail request constraints and guardrail quotas). */
export const LIMITS = {
  nameMax: 50,
  messagingMax: 500,
  descriptionMax: 200,
  contentFiltersMax: 6,
  topicsMax: 30,
  topicNameMax: 100,
  topicDefinitionMaxClassic: 200,
  topicDefinitionMaxStandard: 1000,
  topicExamplesMax: 5,
  topicExampleMax: 100,
  regexesMax: 10,
  regexNameMax: 100,
  regexPatternMax: 500,
  regexDescriptionMax: 1000,
  wordsMax: 10000,
  wordMax: 100,
  groundingThresholdMax: 0.99,
  automatedReasoningPoliciesMax: 2,
} as const;

export const GUARDRAIL_NAME_PATTERN = /^[0-9a-zA-Z-_]{1,50}$/;
/** Topic names: letters, digits, space and `-_!?.` (GuardrailTopicName pattern). */
export const TOPIC_NAME_PATTERN = /^[0-9a-zA-Z-_ !?.]{1,100}$/;
export const KMS_KEY_ARN_PATTERN = /^arn:aws(-[a-z-]+)?:kms:[a-z0-9-]+:[0-9]{12}:key\/[a-zA-Z0-9-]{1,128}$/;
export const GUARDRAIL_PROFILE_ARN_PATTERN = /^arn:aws(-[a-z-]+)?:bedrock:[a-z0-9-]+:[0-9]{12}:guardrail-profile\/[a-z0-9.:-]{1,128}$/;
export const AUTOMATED_REASONING_POLICY_ARN_PATTERN =
  /^arn:aws(-[a-z-]+)?:bedrock:[a-z0-9-]+:[0-9]{12}:automated-reasoning-policy\/[a-z0-9]{12}(:([1-9][0-9]{0,11}))?$/;
