/**
 * Enumerations and limits of Amazon Bedrock Guardrails, as published in the API model
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_CreateGuardrail.html) and the
 * user guide (https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-components.html).
 * Pure data: no AWS, no cdktf.
 */

/** Harmful-content categories of the content filter (plus PROMPT_ATTACK, input-only). */
export const ContentFilterType = {
  SEXUAL: 'SEXUAL',
  VIOLENCE: 'VIOLENCE',
  HATE: 'HATE',
  INSULTS: 'INSULTS',
  MISCONDUCT: 'MISCONDUCT',
  PROMPT_ATTACK: 'PROMPT_ATTACK',
} as const;
export type ContentFilterType = (typeof ContentFilterType)[keyof typeof ContentFilterType];

export const FilterStrength = { NONE: 'NONE', LOW: 'LOW', MEDIUM: 'MEDIUM', HIGH: 'HIGH' } as const;
export type FilterStrength = (typeof FilterStrength)[keyof typeof FilterStrength];

/** Action of content, topic, word and grounding filters. NONE = detect and report only. */
export const GuardrailAction = { BLOCK: 'BLOCK', NONE: 'NONE' } as const;
export type GuardrailAction = (typeof GuardrailAction)[keyof typeof GuardrailAction];

/** Action of sensitive-information (PII and regex) filters. */
export const PiiAction = { BLOCK: 'BLOCK', ANONYMIZE: 'ANONYMIZE', NONE: 'NONE' } as const;
export type PiiAction = (typeof PiiAction)[keyof typeof PiiAction];

export const Modality = { TEXT: 'TEXT', IMAGE: 'IMAGE' } as const;
export type Modality = (typeof Modality)[keyof typeof Modality];

/**
 * Safeguard tier of content filters and denied topics. STANDARD needs a cross-Region
 * guardrail profile: https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-tiers.html
 */
export const TierName = { CLASSIC: 'CLASSIC', STANDARD: 'STANDARD' } as const;
export type TierName = (typeof TierName)[keyof typeof TierName];

export const ManagedWordListType = { PROFANITY: 'PROFANITY' } as const;
export type ManagedWordListType = (typeof ManagedWordListType)[keyof typeof ManagedWordListType];

export const GroundingFilterType = { GROUNDING: 'GROUNDING', RELEVANCE: 'RELEVANCE' } as const;
export type GroundingFilterType = (typeof GroundingFilterType)[keyof typeof GroundingFilterType];

/** Every PII entity type Bedrock Guardrails detects (GuardrailPiiEntityType). */
export const PII_ENTITY_TYPES = [
  'ADDRESS',
  'AGE',
  'AWS_ACCESS_KEY',
  'AWS_SECRET_KEY',
  'CA_HEALTH_NUMBER',
  'CA_SOCIAL_INSURANCE_NUMBER',
  'CREDIT_DEBIT_CARD_CVV',
  'CREDIT_DEBIT_CARD_EXPIRY',
  'CREDIT_DEBIT_CARD_NUMBER',
  'DRIVER_ID',
  'EMAIL',
  'INTERNATIONAL_BANK_ACCOUNT_NUMBER',
  'IP_ADDRESS',
  'LICENSE_PLATE',
  'MAC_ADDRESS',
  'NAME',
  'PASSWORD',
  'PHONE',
  'PIN',
  'SWIFT_CODE',
  'UK_NATIONAL_HEALTH_SERVICE_NUMBER',
  'UK_NATIONAL_INSURANCE_NUMBER',
  'UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER',
  'URL',
  'USERNAME',
  'US_BANK_ACCOUNT_NUMBER',
  'US_BANK_ROUTING_NUMBER',
  'US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER',
  'US_PASSPORT_NUMBER',
  'US_SOCIAL_SECURITY_NUMBER',
  'VEHICLE_IDENTIFICATION_NUMBER',
] as const;
export type PiiEntityType = (typeof PII_ENTITY_TYPES)[number];
/** `PiiEntityType.EMAIL` etc., for editor completion. */
export const PiiEntityType = Object.fromEntries(PII_ENTITY_TYPES.map((t) => [t, t])) as { readonly [K in PiiEntityType]: K };

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
