/**
 * The ONE mapping between the guardrail spec, the Bedrock API shapes and the Terraform
 * arguments: the CreateGuardrail / UpdateGuardrail request a spec becomes, the same shape read
 * back from GetGuardrail, the content comparison of two such shapes (what the engines and the
 * published-content gate use), and the request in `aws_bedrock_guardrail` block form and back
 * (what the cdktf construct writes and the sandbox engine reads).
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_CreateGuardrail.html
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_GetGuardrail.html
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/bedrock_guardrail
 */
import type { CreateGuardrailCommandInput, GetGuardrailCommandOutput } from '@aws-sdk/client-bedrock';
import { canonicalJson } from '../core/canonical-json.js';
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
import type { Directional, GuardrailSpec } from './spec.js';

type Dir<A> = { inputAction?: A; outputAction?: A; inputEnabled?: boolean; outputEnabled?: boolean };

/**
 * CreateGuardrail / UpdateGuardrail request body (API input names), structurally compatible
 * with `CreateGuardrailCommandInput` of @aws-sdk/client-bedrock minus tags/clientRequestToken.
 */
export interface BedrockGuardrailInput {
  name: string;
  description?: string;
  blockedInputMessaging: string;
  blockedOutputsMessaging: string;
  contentPolicyConfig?: {
    filtersConfig: ({
      type: ContentFilterType;
      inputStrength: FilterStrength;
      outputStrength: FilterStrength;
      inputModalities?: Modality[];
      outputModalities?: Modality[];
    } & Dir<GuardrailAction>)[];
    tierConfig?: { tierName: TierName };
  };
  topicPolicyConfig?: {
    topicsConfig: ({ name: string; definition: string; examples?: string[]; type: 'DENY' } & Dir<GuardrailAction>)[];
    tierConfig?: { tierName: TierName };
  };
  wordPolicyConfig?: {
    wordsConfig?: ({ text: string } & Dir<GuardrailAction>)[];
    managedWordListsConfig?: ({ type: ManagedWordListType } & Dir<GuardrailAction>)[];
  };
  sensitiveInformationPolicyConfig?: {
    piiEntitiesConfig?: ({ type: PiiEntityType; action: PiiAction } & Dir<PiiAction>)[];
    regexesConfig?: ({ name: string; description?: string; pattern: string; action: PiiAction } & Dir<PiiAction>)[];
  };
  contextualGroundingPolicyConfig?: {
    filtersConfig: { type: GroundingFilterType; threshold: number; action?: GuardrailAction; enabled?: boolean }[];
  };
  automatedReasoningPolicyConfig?: { policies: string[]; confidenceThreshold?: number };
  crossRegionConfig?: { guardrailProfileIdentifier: string };
  kmsKeyId?: string;
}

/**
 * The request body for CreateGuardrail/UpdateGuardrail. A policy with no entries is omitted
 * (UpdateGuardrail treats an omitted policy as removed). Every default is written explicitly.
 */
export function toBedrockApiInput(spec: GuardrailSpec): BedrockGuardrailInput {
  const dir = <A>(d: Directional<A & string>): Dir<A> => ({
    inputAction: d.inputAction,
    outputAction: d.outputAction,
    inputEnabled: d.inputEnabled,
    outputEnabled: d.outputEnabled,
  });
  const out: BedrockGuardrailInput = {
    name: spec.name,
    blockedInputMessaging: spec.blockedInputMessaging,
    blockedOutputsMessaging: spec.blockedOutputsMessaging,
  };
  if (spec.description !== null) out.description = spec.description;
  if (spec.contentFilters.length) {
    out.contentPolicyConfig = {
      filtersConfig: spec.contentFilters.map((f) => ({
        type: f.type,
        inputStrength: f.inputStrength,
        outputStrength: f.outputStrength,
        inputModalities: [...f.inputModalities],
        outputModalities: [...f.outputModalities],
        ...dir(f),
      })),
      tierConfig: { tierName: spec.contentTier },
    };
  }
  if (spec.topics.length) {
    out.topicPolicyConfig = {
      topicsConfig: spec.topics.map((t) => ({
        name: t.name,
        definition: t.definition,
        examples: [...t.examples],
        type: 'DENY' as const,
        ...dir(t),
      })),
      tierConfig: { tierName: spec.topicTier },
    };
  }
  if (spec.words.length || spec.managedWordLists.length) {
    out.wordPolicyConfig = {};
    if (spec.words.length) out.wordPolicyConfig.wordsConfig = spec.words.map((w) => ({ text: w.text, ...dir(w) }));
    if (spec.managedWordLists.length)
      out.wordPolicyConfig.managedWordListsConfig = spec.managedWordLists.map((m) => ({ type: m.type, ...dir(m) }));
  }
  if (spec.piiEntities.length || spec.regexes.length) {
    out.sensitiveInformationPolicyConfig = {};
    if (spec.piiEntities.length) {
      out.sensitiveInformationPolicyConfig.piiEntitiesConfig = spec.piiEntities.map((e) => ({ type: e.type, action: e.action, ...dir(e) }));
    }
    if (spec.regexes.length) {
      out.sensitiveInformationPolicyConfig.regexesConfig = spec.regexes.map((r) => ({
        name: r.name,
        ...(r.description !== null ? { description: r.description } : {}),
        pattern: r.pattern,
        action: r.action,
        ...dir(r),
      }));
    }
  }
  if (spec.contextualGrounding.length) {
    out.contextualGroundingPolicyConfig = {
      filtersConfig: spec.contextualGrounding.map((g) => ({ type: g.type, threshold: g.threshold, action: g.action, enabled: g.enabled })),
    };
  }
  if (spec.automatedReasoning) {
    out.automatedReasoningPolicyConfig = {
      policies: [...spec.automatedReasoning.policies],
      ...(spec.automatedReasoning.confidenceThreshold !== null ? { confidenceThreshold: spec.automatedReasoning.confidenceThreshold } : {}),
    };
  }
  if (spec.crossRegion) out.crossRegionConfig = { guardrailProfileIdentifier: spec.crossRegion.guardrailProfileArn };
  if (spec.kmsKeyArn !== null) out.kmsKeyId = spec.kmsKeyArn;
  return out;
}

/** GetGuardrail output → the same shape as a Create input (for content comparison). */
export function guardrailOutputAsInput(g: GetGuardrailCommandOutput): Record<string, unknown> {
  const list = <T>(v: T[] | undefined) => (v?.length ? v : undefined);
  const out: Record<string, unknown> = {
    name: g.name,
    description: g.description,
    blockedInputMessaging: g.blockedInputMessaging,
    blockedOutputsMessaging: g.blockedOutputsMessaging,
  };
  if (g.contentPolicy?.filters?.length) {
    out.contentPolicyConfig = {
      filtersConfig: g.contentPolicy.filters,
      ...(g.contentPolicy.tier ? { tierConfig: g.contentPolicy.tier } : {}),
    };
  }
  if (g.topicPolicy?.topics?.length) {
    out.topicPolicyConfig = { topicsConfig: g.topicPolicy.topics, ...(g.topicPolicy.tier ? { tierConfig: g.topicPolicy.tier } : {}) };
  }
  if (list(g.wordPolicy?.words) || list(g.wordPolicy?.managedWordLists)) {
    out.wordPolicyConfig = { wordsConfig: list(g.wordPolicy?.words), managedWordListsConfig: list(g.wordPolicy?.managedWordLists) };
  }
  if (list(g.sensitiveInformationPolicy?.piiEntities) || list(g.sensitiveInformationPolicy?.regexes)) {
    out.sensitiveInformationPolicyConfig = {
      piiEntitiesConfig: list(g.sensitiveInformationPolicy?.piiEntities),
      regexesConfig: list(g.sensitiveInformationPolicy?.regexes),
    };
  }
  if (g.contextualGroundingPolicy?.filters?.length)
    out.contextualGroundingPolicyConfig = { filtersConfig: g.contextualGroundingPolicy.filters };
  if (g.automatedReasoningPolicy?.policies?.length) {
    out.automatedReasoningPolicyConfig = {
      policies: g.automatedReasoningPolicy.policies,
      confidenceThreshold: g.automatedReasoningPolicy.confidenceThreshold,
    };
  }
  if (g.crossRegionDetails?.guardrailProfileArn || g.crossRegionDetails?.guardrailProfileId) {
    out.crossRegionConfig = {
      guardrailProfileIdentifier: g.crossRegionDetails.guardrailProfileArn ?? g.crossRegionDetails.guardrailProfileId,
    };
  }
  return out;
}

/**
 * Content comparison of two guardrail configurations in API input shape: defaults the
 * service fills in (enabled flags, actions, modalities, empty lists) are normalised so that a
 * definition and the version read back compare equal exactly when they guard the same way.
 */
export function normaliseGuardrailConfig(cfg: Record<string, unknown>): unknown {
  const drop = new Set(['tags', 'kmsKeyId', 'kmsKeyArn', 'clientRequestToken', 'guardrailIdentifier']);
  const norm = (v: unknown, key?: string): unknown => {
    if (Array.isArray(v)) {
      const items = v.map((x) => norm(x)).filter((x) => x !== undefined);
      if (!items.length) return undefined;
      // Lists of filters/entities are sets in the API: order does not change behaviour.
      if (
        key &&
        /Config$|^filters$|^topics$|^words$|^piiEntities$|^regexes$|^managedWordLists$/.test(key) &&
        items.every((x) => x && typeof x === 'object')
      ) {
        return items.sort((a, b) => canonicalJson(a).localeCompare(canonicalJson(b)));
      }
      return items;
    }
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(o).sort()) {
        if (drop.has(k)) continue;
        const x = norm(o[k], k);
        if (x === undefined || x === null) continue;
        if ((k === 'inputEnabled' || k === 'outputEnabled' || k === 'enabled') && x === true) continue;
        if ((k === 'inputAction' || k === 'outputAction') && (x === o.action || (o.action === undefined && x === 'BLOCK'))) continue;
        if ((k === 'inputModalities' || k === 'outputModalities') && Array.isArray(x) && x.length === 1 && x[0] === 'TEXT') continue;
        if (k === 'action' && x === 'BLOCK' && 'threshold' in o) continue; // grounding default
        if (k === 'tierConfig' || k === 'tier') {
          const tn = (x as { tierName?: string }).tierName;
          if (tn === 'CLASSIC' || tn === undefined) continue;
          out.tierConfig = x;
          continue;
        }
        if (x && typeof x === 'object' && !Array.isArray(x) && Object.keys(x).length === 0) continue;
        out[k] = x;
      }
      return Object.keys(out).length ? out : undefined;
    }
    if (typeof v === 'string' && v === '') return undefined;
    return v;
  };
  return norm(cfg) ?? {};
}

export function sameGuardrailConfig(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return canonicalJson(normaliseGuardrailConfig(a)) === canonicalJson(normaliseGuardrailConfig(b));
}

// ─── Terraform arguments (aws_bedrock_guardrail) ───
//
// The provider's arguments are the API input's with three differences, handled here and
// nowhere else: an object the API takes once is a list of one block, the KMS key is
// `kms_key_arn`, and names are snake_case in Terraform JSON (cdktf config keeps camelCase).

/** API input keys whose value is one object in the API and a list of one block in Terraform. */
const SINGLE_BLOCKS = [
  'automatedReasoningPolicyConfig',
  'contentPolicyConfig',
  'contextualGroundingPolicyConfig',
  'crossRegionConfig',
  'sensitiveInformationPolicyConfig',
  'tierConfig',
  'topicPolicyConfig',
  'wordPolicyConfig',
] as const;
type SingleBlock = (typeof SINGLE_BLOCKS)[number];
const isSingleBlock = (key: string): key is SingleBlock => (SINGLE_BLOCKS as readonly string[]).includes(key);

/** `T` with every single block wrapped in a list of one. */
type Blocks<T> = T extends readonly (infer E)[]
  ? Blocks<E>[]
  : T extends object
    ? { [K in keyof T]: K extends SingleBlock ? Blocks<Exclude<T[K], undefined>>[] : Blocks<T[K]> }
    : T;

/** `aws_bedrock_guardrail` arguments in block form, with the camelCase names of cdktf config. */
export type TerraformGuardrailBlocks = Omit<Blocks<BedrockGuardrailInput>, 'kmsKeyId'> & { kmsKeyArn?: string };

/**
 * CreateGuardrail input → `aws_bedrock_guardrail` arguments as cdktf config takes them: each
 * single block becomes a list of one, `kmsKeyId` becomes `kmsKeyArn`, and an empty list (a
 * topic without examples) is left unset. The inverse of `guardrailApiInput`.
 */
export function toTerraformBlocks(input: BedrockGuardrailInput): TerraformGuardrailBlocks {
  const { kmsKeyId, ...rest } = input;
  const out = wrapBlocks(rest) as TerraformGuardrailBlocks;
  if (kmsKeyId !== undefined) out.kmsKeyArn = kmsKeyId;
  return out;
}

function wrapBlocks(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(wrapBlocks);
  if (!v || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined || (Array.isArray(x) && x.length === 0)) continue;
    out[k] = isSingleBlock(k) ? [wrapBlocks(x)] : wrapBlocks(x);
  }
  return out;
}

const camel = (s: string): string => s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
/** Nested blocks as Terraform JSON gives them: a list of objects, or one object. */
function blocks(v: unknown): Record<string, unknown>[] {
  if (Array.isArray(v)) return v.filter((x) => x && typeof x === 'object') as Record<string, unknown>[];
  return v && typeof v === 'object' ? [v as Record<string, unknown>] : [];
}
const single = (v: unknown): Record<string, unknown> | undefined => blocks(v)[0];

function unwrapBlocks(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(obj)) {
    if (v === null || v === undefined) continue;
    const k = camel(key);
    if (isSingleBlock(k)) {
      const b = single(v);
      if (b) out[k] = unwrapBlocks(b);
      continue;
    }
    if (Array.isArray(v) && v.some((x) => x && typeof x === 'object')) {
      out[k] = blocks(v).map(unwrapBlocks);
      continue;
    }
    out[k] = v;
  }
  return out;
}

/**
 * Terraform `aws_bedrock_guardrail` arguments → CreateGuardrail input: the provider's argument
 * names are the API's in snake_case, and an object the API takes once is a list of one block.
 * The inverse of `toTerraformBlocks`.
 */
export function guardrailApiInput(args: Record<string, unknown>): Omit<CreateGuardrailCommandInput, 'clientRequestToken'> {
  const { tags, kms_key_arn, region: _r, timeouts: _t, tags_all: _ta, ...rest } = args;
  const out = unwrapBlocks(rest) as Omit<CreateGuardrailCommandInput, 'clientRequestToken'>;
  if (typeof kms_key_arn === 'string') out.kmsKeyId = kms_key_arn;
  if (tags && typeof tags === 'object' && !Array.isArray(tags)) {
    const entries = Object.entries(tags as Record<string, string>);
    if (entries.length) out.tags = entries.map(([key, value]) => ({ key, value }));
  }
  return out;
}
