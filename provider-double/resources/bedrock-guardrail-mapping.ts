/**
 * aws_bedrock_guardrail arguments ↔ Bedrock API shapes, for the TEST DOUBLE of hashicorp/aws (never
 * used against AWS). The provider maps by name (AutoFlex with the "Config" suffix option):
 * snake_case ↔ camelCase; a LIST≤1 block or `tier_config` ↔ one object; input names end in
 * "Config" (topicPolicyConfig.topicsConfig), GetGuardrail's output names drop it
 * (topicPolicy.topics); `kms_key_arn` is sent as kmsKeyId and read from kmsKeyArn;
 * `cross_region_config` is read from crossRegionDetails.
 * https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/bedrock/guardrail.go
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_CreateGuardrail.html
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_GetGuardrail.html
 */
import type { CreateGuardrailCommandInput, GetGuardrailCommandOutput } from '@aws-sdk/client-bedrock';
import type { BlockSchema, CtyObject, CtyValue } from '../types.js';
import { blocks, first, str } from './cty-object.js';
import { POLICY_BLOCKS, SINGLE_IN_API, guardrailSchema } from './bedrock-guardrail-schema.js';

type ApiObject = Record<string, unknown>;

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function camelKeys(v: CtyValue): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    return Object.fromEntries(Object.entries(v).flatMap(([k, x]) => (x === null ? [] : [[camel(k), x]])));
  }
  return v;
}

/** A block's known, non-null arguments in API shape; empty lists are left out (the API rejects them). */
function expand(schema: BlockSchema, obj: CtyObject): ApiObject {
  const out: ApiObject = {};
  for (const name of Object.keys(schema.attributes)) {
    const v = obj[name];
    if (v === null || v === undefined || typeof v === 'symbol') continue;
    if (SINGLE_IN_API.has(name) && Array.isArray(v)) {
      if (v[0] !== undefined) out[camel(name)] = camelKeys(v[0]);
    } else out[camel(name)] = v;
  }
  for (const [name, nested] of Object.entries(schema.blocks ?? {})) {
    if (name === 'timeouts') continue;
    const items = blocks(obj[name]);
    if (!items.length) continue;
    out[camel(name)] = SINGLE_IN_API.has(name) ? expand(nested.block, items[0]!) : items.map((i) => expand(nested.block, i));
  }
  return out;
}

/** The CreateGuardrail input (UpdateGuardrail takes the same minus tags, plus the identifier). */
export function guardrailInput(obj: CtyObject): CreateGuardrailCommandInput {
  const top: CtyObject = {};
  for (const k of ['name', 'description', 'blocked_input_messaging', 'blocked_outputs_messaging', ...POLICY_BLOCKS, 'cross_region_config'])
    top[k] = obj[k] ?? null;
  const input = expand(guardrailSchema, { ...nullAttrs(), ...top }) as ApiObject;
  if (str(obj.kms_key_arn)) input.kmsKeyId = obj.kms_key_arn;
  const tags = obj.tags && typeof obj.tags === 'object' && !Array.isArray(obj.tags) ? Object.entries(obj.tags) : [];
  if (tags.length) input.tags = tags.map(([key, value]) => ({ key, value: String(value) }));
  return input as unknown as CreateGuardrailCommandInput;
}

function nullAttrs(): CtyObject {
  return Object.fromEntries(Object.keys(guardrailSchema.attributes).map((k) => [k, null]));
}

/** The API value for a Terraform name: input style (`xConfig`) or output style (`x`). */
function lookup(api: ApiObject, name: string): unknown {
  const c = camel(name);
  return api[c] ?? (c.endsWith('Config') ? api[c.slice(0, -'Config'.length)] : undefined);
}

function snakeKeys(v: unknown): CtyValue {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [snake(k), x as CtyValue]));
  }
  return v as CtyValue;
}

/** An API object as a complete Terraform block value (every attribute and block present). */
function flatten(schema: BlockSchema, api: ApiObject): CtyObject {
  const out: CtyObject = {};
  for (const [name, attr] of Object.entries(schema.attributes)) {
    const v = lookup(api, name);
    if (v === undefined || v === null) out[name] = null;
    else if (SINGLE_IN_API.has(name) && !Array.isArray(v)) {
      // list(object) attribute: one API object → a one-element list with every attribute present.
      const objType = Array.isArray(attr.type) && attr.type[0] === 'list' ? attr.type[1] : undefined;
      const keys = Array.isArray(objType) && objType[0] === 'object' ? Object.keys(objType[1] as object) : [];
      const o = snakeKeys(v) as CtyObject;
      out[name] = [Object.fromEntries(keys.map((k) => [k, o[k] ?? null]))];
    } else out[name] = v as CtyValue;
  }
  for (const [name, nested] of Object.entries(schema.blocks ?? {})) {
    const v = lookup(api, name);
    if (SINGLE_IN_API.has(name)) out[name] = v && typeof v === 'object' ? [flatten(nested.block, v as ApiObject)] : [];
    else if (nested.nesting === 'single') out[name] = null;
    else out[name] = Array.isArray(v) ? v.map((e) => flatten(nested.block, e as ApiObject)) : [];
  }
  return out;
}

/**
 * GetGuardrail as the resource's state (without tags, region and timeouts, which the caller keeps).
 * `prior` keeps the configured spelling of the cross-region profile (ID or ARN) when it names
 * the same profile the API reports.
 */
export function guardrailState(out: GetGuardrailCommandOutput, prior: CtyObject | undefined): CtyObject {
  const api: ApiObject = { ...(out as unknown as ApiObject) };
  delete api.crossRegionDetails;
  const state = flatten(guardrailSchema, api);
  state.kms_key_arn = out.kmsKeyArn ?? null;
  const details = out.crossRegionDetails;
  if (details) {
    const priorId = str(first(prior?.cross_region_config)?.guardrail_profile_identifier);
    const same = priorId && (priorId === details.guardrailProfileArn || priorId === details.guardrailProfileId);
    state.cross_region_config = [{ guardrail_profile_identifier: same ? priorId : (details.guardrailProfileArn ?? null) }];
  }
  state.created_at = null;
  return state;
}
