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
  'ADDRESS', 'AGE', 'AWS_ACCESS_KEY', 'AWS_SECRET_KEY', 'CA_HEALTH_NUMBER',
  'CA_SOCIAL_INSURANCE_NUMBER', 'CREDIT_DEBIT_CARD_CVV', 'CREDIT_DEBIT_CARD_EXPIRY',
  'CREDIT_DEBIT_CARD_NUMBER', 'DRIVER_ID', 'EMAIL', 'INTERNATIONAL_BANK_ACCOUNT_NUMBER',
  'IP_ADDRESS', 'LICENSE_PLATE', 'MAC_ADDRESS', 'NAME', 'PASSWORD', 'PHONE', 'PIN', 'SWIFT_CODE',
  'UK_NATIONAL_HEALTH_SERVICE_NUMBER', 'UK_NATIONAL_INSURANCE_NUMBER',
  'UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER', 'URL', 'USERNAME', 'US_BANK_ACCOUNT_NUMBER',
  'US_BANK_ROUTING_NUMBER', 'US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER', 'US_PASSPORT_NUMBER',
  'US_SOCIAL_SECURITY_NUMBER', 'VEHICLE_IDENTIFICATION_NUMBER',
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
/**
 * Unversioned guardrail ARN; groups: 1 region, 2 owning account, 3 guardrail id.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_GetGuardrail.html
 */
export const GUARDRAIL_ARN_PATTERN = /^arn:aws(?:-[a-z]+)*:bedrock:([a-z0-9-]+):(\d{12}):guardrail\/([a-z0-9]+)$/;
/** A published guardrail version (`guardrailVersion` of the enforcement APIs); DRAFT does not match. */
export const GUARDRAIL_VERSION_PATTERN = /^[1-9][0-9]{0,7}$/;
export const AUTOMATED_REASONING_POLICY_ARN_PATTERN = /^arn:aws(-[a-z-]+)?:bedrock:[a-z0-9-]+:[0-9]{12}:automated-reasoning-policy\/[a-z0-9]{12}(:([1-9][0-9]{0,11}))?$/;

/**
 * AWS commercial Regions (partition `aws`), as listed on
 * https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html.
 * Bedrock Guardrails are not offered in all of them; Bedrock itself rejects unsupported ones.
 */
export const AWS_COMMERCIAL_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'af-south-1',
  'ap-east-1', 'ap-east-2', 'ap-south-1', 'ap-south-2',
  'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5',
  'ap-southeast-6', 'ap-southeast-7',
  'ca-central-1', 'ca-west-1',
  'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3',
  'eu-south-1', 'eu-south-2', 'eu-north-1',
  'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1', 'sa-east-1',
] as const;
export type AwsRegion = (typeof AWS_COMMERCIAL_REGIONS)[number];

/**
 * Bedrock foundation-model id: `provider.model[:version[:variant]]` (optionally `/<12 chars>`),
 * the anchored form of the modelEnforcement pattern
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_PutEnforcedGuardrailConfiguration.html).
 * Geo-prefixed inference-profile ids (`us.anthropic…`) and ARNs do not match.
 */
export const MODEL_ID_PATTERN = /^[a-z0-9-]{1,63}\.[a-z0-9-]{1,63}(:[a-z0-9-]{1,63}){0,2}(\/[a-z0-9]{12})?$/;
export const INFERENCE_PROFILE_PREFIX = /^(us|eu|apac|us-gov|global|jp|au|ca)\.[a-z0-9-]+\./;
