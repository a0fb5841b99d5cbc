/**
 * Guardrail definitions as code: a typed builder for one Amazon Bedrock guardrail, validated
 * when it is built, with ONE canonical, fully-defaulted spec (`GuardrailSpec`) that the cdktf
 * construct, the sandbox, the gates and the content hash all consume.
 *
 * PURE: no cdktf, no AWS SDK, no I/O (node:crypto only for the hash).
 *
 * A release file exports `default` a GuardrailDefinition:
 *
 *   export default new GuardrailDefinition({ name: 'org-baseline', blockedInputMessaging: '…', … })
 *     .addContentFilter({ type: ContentFilterType.VIOLENCE, inputStrength: 'HIGH', outputStrength: 'HIGH' })
 *     .addDeniedTopicFilter(Topic.custom({ name: 'Weapons', definition: '…' }));
 *
 * Limits and enums: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_CreateGuardrail.html
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../core/canonical-json.js';
import { InputError } from '../core/errors.js';
import {
  AUTOMATED_REASONING_POLICY_ARN_PATTERN,
  ContentFilterType,
  FilterStrength,
  GroundingFilterType,
  GUARDRAIL_NAME_PATTERN,
  GUARDRAIL_PROFILE_ARN_PATTERN,
  GuardrailAction,
  KMS_KEY_ARN_PATTERN,
  LIMITS,
  ManagedWordListType,
  Modality,
  PiiAction,
  PII_ENTITY_TYPES,
  TierName,
  TOPIC_NAME_PATTERN,
} from './catalog.js';
import type { PiiEntityType } from './catalog.js';

export {
  ContentFilterType,
  FilterStrength,
  GroundingFilterType,
  GuardrailAction,
  ManagedWordListType,
  Modality,
  PiiAction,
  PiiEntityType,
  PII_ENTITY_TYPES,
  TierName,
  LIMITS,
} from './catalog.js';

// ───────────────────────────── errors ─────────────────────────────

/**
 * A guardrail definition broke a rule. `path` is inside the definition (`topics[2].definition`);
 * the environment loader re-throws it as an InputError naming the definition file.
 * Extends InputError so an uncaught one still exits 2.
 */
export class GuardrailDefinitionError extends InputError {
  constructor(path: string, expected: string, file?: string) {
    super(file, path, expected);
    this.name = 'GuardrailDefinitionError';
  }
}

// ───────────────────────────── props (what authors write) ─────────────────────────────

/** Per-direction settings shared by most filters. Defaults: action BLOCK, enabled true. */
interface DirectionalProps<A extends string> {
  inputAction?: A;
  outputAction?: A;
  inputEnabled?: boolean;
  outputEnabled?: boolean;
}

export interface ContentFilterProps extends DirectionalProps<GuardrailAction> {
  type: ContentFilterType;
  inputStrength: FilterStrength;
  /** Must be NONE for PROMPT_ATTACK (prompt attacks are an input-only filter). */
  outputStrength: FilterStrength;
  /** Default ['TEXT']. */
  inputModalities?: Modality[];
  /** Default ['TEXT']. */
  outputModalities?: Modality[];
}

export interface TopicProps extends DirectionalProps<GuardrailAction> {
  /** 1–100 chars: letters, digits, space, `-_!?.` */
  name: string;
  /** 1–200 chars (1–1000 with the STANDARD topic tier). */
  definition: string;
  /** 0–5 sample prompts, 1–100 chars each. */
  examples?: string[];
}

export interface PiiEntityProps {
  type: PiiEntityType;
  /** BLOCK, ANONYMIZE (mask as {TYPE}) or NONE (detect only). */
  action: PiiAction;
  /** Default: `action`. */
  inputAction?: PiiAction;
  /** Default: `action`. */
  outputAction?: PiiAction;
  inputEnabled?: boolean;
  outputEnabled?: boolean;
}

export interface RegexProps extends Omit<PiiEntityProps, 'type'> {
  /** 1–100 chars, unique in the guardrail. */
  name: string;
  /** 1–500 chars; must compile as a regular expression. */
  pattern: string;
  description?: string;
}

export interface WordProps extends DirectionalProps<GuardrailAction> {
  /** 1–100 chars; a word or phrase matched case-insensitively. */
  text: string;
}

export interface ManagedWordListProps extends DirectionalProps<GuardrailAction> {
  /** Only PROFANITY exists. Default PROFANITY. */
  type?: ManagedWordListType;
}

export interface GroundingFilterProps {
  type: GroundingFilterType;
  /** 0–0.99: responses scoring below it are blocked. */
  threshold: number;
  /** Default BLOCK. */
  action?: GuardrailAction;
  /** Default true. */
  enabled?: boolean;
}

export interface AutomatedReasoningProps {
  /** 1–2 automated-reasoning policy ARNs. */
  policies: string[];
  /** 0–1. */
  confidenceThreshold?: number;
}

export interface GuardrailProps {
  /** Guardrail name in Bedrock: `^[0-9a-zA-Z-_]{1,50}$`. */
  name: string;
  /** 1–200 chars. */
  description?: string | null;
  /** Shown when a prompt is blocked, 1–500 chars. */
  blockedInputMessaging: string;
  /** Shown when a response is blocked, 1–500 chars. */
  blockedOutputsMessaging: string;
  /** Default CLASSIC. */
  contentTier?: TierName;
  contentFilters?: ContentFilterProps[];
  /** Default CLASSIC. */
  topicTier?: TierName;
  topics?: TopicProps[];
  piiEntities?: PiiEntityProps[];
  regexes?: RegexProps[];
  /** Words: plain strings (defaults) or full settings. */
  words?: (string | WordProps)[];
  managedWordLists?: ManagedWordListProps[];
  contextualGrounding?: GroundingFilterProps[];
  /** Customer managed KMS key ARN for encryption at rest. */
  kmsKeyArn?: string | null;
  /** Cross-Region inference through a guardrail profile (full profile ARN). Required by STANDARD tiers. */
  crossRegion?: { guardrailProfileArn: string } | null;
  /**
   * Automated Reasoning checks. Allowed in a guardrail, but a guardrail carrying them is
   * REFUSED for organization/account enforcement (see `hasAutomatedReasoning`).
   */
  automatedReasoning?: AutomatedReasoningProps | null;
}

// ───────────────────────────── spec (canonical, fully defaulted) ─────────────────────────────

interface Directional<A extends string> {
  inputAction: A;
  outputAction: A;
  inputEnabled: boolean;
  outputEnabled: boolean;
}
export interface ContentFilterSpec extends Directional<GuardrailAction> {
  type: ContentFilterType;
  inputStrength: FilterStrength;
  outputStrength: FilterStrength;
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
  crossRegion: { guardrailProfileArn: string } | null;
  automatedReasoning: { policies: string[]; confidenceThreshold: number | null } | null;
}

// ───────────────────────────── defaults: the ONE place ─────────────────────────────

export const DEFAULTS = {
  tier: TierName.CLASSIC,
  action: GuardrailAction.BLOCK,
  enabled: true,
  modalities: [Modality.TEXT] as Modality[],
  managedWordList: ManagedWordListType.PROFANITY,
  groundingAction: GuardrailAction.BLOCK,
} as const;

// ───────────────────────────── validation helpers ─────────────────────────────

const fail = (path: string, expected: string): never => {
  throw new GuardrailDefinitionError(path, expected);
};

function str(v: unknown, path: string, min: number, max: number, what = 'a string'): string {
  if (typeof v !== 'string') return fail(path, `expected ${what} of ${min}–${max} characters, got ${describe(v)}`);
  if (v.length < min || v.length > max) {
    return fail(path, `expected ${what} of ${min}–${max} characters, got ${v.length} characters`);
  }
  return v;
}
function oneOf<T extends string>(v: unknown, allowed: readonly T[], path: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    return fail(path, `expected one of ${allowed.join(' | ')}, got ${describe(v)}`);
  }
  return v as T;
}
function bool(v: unknown, def: boolean, path: string): boolean {
  if (v === undefined) return def;
  if (typeof v !== 'boolean') return fail(path, `expected true or false, got ${describe(v)}`);
  return v;
}
function list<T>(v: T[] | undefined | null, path: string): T[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return fail(path, `expected a list, got ${describe(v)}`);
  return v;
}
function obj(v: unknown, path: string): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return fail(path, `expected an object, got ${describe(v)}`);
  return v as Record<string, unknown>;
}
function noUnknownKeys(v: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const k of Object.keys(v)) {
    if (!allowed.includes(k) && v[k] !== undefined) {
      fail(path ? `${path}.${k}` : k, `unknown key "${k}" (allowed: ${allowed.join(', ')})`);
    }
  }
}
function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

const CONTENT_TYPES = Object.values(ContentFilterType);
const STRENGTHS = Object.values(FilterStrength);
const ACTIONS = Object.values(GuardrailAction);
const PII_ACTIONS = Object.values(PiiAction);
const MODALITIES = Object.values(Modality);
const TIERS = Object.values(TierName);
const GROUNDING_TYPES = Object.values(GroundingFilterType);
const DIRECTIONAL_KEYS = ['inputAction', 'outputAction', 'inputEnabled', 'outputEnabled'] as const;

function directional<A extends string>(p: Record<string, unknown>, allowed: readonly A[], def: A, path: string): Directional<A> {
  return {
    inputAction: p.inputAction === undefined ? def : oneOf(p.inputAction, allowed, `${path}.inputAction`),
    outputAction: p.outputAction === undefined ? def : oneOf(p.outputAction, allowed, `${path}.outputAction`),
    inputEnabled: bool(p.inputEnabled, DEFAULTS.enabled, `${path}.inputEnabled`),
    outputEnabled: bool(p.outputEnabled, DEFAULTS.enabled, `${path}.outputEnabled`),
  };
}

function modalities(v: unknown, path: string): Modality[] {
  if (v === undefined) return [...DEFAULTS.modalities];
  if (!Array.isArray(v) || v.length < 1 || v.length > 2) return fail(path, `expected 1–2 of ${MODALITIES.join(' | ')}`);
  const out = v.map((m, i) => oneOf(m, MODALITIES, `${path}[${i}]`));
  if (new Set(out).size !== out.length) fail(path, 'expected each modality at most once');
  return MODALITIES.filter((m) => out.includes(m)); // canonical order
}

function normContentFilter(raw: ContentFilterProps, path: string): ContentFilterSpec {
  const p = obj(raw, path);
  noUnknownKeys(p, ['type', 'inputStrength', 'outputStrength', 'inputModalities', 'outputModalities', ...DIRECTIONAL_KEYS], path);
  const type = oneOf(p.type, CONTENT_TYPES, `${path}.type`);
  const inputStrength = oneOf(p.inputStrength, STRENGTHS, `${path}.inputStrength`);
  const outputStrength = oneOf(p.outputStrength, STRENGTHS, `${path}.outputStrength`);
  // https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-prompt-attack.html
  if (type === 'PROMPT_ATTACK' && outputStrength !== 'NONE') {
    fail(
      `${path}.outputStrength`,
      `expected NONE for PROMPT_ATTACK (prompt-attack filtering applies to input only), got ${outputStrength}`,
    );
  }
  return {
    type,
    inputStrength,
    outputStrength,
    inputModalities: modalities(p.inputModalities, `${path}.inputModalities`),
    outputModalities: modalities(p.outputModalities, `${path}.outputModalities`),
    ...directional(p, ACTIONS, DEFAULTS.action, path),
  };
}

function normTopic(raw: TopicProps, path: string): TopicSpec {
  const p = obj(raw, path);
  noUnknownKeys(p, ['name', 'definition', 'examples', 'type', ...DIRECTIONAL_KEYS], path);
  if (p.type !== undefined && p.type !== 'DENY') fail(`${path}.type`, `expected DENY (the only topic type), got ${describe(p.type)}`);
  const name = str(p.name, `${path}.name`, 1, LIMITS.topicNameMax, 'a topic name');
  if (!TOPIC_NAME_PATTERN.test(name))
    fail(`${path}.name`, `expected a topic name of letters, digits, spaces and -_!?. only, got ${describe(name)}`);
  // The 200/1000 limit depends on the topic tier, checked in toSpec() once the tier is known.
  const definition = str(p.definition, `${path}.definition`, 1, LIMITS.topicDefinitionMaxStandard, 'a topic definition');
  const examples = list(p.examples as string[] | undefined, `${path}.examples`);
  if (examples.length > LIMITS.topicExamplesMax)
    fail(`${path}.examples`, `expected at most ${LIMITS.topicExamplesMax} examples, got ${examples.length}`);
  examples.forEach((e, i) => {
    str(e, `${path}.examples[${i}]`, 1, LIMITS.topicExampleMax, 'an example prompt');
  });
  return { name, definition, examples: [...examples], type: 'DENY', ...directional(p, ACTIONS, DEFAULTS.action, path) };
}

function normPii(raw: PiiEntityProps, path: string): PiiEntitySpec {
  const p = obj(raw, path);
  noUnknownKeys(p, ['type', 'action', ...DIRECTIONAL_KEYS], path);
  const type = oneOf(p.type, PII_ENTITY_TYPES, `${path}.type`);
  const action = oneOf(p.action, PII_ACTIONS, `${path}.action`);
  return { type, action, ...directional(p, PII_ACTIONS, action, path) };
}

function normRegex(raw: RegexProps, path: string): RegexSpec {
  const p = obj(raw, path);
  noUnknownKeys(p, ['name', 'pattern', 'description', 'action', ...DIRECTIONAL_KEYS], path);
  const name = str(p.name, `${path}.name`, 1, LIMITS.regexNameMax, 'a regex name');
  const pattern = str(p.pattern, `${path}.pattern`, 1, LIMITS.regexPatternMax, 'a regular expression');
  try {
    new RegExp(pattern);
  } catch (e) {
    fail(`${path}.pattern`, `expected a regular expression that compiles: ${(e as Error).message}`);
  }
  const description =
    p.description === undefined || p.description === null
      ? null
      : str(p.description, `${path}.description`, 1, LIMITS.regexDescriptionMax, 'a description');
  const action = oneOf(p.action, PII_ACTIONS, `${path}.action`);
  return { name, pattern, description, action, ...directional(p, PII_ACTIONS, action, path) };
}

function normWord(raw: string | WordProps, path: string): WordSpec {
  if (typeof raw !== 'string' && (!raw || typeof raw !== 'object'))
    fail(path, `expected a word or phrase (a string) or { text, … }, got ${describe(raw)}`);
  const p = typeof raw === 'string' ? { text: raw } : obj(raw, path);
  noUnknownKeys(p, ['text', ...DIRECTIONAL_KEYS], path);
  const text = str(p.text, typeof raw === 'string' ? path : `${path}.text`, 1, LIMITS.wordMax, 'a word or phrase');
  if (text.trim() !== text || text.length === 0) fail(path, `expected a word without leading or trailing spaces, got ${describe(text)}`);
  return { text, ...directional(p, ACTIONS, DEFAULTS.action, path) };
}

function normManaged(raw: ManagedWordListProps, path: string): ManagedWordListSpec {
  const p = obj(raw ?? {}, path);
  noUnknownKeys(p, ['type', ...DIRECTIONAL_KEYS], path);
  const type = p.type === undefined ? DEFAULTS.managedWordList : oneOf(p.type, Object.values(ManagedWordListType), `${path}.type`);
  return { type, ...directional(p, ACTIONS, DEFAULTS.action, path) };
}

function normGrounding(raw: GroundingFilterProps, path: string): GroundingFilterSpec {
  const p = obj(raw, path);
  noUnknownKeys(p, ['type', 'threshold', 'action', 'enabled'], path);
  const type = oneOf(p.type, GROUNDING_TYPES, `${path}.type`);
  const t = p.threshold;
  if (typeof t !== 'number' || !Number.isFinite(t) || t < 0 || t > LIMITS.groundingThresholdMax) {
    fail(`${path}.threshold`, `expected a number from 0 to ${LIMITS.groundingThresholdMax}, got ${describe(t)}`);
  }
  return {
    type,
    threshold: t as number,
    action: p.action === undefined ? DEFAULTS.groundingAction : oneOf(p.action, ACTIONS, `${path}.action`),
    enabled: bool(p.enabled, DEFAULTS.enabled, `${path}.enabled`),
  };
}

const byOrder =
  <T extends { type: string }>(order: readonly string[]) =>
  (a: T, b: T) =>
    order.indexOf(a.type) - order.indexOf(b.type);

// ───────────────────────────── topics ─────────────────────────────

/** Denied topics. `Topic.custom({...})` or one of the predefined topics (copy and adjust freely). */
export class Topic {
  private constructor(readonly props: TopicProps) {}
  static custom(props: TopicProps): Topic {
    return new Topic(props);
  }
  static financialAdvice(overrides: Partial<TopicProps> = {}): Topic {
    return new Topic({
      name: 'Financial Advice',
      definition:
        'Personalized recommendations about investments, securities, loans, taxes or retirement planning that could be taken as professional financial advice.',
      examples: ['Which stocks should I buy this week?', 'Should I move my pension into crypto?'],
      ...overrides,
    });
  }
  static medicalAdvice(overrides: Partial<TopicProps> = {}): Topic {
    return new Topic({
      name: 'Medical Advice',
      definition: 'Diagnosing conditions, prescribing or dosing medication, or recommending treatment for a specific person.',
      examples: ['What dose of ibuprofen should I give my child?', 'Do these symptoms mean I have cancer?'],
      ...overrides,
    });
  }
  static legalAdvice(overrides: Partial<TopicProps> = {}): Topic {
    return new Topic({
      name: 'Legal Advice',
      definition: "Advice on how the law applies to a specific person's situation, such as lawsuits, contracts or criminal charges.",
      examples: ['Can I break my lease without paying a penalty?', 'How do I avoid being sued by my employer?'],
      ...overrides,
    });
  }
  static politicalAdvice(overrides: Partial<TopicProps> = {}): Topic {
    return new Topic({
      name: 'Political Advice',
      definition: 'Opinions or recommendations about political candidates, parties, elections or how to vote.',
      examples: ['Who should I vote for?', 'Which party has the better policies?'],
      ...overrides,
    });
  }
}

// ───────────────────────────── the definition ─────────────────────────────

const TOP_KEYS = [
  'name',
  'description',
  'blockedInputMessaging',
  'blockedOutputsMessaging',
  'contentTier',
  'contentFilters',
  'topicTier',
  'topics',
  'piiEntities',
  'regexes',
  'words',
  'managedWordLists',
  'contextualGrounding',
  'kmsKeyArn',
  'crossRegion',
  'automatedReasoning',
] as const;

/**
 * One Bedrock guardrail as code. Every `add*` validates immediately and throws
 * GuardrailDefinitionError with the path of the offending field. `freeze()` (called by the
 * environment loader when the definition becomes a release) makes further changes an error.
 */
export class GuardrailDefinition {
  readonly name: string;
  private readonly description: string | null;
  private readonly blockedInputMessaging: string;
  private readonly blockedOutputsMessaging: string;
  private readonly contentTier: TierName;
  private readonly topicTier: TierName;
  private readonly kmsKeyArn: string | null;
  private readonly crossRegion: { guardrailProfileArn: string } | null;
  private readonly automatedReasoning: GuardrailSpec['automatedReasoning'];
  private readonly contentFilters: ContentFilterSpec[] = [];
  private readonly topics: TopicSpec[] = [];
  private readonly piiEntities: PiiEntitySpec[] = [];
  private readonly regexes: RegexSpec[] = [];
  private readonly words: WordSpec[] = [];
  private readonly managedWordLists: ManagedWordListSpec[] = [];
  private readonly contextualGrounding: GroundingFilterSpec[] = [];
  private frozen = false;

  constructor(props: GuardrailProps) {
    const p = obj(props, '');
    noUnknownKeys(p, TOP_KEYS, '');
    this.name = str(p.name, 'name', 1, LIMITS.nameMax, 'a guardrail name');
    if (!GUARDRAIL_NAME_PATTERN.test(this.name)) {
      fail('name', `expected a guardrail name matching ^[0-9a-zA-Z-_]{1,50}$ (letters, digits, - and _), got ${describe(this.name)}`);
    }
    this.description =
      p.description === undefined || p.description === null
        ? null
        : str(p.description, 'description', 1, LIMITS.descriptionMax, 'a description');
    this.blockedInputMessaging = str(p.blockedInputMessaging, 'blockedInputMessaging', 1, LIMITS.messagingMax, 'a message');
    this.blockedOutputsMessaging = str(p.blockedOutputsMessaging, 'blockedOutputsMessaging', 1, LIMITS.messagingMax, 'a message');
    this.contentTier = p.contentTier === undefined ? DEFAULTS.tier : oneOf(p.contentTier, TIERS, 'contentTier');
    this.topicTier = p.topicTier === undefined ? DEFAULTS.tier : oneOf(p.topicTier, TIERS, 'topicTier');
    if (p.kmsKeyArn === undefined || p.kmsKeyArn === null) this.kmsKeyArn = null;
    else {
      if (typeof p.kmsKeyArn !== 'string' || !KMS_KEY_ARN_PATTERN.test(p.kmsKeyArn)) {
        fail('kmsKeyArn', `expected a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), got ${describe(p.kmsKeyArn)}`);
      }
      this.kmsKeyArn = p.kmsKeyArn as string;
    }
    if (p.crossRegion === undefined || p.crossRegion === null) this.crossRegion = null;
    else {
      const c = obj(p.crossRegion, 'crossRegion');
      noUnknownKeys(c, ['guardrailProfileArn'], 'crossRegion');
      if (typeof c.guardrailProfileArn !== 'string' || !GUARDRAIL_PROFILE_ARN_PATTERN.test(c.guardrailProfileArn)) {
        fail(
          'crossRegion.guardrailProfileArn',
          `expected a guardrail profile ARN (arn:aws:bedrock:<region>:<account>:guardrail-profile/<id>), got ${describe(c.guardrailProfileArn)}`,
        );
      }
      this.crossRegion = { guardrailProfileArn: c.guardrailProfileArn as string };
    }
    if (p.automatedReasoning === undefined || p.automatedReasoning === null) this.automatedReasoning = null;
    else {
      const a = obj(p.automatedReasoning, 'automatedReasoning');
      noUnknownKeys(a, ['policies', 'confidenceThreshold'], 'automatedReasoning');
      const policies = list(a.policies as string[], 'automatedReasoning.policies');
      if (policies.length < 1 || policies.length > LIMITS.automatedReasoningPoliciesMax) {
        fail(
          'automatedReasoning.policies',
          `expected 1–${LIMITS.automatedReasoningPoliciesMax} automated-reasoning policy ARNs, got ${policies.length}`,
        );
      }
      policies.forEach((arn, i) => {
        if (typeof arn !== 'string' || !AUTOMATED_REASONING_POLICY_ARN_PATTERN.test(arn)) {
          fail(`automatedReasoning.policies[${i}]`, `expected an automated-reasoning policy ARN, got ${describe(arn)}`);
        }
      });
      const ct = a.confidenceThreshold;
      if (ct !== undefined && ct !== null && (typeof ct !== 'number' || !(ct >= 0 && ct <= 1))) {
        fail('automatedReasoning.confidenceThreshold', `expected a number from 0 to 1, got ${describe(ct)}`);
      }
      this.automatedReasoning = { policies: [...policies], confidenceThreshold: (ct as number | undefined) ?? null };
    }
    list(p.contentFilters as ContentFilterProps[], 'contentFilters').forEach((f) => {
      this.addContentFilter(f);
    });
    list(p.topics as TopicProps[], 'topics').forEach((t) => {
      this.addDeniedTopicFilter(t);
    });
    list(p.piiEntities as PiiEntityProps[], 'piiEntities').forEach((e) => {
      this.addPIIFilter(e);
    });
    list(p.regexes as RegexProps[], 'regexes').forEach((r) => {
      this.addRegexFilter(r);
    });
    list(p.words as (string | WordProps)[], 'words').forEach((w) => {
      this.addWordFilter(w);
    });
    list(p.managedWordLists as ManagedWordListProps[], 'managedWordLists').forEach((m) => {
      this.addManagedWordListFilter(m);
    });
    list(p.contextualGrounding as GroundingFilterProps[], 'contextualGrounding').forEach((g) => {
      this.addContextualGroundingFilter(g);
    });
  }

  /** Validates a plain object (e.g. parsed JSON/YAML, or a GuardrailSpec) as a definition. */
  static fromPlain(value: unknown, file?: string): GuardrailDefinition {
    try {
      return new GuardrailDefinition(value as GuardrailProps);
    } catch (e) {
      if (e instanceof GuardrailDefinitionError && file) throw new GuardrailDefinitionError(e.path ?? '', e.expected, file);
      throw e;
    }
  }

  private mutable(): void {
    if (this.frozen)
      fail('', `guardrail definition "${this.name}" is frozen (it is a release); create a new release instead of changing it`);
  }

  /** Makes the definition immutable (releases are). Returns `this`. */
  freeze(): this {
    this.frozen = true;
    return this;
  }
  get isFrozen(): boolean {
    return this.frozen;
  }

  addContentFilter(filter: ContentFilterProps): this {
    this.mutable();
    const path = `contentFilters[${this.contentFilters.length}]`;
    const spec = normContentFilter(filter, path);
    if (this.contentFilters.some((f) => f.type === spec.type))
      fail(`${path}.type`, `expected each content filter type once; ${spec.type} is already configured`);
    if (this.contentFilters.length >= LIMITS.contentFiltersMax) fail(path, `expected at most ${LIMITS.contentFiltersMax} content filters`);
    this.contentFilters.push(spec);
    return this;
  }

  addDeniedTopicFilter(topic: Topic | TopicProps): this {
    this.mutable();
    const path = `topics[${this.topics.length}]`;
    if (this.topics.length >= LIMITS.topicsMax) fail(path, `expected at most ${LIMITS.topicsMax} denied topics`);
    const spec = normTopic(topic instanceof Topic ? topic.props : topic, path);
    if (this.topics.some((t) => t.name.toLowerCase() === spec.name.toLowerCase()))
      fail(`${path}.name`, `expected a unique topic name; "${spec.name}" is already defined`);
    this.topics.push(spec);
    return this;
  }

  addPIIFilter(entity: PiiEntityProps): this {
    this.mutable();
    const path = `piiEntities[${this.piiEntities.length}]`;
    const spec = normPii(entity, path);
    if (this.piiEntities.some((e) => e.type === spec.type))
      fail(`${path}.type`, `expected each PII entity type once; ${spec.type} is already configured`);
    this.piiEntities.push(spec);
    return this;
  }

  addRegexFilter(regex: RegexProps): this {
    this.mutable();
    const path = `regexes[${this.regexes.length}]`;
    if (this.regexes.length >= LIMITS.regexesMax) fail(path, `expected at most ${LIMITS.regexesMax} regex filters`);
    const spec = normRegex(regex, path);
    if (this.regexes.some((r) => r.name === spec.name))
      fail(`${path}.name`, `expected a unique regex name; "${spec.name}" is already defined`);
    this.regexes.push(spec);
    return this;
  }

  /** Adds one word/phrase (a string uses the defaults: block on input and output). */
  addWordFilter(word: string | WordProps): this {
    this.mutable();
    const path = `words[${this.words.length}]`;
    if (this.words.length >= LIMITS.wordsMax) fail(path, `expected at most ${LIMITS.wordsMax} words`);
    const spec = normWord(word, path);
    if (this.words.some((w) => w.text.toLowerCase() === spec.text.toLowerCase()))
      fail(path, `expected unique words; "${spec.text}" is already listed`);
    this.words.push(spec);
    return this;
  }

  addManagedWordListFilter(list: ManagedWordListProps = {}): this {
    this.mutable();
    const path = `managedWordLists[${this.managedWordLists.length}]`;
    const spec = normManaged(list, path);
    if (this.managedWordLists.some((m) => m.type === spec.type))
      fail(`${path}.type`, `expected each managed word list once; ${spec.type} is already configured`);
    this.managedWordLists.push(spec);
    return this;
  }

  addContextualGroundingFilter(filter: GroundingFilterProps): this {
    this.mutable();
    const path = `contextualGrounding[${this.contextualGrounding.length}]`;
    const spec = normGrounding(filter, path);
    if (this.contextualGrounding.some((g) => g.type === spec.type))
      fail(`${path}.type`, `expected each grounding filter type once; ${spec.type} is already configured`);
    this.contextualGrounding.push(spec);
    return this;
  }

  /** True when Automated Reasoning is configured: such a guardrail cannot be enforced org-wide. */
  get hasAutomatedReasoning(): boolean {
    return this.automatedReasoning !== null;
  }

  /**
   * The canonical, fully-defaulted spec. Cross-field rules that need the whole definition
   * are checked here (at least one policy, tier limits, STANDARD needs cross-Region).
   */
  toSpec(): GuardrailSpec {
    const spec: GuardrailSpec = {
      name: this.name,
      description: this.description,
      blockedInputMessaging: this.blockedInputMessaging,
      blockedOutputsMessaging: this.blockedOutputsMessaging,
      contentTier: this.contentTier,
      contentFilters: clone(this.contentFilters).sort(byOrder(CONTENT_TYPES)),
      topicTier: this.topicTier,
      topics: clone(this.topics),
      piiEntities: clone(this.piiEntities).sort(byOrder(PII_ENTITY_TYPES)),
      regexes: clone(this.regexes),
      words: clone(this.words),
      managedWordLists: clone(this.managedWordLists),
      contextualGrounding: clone(this.contextualGrounding).sort(byOrder(GROUNDING_TYPES)),
      kmsKeyArn: this.kmsKeyArn,
      crossRegion: this.crossRegion ? { ...this.crossRegion } : null,
      automatedReasoning: this.automatedReasoning ? clone(this.automatedReasoning) : null,
    };
    checkSpec(spec);
    return spec;
  }

  toJSON(): GuardrailSpec {
    return this.toSpec();
  }
}

function clone<T>(v: T): T {
  return structuredClone(v);
}

function checkSpec(spec: GuardrailSpec): void {
  const policies =
    spec.contentFilters.length +
    spec.topics.length +
    spec.piiEntities.length +
    spec.regexes.length +
    spec.words.length +
    spec.managedWordLists.length +
    spec.contextualGrounding.length +
    (spec.automatedReasoning ? 1 : 0);
  if (policies === 0) {
    fail(
      '',
      'expected at least one policy (content filter, denied topic, PII entity, regex, word, managed word list, contextual grounding or automated reasoning)',
    );
  }
  if (spec.topicTier === 'CLASSIC') {
    spec.topics.forEach((t, i) => {
      if (t.definition.length > LIMITS.topicDefinitionMaxClassic) {
        fail(
          `topics[${i}].definition`,
          `expected at most ${LIMITS.topicDefinitionMaxClassic} characters with the CLASSIC topic tier (up to ${LIMITS.topicDefinitionMaxStandard} with topicTier STANDARD), got ${t.definition.length}`,
        );
      }
    });
  }
  // https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-tiers.html
  for (const key of ['contentTier', 'topicTier'] as const) {
    if (spec[key] === 'STANDARD' && !spec.crossRegion) {
      fail(key, 'expected crossRegion.guardrailProfileArn to be set: the STANDARD tier requires cross-Region inference');
    }
  }
}

// ───────────────────────────── hash ─────────────────────────────

/** sha256 hex of the canonical JSON of a spec (or definition): what a release pin records. */
export function contentHash(spec: GuardrailSpec | GuardrailDefinition): string {
  const s = spec instanceof GuardrailDefinition ? spec.toSpec() : spec;
  return createHash('sha256').update(canonicalJson(s)).digest('hex');
}

/** True if the spec/definition carries Automated Reasoning (refused for enforcement). */
export function hasAutomatedReasoning(d: GuardrailSpec | GuardrailDefinition): boolean {
  return d instanceof GuardrailDefinition ? d.hasAutomatedReasoning : d.automatedReasoning !== null;
}

/** Duck-typed check that survives duplicate module instances (tsx vs jest registries). */
export function isGuardrailDefinition(v: unknown): v is GuardrailDefinition {
  return (
    !!v &&
    typeof v === 'object' &&
    typeof (v as GuardrailDefinition).toSpec === 'function' &&
    typeof (v as GuardrailDefinition).addContentFilter === 'function'
  );
}
