/**
 * What definition authors write: the props of a guardrail and of each of its policies. Every
 * optional field names its default with a `@default` tag (the values themselves live in
 * `defaults.ts`; `validate.ts` applies them). The canonical, fully defaulted shapes are in
 * `spec.ts`.
 *
 * Field limits: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_CreateGuardrail.html
 */
import type {
  ContentFilterType,
  FilterStrength,
  GroundingFilterType,
  GuardrailAction,
  ManagedWordListType,
  Modality,
  PiiAction,
  PiiEntityType,
  TierName,
} from './catalog.js';

/** Per-direction settings shared by content filters, topics, words and managed word lists. */
export interface DirectionalProps<A extends string> {
  /**
   * What happens when the filter matches a prompt. NONE detects and reports only.
   * @default GuardrailAction.BLOCK
   */
  inputAction?: A;
  /**
   * What happens when the filter matches a response. NONE detects and reports only.
   * @default GuardrailAction.BLOCK
   */
  outputAction?: A;
  /**
   * Whether the filter evaluates prompts.
   * @default true
   */
  inputEnabled?: boolean;
  /**
   * Whether the filter evaluates responses.
   * @default true
   */
  outputEnabled?: boolean;
}

/** One harmful-content category (or PROMPT_ATTACK) of the content policy. */
export interface ContentFilterProps extends DirectionalProps<GuardrailAction> {
  type: ContentFilterType;
  inputStrength: FilterStrength;
  /** Must be NONE for PROMPT_ATTACK (prompt attacks are an input-only filter). */
  outputStrength: FilterStrength;
  /**
   * Prompt content the filter reads (1–2, each once).
   * @default [Modality.TEXT]
   */
  inputModalities?: Modality[];
  /**
   * Response content the filter reads (1–2, each once).
   * @default [Modality.TEXT]
   */
  outputModalities?: Modality[];
}

/** One denied topic. */
export interface TopicProps extends DirectionalProps<GuardrailAction> {
  /** 1–100 chars: letters, digits, space, `-_!?.` */
  name: string;
  /** 1–200 chars (1–1000 with the STANDARD topic tier). */
  definition: string;
  /**
   * 0–5 sample prompts, 1–100 chars each.
   * @default - no examples
   */
  examples?: string[];
}

/** One PII entity type of the sensitive-information policy. */
export interface PiiEntityProps {
  type: PiiEntityType;
  /** BLOCK, ANONYMIZE (mask as {TYPE}) or NONE (detect only). */
  action: PiiAction;
  /**
   * Action on prompts.
   * @default - the entry's `action`
   */
  inputAction?: PiiAction;
  /**
   * Action on responses.
   * @default - the entry's `action`
   */
  outputAction?: PiiAction;
  /**
   * Whether the entity is detected in prompts.
   * @default true
   */
  inputEnabled?: boolean;
  /**
   * Whether the entity is detected in responses.
   * @default true
   */
  outputEnabled?: boolean;
}

/** One custom pattern of the sensitive-information policy. */
export interface RegexProps extends Omit<PiiEntityProps, 'type'> {
  /** 1–100 chars, unique in the guardrail. */
  name: string;
  /** 1–500 chars; must compile as a regular expression. */
  pattern: string;
  /**
   * 1–1000 chars.
   * @default - no description
   */
  description?: string;
}

/** One custom word or phrase of the word policy. */
export interface WordProps extends DirectionalProps<GuardrailAction> {
  /** 1–100 chars; a word or phrase matched case-insensitively. */
  text: string;
}

/** An AWS managed word list of the word policy. */
export interface ManagedWordListProps extends DirectionalProps<GuardrailAction> {
  /**
   * Only PROFANITY exists.
   * @default ManagedWordListType.PROFANITY
   */
  type?: ManagedWordListType;
}

/** One contextual grounding check. */
export interface GroundingFilterProps {
  type: GroundingFilterType;
  /** 0–0.99: responses scoring below it are blocked. */
  threshold: number;
  /**
   * NONE detects and reports only.
   * @default GuardrailAction.BLOCK
   */
  action?: GuardrailAction;
  /**
   * Whether the check runs.
   * @default true
   */
  enabled?: boolean;
}

/** Automated Reasoning checks (modelled so that enforcement can refuse them). */
export interface AutomatedReasoningProps {
  /** 1–2 automated-reasoning policy ARNs. */
  policies: string[];
  /**
   * 0–1.
   * @default - none set (the service's default)
   */
  confidenceThreshold?: number;
}

/** Cross-Region inference through a guardrail profile. */
export interface CrossRegionProps {
  /** The full guardrail profile ARN. */
  guardrailProfileArn: string;
}

/** One Bedrock guardrail: what `new GuardrailDefinition(props)` takes. */
export interface GuardrailProps {
  /** Guardrail name in Bedrock: `^[0-9a-zA-Z-_]{1,50}$`. */
  name: string;
  /**
   * 1–200 chars.
   * @default - no description
   */
  description?: string | null;
  /** Shown when a prompt is blocked, 1–500 chars. */
  blockedInputMessaging: string;
  /** Shown when a response is blocked, 1–500 chars. */
  blockedOutputsMessaging: string;
  /**
   * Safeguard tier of the content filters (STANDARD needs `crossRegion`).
   * @default TierName.CLASSIC
   */
  contentTier?: TierName;
  /**
   * Same as `addContentFilter` for each.
   * @default - no content filters
   */
  contentFilters?: ContentFilterProps[];
  /**
   * Safeguard tier of the denied topics (STANDARD needs `crossRegion`).
   * @default TierName.CLASSIC
   */
  topicTier?: TierName;
  /**
   * Same as `addDeniedTopicFilter` for each.
   * @default - no denied topics
   */
  topics?: TopicProps[];
  /**
   * Same as `addPIIFilter` for each.
   * @default - no PII entities
   */
  piiEntities?: PiiEntityProps[];
  /**
   * Same as `addRegexFilter` for each.
   * @default - no regexes
   */
  regexes?: RegexProps[];
  /**
   * Words: plain strings (defaults) or full settings. Same as `addWordFilter` for each.
   * @default - no words
   */
  words?: (string | WordProps)[];
  /**
   * Same as `addManagedWordListFilter` for each.
   * @default - no managed word lists
   */
  managedWordLists?: ManagedWordListProps[];
  /**
   * Same as `addContextualGroundingFilter` for each.
   * @default - no contextual grounding checks
   */
  contextualGrounding?: GroundingFilterProps[];
  /**
   * Customer managed KMS key ARN for encryption at rest.
   * @default - an AWS owned key
   */
  kmsKeyArn?: string | null;
  /**
   * Cross-Region inference through a guardrail profile. Required by STANDARD tiers.
   * @default - no cross-Region inference
   */
  crossRegion?: CrossRegionProps | null;
  /**
   * Automated Reasoning checks. Allowed in a guardrail, but a guardrail carrying them is
   * REFUSED for organization/account enforcement (see `hasAutomatedReasoning`).
   * @default - no Automated Reasoning checks
   */
  automatedReasoning?: AutomatedReasoningProps | null;
}
