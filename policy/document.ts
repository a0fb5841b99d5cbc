/**
 * The BEDROCK_POLICY document model (Organizations management policy type).
 * Syntax: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_bedrock_syntax.html
 * Operators: https://docs.aws.amazon.com/organizations/latest/userguide/policy-operators.html
 *
 * Two shapes exist:
 *  - a *policy document* (what is attached): every setting wrapped in an inheritance operator;
 *  - an *effective policy* (what DescribeEffectivePolicy shows): operators stripped, plain values.
 * Generated documents use the GA schema only (`selective_content_guarding`, `model_enforcement`);
 * the preview key `input_tags` is accepted when reading, never generated.
 * Pure types and constants: no I/O.
 */
import type { GuardingMode } from '../model/types.js';

/** Every AWS example names the single configuration under a region `config_1`. */
export const CONFIG_KEY = 'config_1';

export const ASSIGN = '@@assign';
export const APPEND = '@@append';
export const REMOVE = '@@remove';
export const CHILD_CONTROL = '@@operators_allowed_for_child_policies';
export const VALUE_OPERATORS = [ASSIGN, APPEND, REMOVE] as const;
export type ValueOperator = (typeof VALUE_OPERATORS)[number];
export type ChildControlEntry = ValueOperator | '@@all' | '@@none';

export interface ChildControlled {
  '@@operators_allowed_for_child_policies'?: ChildControlEntry[];
}

/** A scalar setting (`identifier`, `system`, `messages`, legacy `input_tags`): only @@assign makes sense. */
export interface ScalarSetting<T extends string = string> extends ChildControlled {
  '@@assign'?: T;
}

/** A list setting (`included_models`, `excluded_models`). */
export interface ListSetting extends ChildControlled {
  '@@assign'?: string[];
  '@@append'?: string[];
  '@@remove'?: string[];
}

export type LegacyInputTags = 'honor' | 'ignore';

export interface BedrockConfigDocument extends ChildControlled {
  identifier?: ScalarSetting<string>;
  selective_content_guarding?: ChildControlled & {
    system?: ScalarSetting<GuardingMode>;
    messages?: ScalarSetting<GuardingMode>;
  };
  model_enforcement?: ChildControlled & {
    included_models?: ListSetting;
    excluded_models?: ListSetting;
  };
  /** Preview schema (Nov 2025 – Mar 2026). Read-only: never generated. */
  input_tags?: ScalarSetting<LegacyInputTags>;
}

/** Region code → config name (always CONFIG_KEY when generated) → configuration. */
export type BedrockRegionDocument = Record<string, BedrockConfigDocument>;

export interface BedrockPolicyDocument {
  bedrock: ChildControlled & {
    guardrail_inference: Record<string, BedrockRegionDocument>;
  };
}

/** One configuration as DescribeEffectivePolicy shows it (operators stripped). */
export interface EffectiveConfig {
  identifier?: string;
  selective_content_guarding?: { system?: GuardingMode; messages?: GuardingMode };
  model_enforcement?: { included_models?: string[]; excluded_models?: string[] };
  input_tags?: LegacyInputTags;
}

export interface EffectiveBedrockPolicy {
  bedrock?: { guardrail_inference?: Record<string, Record<string, EffectiveConfig>> };
}

/** The enforcement an account gets in one region, with documented defaults filled in. */
export interface RegionEnforcement {
  region: string;
  config: string;
  identifier: string | undefined;
  /** Identifier split into the unversioned ARN and the numeric version, when it parses. */
  guardrailArn: string | undefined;
  version: string | undefined;
  /** Absent ⇒ comprehensive (documented default). */
  system: GuardingMode;
  messages: GuardingMode;
  /** Absent model_enforcement ⇒ all models. */
  includedModels: string[];
  excludedModels: string[];
  legacyInputTags?: LegacyInputTags;
}

/** Splits `arn:…:guardrail/<id>:<version>` into ARN and version; undefined parts when it does not parse. */
export function splitIdentifier(identifier: string | undefined): { guardrailArn?: string; version?: string } {
  if (!identifier) return {};
  const m = /^(arn:[^:]+:bedrock:[^:]*:[^:]*:guardrail\/[^:]+):([^:]+)$/.exec(identifier);
  return m ? { guardrailArn: m[1], version: m[2] } : { guardrailArn: identifier };
}

/**
 * Reads an effective BEDROCK_POLICY (plain values) into per-region enforcement with defaults
 * (comprehensive guarding, all models) applied, as the Bedrock guide documents them.
 * The legacy `input_tags` is mapped onto guarding modes only when the GA key is absent:
 * `ignore` → comprehensive, `honor` → selective (docs/aws-facts.md#legacy-input-tags, partly inferred).
 */
export function enforcementByRegion(effective: unknown): RegionEnforcement[] {
  const gi = (effective as EffectiveBedrockPolicy | null)?.bedrock?.guardrail_inference;
  if (!gi || typeof gi !== 'object') return [];
  const out: RegionEnforcement[] = [];
  for (const [region, configs] of Object.entries(gi)) {
    if (!configs || typeof configs !== 'object') continue;
    for (const [config, c] of Object.entries(configs)) {
      if (!c || typeof c !== 'object') continue;
      // Values of an unexpected type (a hand-written snapshot, a foreign policy) are carried as
      // their JSON text, so every reader gets strings and lists of strings and never crashes.
      const legacy = c.input_tags === undefined ? undefined : (textOf(c.input_tags) as LegacyInputTags);
      const legacyMode: GuardingMode | undefined = legacy === 'honor' ? 'selective' : legacy === 'ignore' ? 'comprehensive' : undefined;
      const me = isRecord(c.model_enforcement) ? c.model_enforcement : undefined;
      const scg = isRecord(c.selective_content_guarding) ? c.selective_content_guarding : undefined;
      const identifier = c.identifier === undefined ? undefined : textOf(c.identifier);
      const { guardrailArn, version } = splitIdentifier(identifier);
      const included = me ? listOf(me.included_models) : undefined;
      out.push({
        region,
        config,
        identifier,
        guardrailArn,
        version,
        system: (scg?.system === undefined ? undefined : (textOf(scg.system) as GuardingMode)) ?? legacyMode ?? 'comprehensive',
        messages: (scg?.messages === undefined ? undefined : (textOf(scg.messages) as GuardingMode)) ?? legacyMode ?? 'comprehensive',
        includedModels: included && included.length > 0 ? included : ['ALL'],
        excludedModels: me ? (listOf(me.excluded_models) ?? []) : [],
        ...(legacy ? { legacyInputTags: legacy } : {}),
      });
    }
  }
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A string as it is; anything else as its JSON text. */
const textOf = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v)));
/** A list as its items' text; a single non-list value as a one-item list of its JSON text. */
const listOf = (v: unknown): string[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v.map(textOf) : [textOf(v)]);
