/**
 * Schema of aws_bedrock_guardrail in the TEST DOUBLE of hashicorp/aws (never used against AWS),
 * transcribed from the provider's framework resource (v6): policy blocks are LIST blocks of at most
 * one element; `tier_config` is an Optional+Computed attribute of type list(object), not a block;
 * content `filters_config` is a SET block. No argument but `region` forces replacement.
 * https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/bedrock/guardrail.go
 */
import type { AttributeSchema, BlockSchema, NestedBlockSchema } from '../types.js';
import { lengthAtLeast, lengthBetween, matches, regionAttribute, tagsAllComputed, tagsAttribute, timeoutsBlock } from './common.js';

const R: AttributeSchema = { type: 'string', required: true };
const O: AttributeSchema = { type: 'string', optional: true };
const OC: AttributeSchema = { type: 'string', optional: true, computed: true };
const C: AttributeSchema = { type: 'string', computed: true };
const OBool: AttributeSchema = { type: 'bool', optional: true };
const OCBool: AttributeSchema = { type: 'bool', optional: true, computed: true };

const tierConfig: AttributeSchema = { type: ['list', ['object', { tier_name: 'string' }]], optional: true, computed: true };

/** input/output action and enabled flags: Optional on word filters, Optional+Computed on PII entities and regexes. */
function actions(computed: boolean): Record<string, AttributeSchema> {
  const s = computed ? OC : O;
  const b = computed ? OCBool : OBool;
  return { input_action: s, output_action: s, input_enabled: b, output_enabled: b };
}

function listOfOne(block: BlockSchema): NestedBlockSchema {
  return { nesting: 'list', maxItems: 1, block };
}

const atLeastZero = (v: unknown) => (typeof v === 'number' && v < 0 ? 'value must be at least 0.000000' : undefined);

export const guardrailSchema: BlockSchema = {
  attributes: {
    blocked_input_messaging: { ...R, validate: lengthBetween(1, 500) },
    blocked_outputs_messaging: { ...R, validate: lengthBetween(1, 500) },
    created_at: C,
    description: { ...OC, validate: lengthBetween(0, 200) },
    guardrail_arn: C,
    guardrail_id: C,
    kms_key_arn: { ...O, validate: lengthBetween(1, 2048) },
    name: { ...R, validate: matches(/^[0-9a-zA-Z-_]+$/, lengthBetween(1, 50)) },
    region: regionAttribute,
    status: C,
    tags: tagsAttribute,
    tags_all: tagsAllComputed,
    version: C,
  },
  blocks: {
    content_policy_config: listOfOne({
      attributes: { tier_config: tierConfig },
      blocks: {
        filters_config: {
          nesting: 'set',
          block: {
            attributes: {
              type: R,
              input_strength: R,
              output_strength: R,
              ...actions(false),
              input_modalities: { type: ['list', 'string'], optional: true },
              output_modalities: { type: ['list', 'string'], optional: true },
            },
          },
        },
      },
    }),
    contextual_grounding_policy_config: listOfOne({
      attributes: {},
      blocks: {
        filters_config: {
          nesting: 'list',
          block: { attributes: { threshold: { type: 'number', required: true, validate: atLeastZero }, type: R } },
        },
      },
    }),
    cross_region_config: listOfOne({ attributes: { guardrail_profile_identifier: R } }),
    sensitive_information_policy_config: listOfOne({
      attributes: {},
      blocks: {
        pii_entities_config: { nesting: 'list', block: { attributes: { type: R, action: R, ...actions(true) } } },
        regexes_config: {
          nesting: 'list',
          block: {
            attributes: {
              name: { ...R, validate: lengthBetween(1, 100) },
              pattern: { ...R, validate: lengthAtLeast(1) },
              action: R,
              description: { ...OC, validate: lengthBetween(1, 1000) },
              ...actions(true),
            },
          },
        },
      },
    }),
    topic_policy_config: listOfOne({
      attributes: { tier_config: tierConfig },
      blocks: {
        topics_config: {
          nesting: 'list',
          minItems: 1,
          block: {
            attributes: {
              name: { ...R, validate: matches(/^[0-9a-zA-Z-_ !?.]+$/, lengthBetween(1, 100)) },
              definition: { ...R, validate: lengthBetween(1, 200) },
              type: R,
              examples: { type: ['list', 'string'], optional: true, computed: true },
            },
          },
        },
      },
    }),
    word_policy_config: listOfOne({
      attributes: {},
      blocks: {
        managed_word_lists_config: { nesting: 'list', block: { attributes: { type: R, ...actions(false) } } },
        words_config: { nesting: 'list', block: { attributes: { text: { ...R, validate: lengthAtLeast(1) }, ...actions(false) } } },
      },
    }),
    timeouts: timeoutsBlock('create', 'update', 'delete'),
  },
};

/** The policy blocks and list(object) attributes that are one object in the Bedrock API. */
export const SINGLE_IN_API: ReadonlySet<string> = new Set([
  'content_policy_config',
  'contextual_grounding_policy_config',
  'cross_region_config',
  'sensitive_information_policy_config',
  'topic_policy_config',
  'word_policy_config',
  'tier_config',
]);

export const POLICY_BLOCKS = [
  'content_policy_config',
  'contextual_grounding_policy_config',
  'sensitive_information_policy_config',
  'topic_policy_config',
  'word_policy_config',
] as const;
