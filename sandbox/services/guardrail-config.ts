/**
 * Validation of a CreateGuardrail / UpdateGuardrail body (Bedrock API input names) and its
 * conversion to GetGuardrail's output names. Limits from
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_CreateGuardrail.html
 */
import { AwsError } from '../errors.js';
import type { GuardrailConfig } from '../state.js';
import {
  CONTENT_FILTER_TYPES as FILTER_TYPES,
  FILTER_STRENGTHS as STRENGTHS,
  GROUNDING_FILTER_TYPES,
  GUARDRAIL_ACTIONS as BLOCK_NONE,
  MODALITIES,
  PII_ACTIONS,
  PII_ENTITY_TYPES as PII_TYPES,
  TIER_NAMES as TIERS,
} from '../../core/bedrock-guardrail-enums.js';

const CONFIG_KEYS = new Set([
  'name',
  'description',
  'topicPolicyConfig',
  'contentPolicyConfig',
  'wordPolicyConfig',
  'sensitiveInformationPolicyConfig',
  'contextualGroundingPolicyConfig',
  'automatedReasoningPolicyConfig',
  'crossRegionConfig',
  'blockedInputMessaging',
  'blockedOutputsMessaging',
  'kmsKeyId',
]);

type Obj = Record<string, unknown>;

class Checker {
  constructor(private readonly errors: string[]) {}
  fail(path: string, what: string) {
    this.errors.push(`Value at '${path}' failed to satisfy constraint: ${what}`);
  }
  str(
    o: Obj,
    key: string,
    path: string,
    opts: { required?: boolean; min?: number; max?: number; pattern?: RegExp; enum?: readonly string[] } = {},
  ) {
    const v = o[key];
    const at = `${path}${key}`;
    if (v === undefined || v === null) {
      if (opts.required) this.fail(at, 'Member must not be null');
      return;
    }
    if (typeof v !== 'string') return this.fail(at, 'Member must be a string');
    if (opts.min !== undefined && v.length < opts.min) this.fail(at, `Member must have length greater than or equal to ${opts.min}`);
    if (opts.max !== undefined && v.length > opts.max) this.fail(at, `Member must have length less than or equal to ${opts.max}`);
    if (opts.pattern && !opts.pattern.test(v)) this.fail(at, `Member must satisfy regular expression pattern: ${opts.pattern.source}`);
    if (opts.enum && !opts.enum.includes(v)) this.fail(at, `Member must satisfy enum value set: [${opts.enum.join(', ')}]`);
  }
  bool(o: Obj, key: string, path: string) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') this.fail(`${path}${key}`, 'Member must be a boolean');
  }
  list(o: Obj, key: string, path: string, opts: { required?: boolean; min?: number; max?: number }): Obj[] {
    const v = o[key];
    const at = `${path}${key}`;
    if (v === undefined || v === null) {
      if (opts.required) this.fail(at, 'Member must not be null');
      return [];
    }
    if (!Array.isArray(v)) {
      this.fail(at, 'Member must be a list');
      return [];
    }
    if (opts.min !== undefined && v.length < opts.min) this.fail(at, `Member must have length greater than or equal to ${opts.min}`);
    if (opts.max !== undefined && v.length > opts.max) this.fail(at, `Member must have length less than or equal to ${opts.max}`);
    return v.map((x) => (x && typeof x === 'object' ? (x as Obj) : {}));
  }
  obj(o: Obj, key: string, path: string): Obj | undefined {
    const v = o[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) {
      this.fail(`${path}${key}`, 'Member must be a structure');
      return undefined;
    }
    return v as Obj;
  }
  actions(o: Obj, path: string, allowed: readonly string[] = BLOCK_NONE) {
    this.str(o, 'inputAction', path, { enum: allowed });
    this.str(o, 'outputAction', path, { enum: allowed });
    this.bool(o, 'inputEnabled', path);
    this.bool(o, 'outputEnabled', path);
  }
  tier(o: Obj, path: string) {
    const t = this.obj(o, 'tierConfig', path);
    if (t) this.str(t, 'tierName', `${path}tierConfig.`, { required: true, enum: TIERS });
  }
}

/** Validates the body and returns the configuration to store (tags/token stripped). */
export function validateGuardrailBody(body: Obj): GuardrailConfig {
  const errors: string[] = [];
  const c = new Checker(errors);
  c.str(body, 'name', '', { required: true, min: 1, max: 50, pattern: /^[0-9a-zA-Z-_]+$/ });
  c.str(body, 'description', '', { min: 1, max: 200 });
  c.str(body, 'blockedInputMessaging', '', { required: true, min: 1, max: 500 });
  c.str(body, 'blockedOutputsMessaging', '', { required: true, min: 1, max: 500 });
  c.str(body, 'kmsKeyId', '', { min: 1, max: 2048 });

  const topic = c.obj(body, 'topicPolicyConfig', '');
  if (topic) {
    c.list(topic, 'topicsConfig', 'topicPolicyConfig.', { required: true, min: 1, max: 30 }).forEach((t, i) => {
      const p = `topicPolicyConfig.topicsConfig.${i + 1}.member.`;
      c.str(t, 'name', p, { required: true, min: 1, max: 100, pattern: /^[0-9a-zA-Z-_ !?.]+$/ });
      c.str(t, 'definition', p, { required: true, min: 1, max: 200 });
      c.str(t, 'type', p, { required: true, enum: ['DENY'] });
      const ex = t.examples;
      if (
        ex !== undefined &&
        (!Array.isArray(ex) || ex.length > 5 || ex.some((e) => typeof e !== 'string' || e.length < 1 || e.length > 100))
      ) {
        c.fail(`${p}examples`, 'Member must be a list of at most 5 strings of length 1..100');
      }
      c.actions(t, p);
    });
    c.tier(topic, 'topicPolicyConfig.');
  }
  const content = c.obj(body, 'contentPolicyConfig', '');
  if (content) {
    const filters = c.list(content, 'filtersConfig', 'contentPolicyConfig.', { required: true, min: 1, max: 6 });
    filters.forEach((f, i) => {
      const p = `contentPolicyConfig.filtersConfig.${i + 1}.member.`;
      c.str(f, 'type', p, { required: true, enum: FILTER_TYPES });
      c.str(f, 'inputStrength', p, { required: true, enum: STRENGTHS });
      c.str(f, 'outputStrength', p, { required: true, enum: STRENGTHS });
      for (const k of ['inputModalities', 'outputModalities']) {
        const v = f[k];
        if (
          v !== undefined &&
          (!Array.isArray(v) || v.length < 1 || v.length > 2 || v.some((x) => !(MODALITIES as readonly string[]).includes(x as string)))
        )
          c.fail(`${p}${k}`, 'Member must be a list of TEXT|IMAGE');
      }
      // PROMPT_ATTACK applies to input only: its output strength must be NONE.
      // https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-prompt-attack.html
      if (f.type === 'PROMPT_ATTACK' && f.outputStrength !== undefined && f.outputStrength !== 'NONE')
        c.fail(`${p}outputStrength`, 'PROMPT_ATTACK output strength must be NONE');
      c.actions(f, p);
    });
    const types = filters.map((f) => f.type);
    if (new Set(types).size !== types.length) c.fail('contentPolicyConfig.filtersConfig', 'each filter type may appear once');
    c.tier(content, 'contentPolicyConfig.');
  }
  const word = c.obj(body, 'wordPolicyConfig', '');
  if (word) {
    c.list(word, 'wordsConfig', 'wordPolicyConfig.', { min: 1, max: 10000 }).forEach((w, i) => {
      const p = `wordPolicyConfig.wordsConfig.${i + 1}.member.`;
      c.str(w, 'text', p, { required: true, min: 1, max: 100 });
      c.actions(w, p);
    });
    c.list(word, 'managedWordListsConfig', 'wordPolicyConfig.', {}).forEach((w, i) => {
      const p = `wordPolicyConfig.managedWordListsConfig.${i + 1}.member.`;
      c.str(w, 'type', p, { required: true, enum: ['PROFANITY'] });
      c.actions(w, p);
    });
  }
  const sens = c.obj(body, 'sensitiveInformationPolicyConfig', '');
  if (sens) {
    c.list(sens, 'piiEntitiesConfig', 'sensitiveInformationPolicyConfig.', { min: 1 }).forEach((e, i) => {
      const p = `sensitiveInformationPolicyConfig.piiEntitiesConfig.${i + 1}.member.`;
      c.str(e, 'type', p, { required: true, enum: PII_TYPES });
      c.str(e, 'action', p, { required: true, enum: PII_ACTIONS });
      c.actions(e, p, PII_ACTIONS);
    });
    c.list(sens, 'regexesConfig', 'sensitiveInformationPolicyConfig.', { min: 1, max: 10 }).forEach((r, i) => {
      const p = `sensitiveInformationPolicyConfig.regexesConfig.${i + 1}.member.`;
      c.str(r, 'name', p, { required: true, min: 1, max: 100 });
      c.str(r, 'description', p, { min: 1, max: 1000 });
      c.str(r, 'pattern', p, { required: true, min: 1, max: 500 });
      c.str(r, 'action', p, { required: true, enum: PII_ACTIONS });
      c.actions(r, p, PII_ACTIONS);
      if (typeof r.pattern === 'string') {
        try {
          new RegExp(r.pattern);
        } catch {
          c.fail(`${p}pattern`, 'Member must be a valid regular expression');
        }
      }
    });
  }
  const grounding = c.obj(body, 'contextualGroundingPolicyConfig', '');
  if (grounding) {
    c.list(grounding, 'filtersConfig', 'contextualGroundingPolicyConfig.', { required: true, min: 1 }).forEach((f, i) => {
      const p = `contextualGroundingPolicyConfig.filtersConfig.${i + 1}.member.`;
      c.str(f, 'type', p, { required: true, enum: GROUNDING_FILTER_TYPES });
      c.str(f, 'action', p, { enum: BLOCK_NONE });
      c.bool(f, 'enabled', p);
      // Thresholds are 0 ≤ t < 1 (the console's 0–0.99 slider).
      if (typeof f.threshold !== 'number' || f.threshold < 0 || f.threshold >= 1)
        c.fail(`${p}threshold`, 'Member must be a number between 0 and 0.99');
    });
  }
  const ar = c.obj(body, 'automatedReasoningPolicyConfig', '');
  if (ar) {
    const pol = ar.policies;
    if (!Array.isArray(pol) || pol.length < 1 || pol.length > 2 || pol.some((x) => typeof x !== 'string'))
      c.fail('automatedReasoningPolicyConfig.policies', 'Member must be a list of 1..2 policy ARNs');
    if (
      ar.confidenceThreshold !== undefined &&
      (typeof ar.confidenceThreshold !== 'number' || ar.confidenceThreshold < 0 || ar.confidenceThreshold > 1)
    )
      c.fail('automatedReasoningPolicyConfig.confidenceThreshold', 'Member must be between 0 and 1');
  }
  const cross = c.obj(body, 'crossRegionConfig', '');
  if (cross) c.str(cross, 'guardrailProfileIdentifier', 'crossRegionConfig.', { required: true, min: 15, max: 2048 });

  if (errors.length) {
    const n = errors.length;
    throw new AwsError('ValidationException', 400, `${n} validation error${n > 1 ? 's' : ''} detected: ${errors.slice(0, 5).join('; ')}`);
  }
  const config: Obj = {};
  for (const [k, v] of Object.entries(body)) if (CONFIG_KEYS.has(k) && v !== undefined && v !== null) config[k] = v;
  return JSON.parse(JSON.stringify(config)) as GuardrailConfig;
}

const rename = (o: Obj | undefined, names: Record<string, string>): Obj | undefined => {
  if (!o) return undefined;
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) out[names[k] ?? k] = v;
  return out;
};

/**
 * GetGuardrail output: policy blocks lose their "Config" suffixes (topicPolicyConfig → topicPolicy, …):
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_GetGuardrail.html
 */
export function toOutputShape(config: GuardrailConfig, region: string): Obj {
  const c = config as unknown as Obj;
  const cross = c.crossRegionConfig as { guardrailProfileIdentifier: string } | undefined;
  const profileId = cross?.guardrailProfileIdentifier.split('/').pop();
  return {
    name: c.name,
    description: c.description,
    topicPolicy: rename(c.topicPolicyConfig as Obj, { topicsConfig: 'topics', tierConfig: 'tier' }),
    contentPolicy: rename(c.contentPolicyConfig as Obj, { filtersConfig: 'filters', tierConfig: 'tier' }),
    wordPolicy: rename(c.wordPolicyConfig as Obj, { wordsConfig: 'words', managedWordListsConfig: 'managedWordLists' }),
    sensitiveInformationPolicy: rename(c.sensitiveInformationPolicyConfig as Obj, {
      piiEntitiesConfig: 'piiEntities',
      regexesConfig: 'regexes',
    }),
    contextualGroundingPolicy: rename(c.contextualGroundingPolicyConfig as Obj, { filtersConfig: 'filters' }),
    automatedReasoningPolicy: c.automatedReasoningPolicyConfig,
    crossRegionDetails: cross
      ? {
          guardrailProfileId: profileId,
          guardrailProfileArn: cross.guardrailProfileIdentifier.startsWith('arn:')
            ? cross.guardrailProfileIdentifier
            : `arn:aws:bedrock:${region}::guardrail-profile/${cross.guardrailProfileIdentifier}`,
        }
      : undefined,
    blockedInputMessaging: c.blockedInputMessaging,
    blockedOutputsMessaging: c.blockedOutputsMessaging,
    kmsKeyArn: c.kmsKeyId,
  };
}
