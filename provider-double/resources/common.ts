/**
 * Schema pieces shared by the resource types of the TEST DOUBLE of hashicorp/aws (never used
 * against AWS): the v6 per-resource `region` argument (Optional+Computed, defaults to the provider
 * region, a change forces replacement, import IDs may end in `@<region>`), tags, timeouts blocks
 * and string validators.
 * https://github.com/hashicorp/terraform-provider-aws/blob/main/website/docs/guides/enhanced-region-support.html.markdown
 */
import {
  type AttributeSchema,
  type CtyObject,
  type CtyValue,
  type NestedBlockSchema,
  type ProviderContext,
  ProviderError,
} from '../types.js';
import { stringMap, str } from './cty-object.js';

export const regionAttribute: AttributeSchema = {
  type: 'string',
  optional: true,
  computed: true,
  forceNew: true,
  description: 'Region where this resource is managed. Defaults to the provider region.',
};

/** The planned object with `region` defaulted to the provider's when the configuration leaves it out. */
export function withDefaultRegion(planned: CtyObject, ctx: ProviderContext): CtyObject {
  return str(planned.region) ? planned : { ...planned, region: ctx.region };
}

/** The region a Bedrock call for this object goes to. */
export function regionOf(obj: CtyObject, ctx: ProviderContext): string {
  return str(obj.region) ?? ctx.region;
}

/** `id@region` → { id, region }; without the suffix the provider region. */
export function splitImportRegion(id: string, ctx: ProviderContext): { id: string; region: string } {
  const at = id.lastIndexOf('@');
  return at > 0 ? { id: id.slice(0, at), region: id.slice(at + 1) } : { id, region: ctx.region };
}

/**
 * A `<first>,<second>[@region]` import id (guardrail `id,version`, version `arn,version`), with the
 * provider's error for any other shape.
 */
export function splitPairImportId(
  importId: string,
  ctx: ProviderContext,
  format: string,
): { first: string; second: string; region: string } {
  const { id, region } = splitImportRegion(importId, ctx);
  const parts = id.split(',');
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    throw new ProviderError('Unexpected Import Identifier', `Expected import identifier with format: ${format}. Got: "${importId}"`);
  }
  return { first: parts[0], second: parts[1], region };
}

export const tagsAttribute: AttributeSchema = { type: ['map', 'string'], optional: true };
/** tags_all: the provider's default_tags are not applied by the double, so it mirrors `tags`. */
export const tagsAllComputed: AttributeSchema = { type: ['map', 'string'], computed: true };
export const tagsAllOptionalComputed: AttributeSchema = { type: ['map', 'string'], optional: true, computed: true };

export function tagsAll(obj: CtyObject): CtyValue {
  return stringMap(obj.tags) ?? {};
}

/** A `timeouts {}` block (plugin-framework-timeouts): accepted, not used (the emulator answers at once). */
export function timeoutsBlock(...ops: ('create' | 'read' | 'update' | 'delete')[]): NestedBlockSchema {
  return {
    nesting: 'single',
    block: { attributes: Object.fromEntries(ops.map((op) => [op, { type: 'string', optional: true } satisfies AttributeSchema])) },
  };
}

export function lengthBetween(min: number, max: number): (v: CtyValue) => string | undefined {
  return (v) =>
    typeof v === 'string' && (v.length < min || v.length > max)
      ? `string length must be between ${min} and ${max}, got: ${v.length}`
      : undefined;
}

export function lengthAtLeast(min: number): (v: CtyValue) => string | undefined {
  return (v) => (typeof v === 'string' && v.length < min ? `string length must be at least ${min}, got: ${v.length}` : undefined);
}

export function matches(re: RegExp, also?: (v: CtyValue) => string | undefined): (v: CtyValue) => string | undefined {
  return (v) => (typeof v === 'string' && !re.test(v) ? `value must match regular expression '${re.source}', got: ${v}` : also?.(v));
}

export function oneOf(values: readonly string[]): (v: CtyValue) => string | undefined {
  return (v) =>
    typeof v === 'string' && !values.includes(v) ? `value must be one of: ${values.map((x) => `"${x}"`).join(', ')}` : undefined;
}

/** RFC 3339 as the provider writes timestamps (time.RFC3339: whole seconds, UTC `Z`). */
export function rfc3339(d: Date | undefined): string | null {
  return d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
}
