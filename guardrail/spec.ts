/**
 * The canonical guardrail (`GuardrailSpec`) and its parts: every key present, every default of
 * `defaults.ts` applied, absent optionals null. `GuardrailDefinition.toSpec()` builds it; the
 * cdktf construct, the sandbox, the gates, `wire.ts` and the content hash all consume it.
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

/** Per-direction settings, resolved. */
export interface Directional<A extends string> {
  inputAction: A;
  outputAction: A;
  inputEnabled: boolean;
  outputEnabled: boolean;
}
export interface ContentFilterSpec extends Directional<GuardrailAction> {
  type: ContentFilterType;
  inputStrength: FilterStrength;
  outputStrength: FilterStrength;
  /** Canonical order (TEXT before IMAGE). */
  inputModalities: Modality[];
  outputModalities: Modality[];
}
export interface TopicSpec extends Directional<GuardrailAction> {
  name: string;
  definition: string;
  examples: string[];
  type: 'DENY';
}
export interface PiiEntitySpec extends Directional<PiiAction> {
  type: PiiEntityType;
  action: PiiAction;
}
export interface RegexSpec extends Directional<PiiAction> {
  name: string;
  pattern: string;
  description: string | null;
  action: PiiAction;
}
export interface WordSpec extends Directional<GuardrailAction> {
  text: string;
}
export interface ManagedWordListSpec extends Directional<GuardrailAction> {
  type: ManagedWordListType;
}
export interface GroundingFilterSpec {
  type: GroundingFilterType;
  threshold: number;
  action: GuardrailAction;
  enabled: boolean;
}
export interface CrossRegionSpec {
  guardrailProfileArn: string;
}
export interface AutomatedReasoningSpec {
  policies: string[];
  confidenceThreshold: number | null;
}

/**
 * The canonical guardrail: every key present, defaults applied, set-like lists
 * (content filters, PII entities, grounding filters) sorted by type. Absent optionals are null.
 */
export interface GuardrailSpec {
  name: string;
  description: string | null;
  blockedInputMessaging: string;
  blockedOutputsMessaging: string;
  contentTier: TierName;
  contentFilters: ContentFilterSpec[];
  topicTier: TierName;
  topics: TopicSpec[];
  piiEntities: PiiEntitySpec[];
  regexes: RegexSpec[];
  words: WordSpec[];
  managedWordLists: ManagedWordListSpec[];
  contextualGrounding: GroundingFilterSpec[];
  kmsKeyArn: string | null;
  crossRegion: CrossRegionSpec | null;
  automatedReasoning: AutomatedReasoningSpec | null;
}
