/**
 * Validation of what authors write: the helpers, one normaliser per policy (props → the spec
 * part, defaults of `defaults.ts` applied), the top-level settings, and the cross-field rules
 * that need the whole spec. Every failure is a GuardrailDefinitionError carrying the path
 * inside the definition and what was expected.
 *
 * Limits: https://docs.aws.amazon.com/bedrock/latest/APIReference/API_CreateGuardrail.html
 */
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
  TierName,
  TOPIC_NAME_PATTERN,
} from './catalog.js';
import { DEFAULTS } from './defaults.js';
import { GuardrailDefinitionError } from './errors.js';
import type {
  ContentFilterProps,
  GroundingFilterProps,
  GuardrailProps,
  ManagedWordListProps,
  PiiEntityProps,
  RegexProps,
  TopicProps,
  WordProps,
} from './props.js';
import type {
  ContentFilterSpec,
  Directional,
  GroundingFilterSpec,
  GuardrailSpec,
  ManagedWordListSpec,
  PiiEntitySpec,
  RegexSpec,
  TopicSpec,
  WordSpec,
} from './spec.js';
import { PII_ENTITY_TYPES } from '../core/bedrock-guardrail-enums.js';

// ───────────────────────────── helpers ─────────────────────────────

export const fail = (path: string, expected: string): never => {
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
export function list<T>(v: T[] | undefined | null, path: string): T[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) return fail(path, `expected a list, got ${describe(v)}`);
  return v;
}
export function obj(v: unknown, path: string): Record<string, unknown> {
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

// ───────────────────────────── per-policy normalisers (props → spec part) ─────────────────────────────

export function normContentFilter(raw: ContentFilterProps, path: string): ContentFilterSpec {
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

export function normTopic(raw: TopicProps, path: string): TopicSpec {
  const p = obj(raw, path);
  noUnknownKeys(p, ['name', 'definition', 'examples', 'type', ...DIRECTIONAL_KEYS], path);
  if (p.type !== undefined && p.type !== 'DENY') fail(`${path}.type`, `expected DENY (the only topic type), got ${describe(p.type)}`);
  const name = str(p.name, `${path}.name`, 1, LIMITS.topicNameMax, 'a topic name');
  if (!TOPIC_NAME_PATTERN.test(name))
    fail(`${path}.name`, `expected a topic name of letters, digits, spaces and -_!?. only, got ${describe(name)}`);
  // The 200/1000 limit depends on the topic tier, checked in checkSpec() once the tier is known.
  const definition = str(p.definition, `${path}.definition`, 1, LIMITS.topicDefinitionMaxStandard, 'a topic definition');
  const examples = list(p.examples as string[] | undefined, `${path}.examples`);
  if (examples.length > LIMITS.topicExamplesMax)
    fail(`${path}.examples`, `expected at most ${LIMITS.topicExamplesMax} examples, got ${examples.length}`);
  examples.forEach((e, i) => {
    str(e, `${path}.examples[${i}]`, 1, LIMITS.topicExampleMax, 'an example prompt');
  });
  return { name, definition, examples: [...examples], type: 'DENY', ...directional(p, ACTIONS, DEFAULTS.action, path) };
}

export function normPiiEntity(raw: PiiEntityProps, path: string): PiiEntitySpec {
  const p = obj(raw, path);
  noUnknownKeys(p, ['type', 'action', ...DIRECTIONAL_KEYS], path);
  const type = oneOf(p.type, PII_ENTITY_TYPES, `${path}.type`);
  const action = oneOf(p.action, PII_ACTIONS, `${path}.action`);
  return { type, action, ...directional(p, PII_ACTIONS, action, path) };
}

export function normRegex(raw: RegexProps, path: string): RegexSpec {
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

export function normWord(raw: string | WordProps, path: string): WordSpec {
  if (typeof raw !== 'string' && (!raw || typeof raw !== 'object'))
    fail(path, `expected a word or phrase (a string) or { text, … }, got ${describe(raw)}`);
  const p = typeof raw === 'string' ? { text: raw } : obj(raw, path);
  noUnknownKeys(p, ['text', ...DIRECTIONAL_KEYS], path);
  const text = str(p.text, typeof raw === 'string' ? path : `${path}.text`, 1, LIMITS.wordMax, 'a word or phrase');
  if (text.trim() !== text || text.length === 0) fail(path, `expected a word without leading or trailing spaces, got ${describe(text)}`);
  return { text, ...directional(p, ACTIONS, DEFAULTS.action, path) };
}

export function normManagedWordList(raw: ManagedWordListProps, path: string): ManagedWordListSpec {
  const p = obj(raw ?? {}, path);
  noUnknownKeys(p, ['type', ...DIRECTIONAL_KEYS], path);
  const type = p.type === undefined ? DEFAULTS.managedWordList : oneOf(p.type, Object.values(ManagedWordListType), `${path}.type`);
  return { type, ...directional(p, ACTIONS, DEFAULTS.action, path) };
}

export function normGroundingFilter(raw: GroundingFilterProps, path: string): GroundingFilterSpec {
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

// ───────────────────────────── top-level settings ─────────────────────────────

/** The keys of GuardrailProps (anything else is refused). */
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

/** The spec without its policy lists: what the constructor settles once. */
export type GuardrailSettings = Omit<
  GuardrailSpec,
  'contentFilters' | 'topics' | 'piiEntities' | 'regexes' | 'words' | 'managedWordLists' | 'contextualGrounding'
>;

/** Validates the props' keys and top-level settings (the policy lists are the builder's `add*`). */
export function normSettings(props: GuardrailProps): GuardrailSettings {
  const p = obj(props, '');
  noUnknownKeys(p, TOP_KEYS, '');
  const name = str(p.name, 'name', 1, LIMITS.nameMax, 'a guardrail name');
  if (!GUARDRAIL_NAME_PATTERN.test(name)) {
    fail('name', `expected a guardrail name matching ^[0-9a-zA-Z-_]{1,50}$ (letters, digits, - and _), got ${describe(name)}`);
  }
  const description =
    p.description === undefined || p.description === null
      ? null
      : str(p.description, 'description', 1, LIMITS.descriptionMax, 'a description');
  const blockedInputMessaging = str(p.blockedInputMessaging, 'blockedInputMessaging', 1, LIMITS.messagingMax, 'a message');
  const blockedOutputsMessaging = str(p.blockedOutputsMessaging, 'blockedOutputsMessaging', 1, LIMITS.messagingMax, 'a message');
  const contentTier = p.contentTier === undefined ? DEFAULTS.tier : oneOf(p.contentTier, TIERS, 'contentTier');
  const topicTier = p.topicTier === undefined ? DEFAULTS.tier : oneOf(p.topicTier, TIERS, 'topicTier');
  return {
    name,
    description,
    blockedInputMessaging,
    blockedOutputsMessaging,
    contentTier,
    topicTier,
    kmsKeyArn: normKmsKeyArn(p.kmsKeyArn),
    crossRegion: normCrossRegion(p.crossRegion),
    automatedReasoning: normAutomatedReasoning(p.automatedReasoning),
  };
}

function normKmsKeyArn(v: unknown): GuardrailSpec['kmsKeyArn'] {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string' || !KMS_KEY_ARN_PATTERN.test(v)) {
    fail('kmsKeyArn', `expected a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), got ${describe(v)}`);
  }
  return v as string;
}

function normCrossRegion(v: unknown): GuardrailSpec['crossRegion'] {
  if (v === undefined || v === null) return null;
  const c = obj(v, 'crossRegion');
  noUnknownKeys(c, ['guardrailProfileArn'], 'crossRegion');
  if (typeof c.guardrailProfileArn !== 'string' || !GUARDRAIL_PROFILE_ARN_PATTERN.test(c.guardrailProfileArn)) {
    fail(
      'crossRegion.guardrailProfileArn',
      `expected a guardrail profile ARN (arn:aws:bedrock:<region>:<account>:guardrail-profile/<id>), got ${describe(c.guardrailProfileArn)}`,
    );
  }
  return { guardrailProfileArn: c.guardrailProfileArn as string };
}

function normAutomatedReasoning(v: unknown): GuardrailSpec['automatedReasoning'] {
  if (v === undefined || v === null) return null;
  const a = obj(v, 'automatedReasoning');
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
  return { policies: [...policies], confidenceThreshold: (ct as number | undefined) ?? null };
}

// ───────────────────────────── whole-spec rules ─────────────────────────────

/** Cross-field rules that need the whole spec: at least one policy, tier limits, STANDARD needs cross-Region. */
export function checkSpec(spec: GuardrailSpec): void {
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
