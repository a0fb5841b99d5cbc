/**
 * The enumerations of the Bedrock guardrail API (the values CreateGuardrail accepts), as the API
 * reference lists them: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_CreateGuardrail.html
 * One home for the values, shared by the guardrail vocabulary (guardrail/catalog.ts builds its
 * named enums from them) and the emulator, which validates requests against them.
 */

export const CONTENT_FILTER_TYPES = ['SEXUAL', 'VIOLENCE', 'HATE', 'INSULTS', 'MISCONDUCT', 'PROMPT_ATTACK'] as const;
export const FILTER_STRENGTHS = ['NONE', 'LOW', 'MEDIUM', 'HIGH'] as const;
/** Action of content, topic, word and grounding filters. */
export const GUARDRAIL_ACTIONS = ['BLOCK', 'NONE'] as const;
/** Action of sensitive-information (PII and regex) filters. */
export const PII_ACTIONS = ['BLOCK', 'ANONYMIZE', 'NONE'] as const;
export const MODALITIES = ['TEXT', 'IMAGE'] as const;
export const TIER_NAMES = ['CLASSIC', 'STANDARD'] as const;
export const MANAGED_WORD_LIST_TYPES = ['PROFANITY'] as const;
export const GROUNDING_FILTER_TYPES = ['GROUNDING', 'RELEVANCE'] as const;

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
