/**
 * The public entry for definition authors: what `environments/<name>/guardrails/*.ts` import.
 * The builder, the topic presets, the catalog's enums and limits, the props types and the
 * content hash. Code that consumes definitions imports the module it needs (`spec.ts`,
 * `definition.ts`, `wire.ts`, …) directly.
 */
export { GuardrailDefinition } from './definition.js';
export { Topic } from './topics.js';
export {
  ContentFilterType,
  FilterStrength,
  GroundingFilterType,
  GuardrailAction,
  LIMITS,
  ManagedWordListType,
  Modality,
  PiiAction,
  PiiEntityType,
  TierName,
} from './catalog.js';
export type {
  AutomatedReasoningProps,
  ContentFilterProps,
  CrossRegionProps,
  DirectionalProps,
  GroundingFilterProps,
  GuardrailProps,
  ManagedWordListProps,
  PiiEntityProps,
  RegexProps,
  TopicProps,
  WordProps,
} from './props.js';
export { contentHash } from './hash.js';
export { PII_ENTITY_TYPES } from '../core/bedrock-guardrail-enums.js';
