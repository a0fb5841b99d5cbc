/**
 * BlockSchema → tfplugin6 Schema messages, and config validation against a schema. Part of the
 * provider double, a TEST DOUBLE of hashicorp/aws for the local emulator (never used against AWS).
 * Terraform's InternalValidate rules (configschema/internal_validate.go at v1.11.4) are why names,
 * flags and nesting limits are checked here before a schema is ever sent.
 */
import { attributeType, containsUnknown, typeJson } from './cty.js';
import { type AttributeSchema, type BlockSchema, type CtyObject, type CtyValue, type Diagnostic, UNKNOWN } from './types.js';

/** Shapes of the proto messages as @grpc/proto-loader takes them (keepCase, enums as names). */
export interface ProtoAttribute {
  name: string;
  type?: Buffer;
  nested_type?: { attributes: ProtoAttribute[]; nesting: string };
  description: string;
  description_kind: 'PLAIN';
  required: boolean;
  optional: boolean;
  computed: boolean;
  sensitive: boolean;
}
export interface ProtoBlock {
  version: number;
  attributes: ProtoAttribute[];
  block_types: { type_name: string; block: ProtoBlock; nesting: string; min_items: number; max_items: number }[];
  description: string;
  description_kind: 'PLAIN';
}
export interface ProtoSchema {
  version: number;
  block: ProtoBlock;
}

const NAME = /^[a-z0-9_]+$/;

function protoAttribute(name: string, a: AttributeSchema): ProtoAttribute {
  const out: ProtoAttribute = {
    name,
    description: a.description ?? '',
    description_kind: 'PLAIN',
    required: a.required === true,
    optional: a.optional === true,
    computed: a.computed === true,
    sensitive: a.sensitive === true,
  };
  if (a.nested) {
    const attributes = Object.entries(a.nested.attributes).map(([k, x]) => protoAttribute(k, x));
    out.nested_type = { attributes, nesting: a.nested.nesting.toUpperCase() };
  } else out.type = Buffer.from(typeJson(attributeType(a)));
  return out;
}

function protoBlock(block: BlockSchema, version: number): ProtoBlock {
  return {
    version,
    attributes: Object.entries(block.attributes).map(([k, a]) => protoAttribute(k, a)),
    block_types: Object.entries(block.blocks ?? {}).map(([k, nb]) => ({
      type_name: k,
      block: protoBlock(nb.block, version),
      nesting: nb.nesting.toUpperCase(),
      min_items: nb.minItems ?? 0,
      max_items: nb.maxItems ?? 0,
    })),
    description: block.description ?? '',
    description_kind: 'PLAIN',
  };
}

/** The Schema message; throws on what Terraform's InternalValidate would reject (or crash on). */
export function toProtoSchema(block: BlockSchema, version = 0): ProtoSchema {
  const problems = schemaProblems(block, '');
  if (problems.length > 0) throw new Error(`invalid schema: ${problems.join('; ')}`);
  return { version, block: protoBlock(block, version) };
}

/** InternalValidate's rules, as messages (empty when the schema is valid). */
export function schemaProblems(block: BlockSchema, path: string): string[] {
  const out: string[] = [];
  const at = (k: string) => (path ? `${path}.${k}` : k);
  const checkAttrs = (attrs: Readonly<Record<string, AttributeSchema>>, p: string) => {
    for (const [k, a] of Object.entries(attrs)) {
      const here = p ? `${p}.${k}` : k;
      if (!NAME.test(k)) out.push(`${here}: name must match [a-z0-9_]+`);
      if (!a.required && !a.optional && !a.computed) out.push(`${here}: must be required, optional or computed`);
      if (a.required && (a.optional || a.computed)) out.push(`${here}: required excludes optional and computed`);
      if ((a.type === undefined) === (a.nested === undefined)) out.push(`${here}: exactly one of type and nested`);
      if (a.nested) checkAttrs(a.nested.attributes, here);
    }
  };
  checkAttrs(block.attributes, path);
  for (const [k, nb] of Object.entries(block.blocks ?? {})) {
    if (!NAME.test(k)) out.push(`${at(k)}: name must match [a-z0-9_]+`);
    if (k in block.attributes) out.push(`${at(k)}: both an attribute and a block`);
    const min = nb.minItems ?? 0;
    const max = nb.maxItems ?? 0;
    if (min < 0 || max < 0) out.push(`${at(k)}: negative min/max items`);
    if (nb.nesting === 'single' && (min > 1 || max > 1 || (max !== 0 && min !== max && min !== 0)))
      out.push(`${at(k)}: SINGLE blocks take min/max items of 0 or 1`);
    if (max !== 0 && min > max) out.push(`${at(k)}: min items > max items`);
    out.push(...schemaProblems(nb.block, at(k)));
  }
  return out;
}

type Path = (string | number)[];

const err = (summary: string, detail: string, path: Path): Diagnostic => ({ severity: 'error', summary, detail, path });

function validateAttribute(name: string, a: AttributeSchema, value: CtyValue, path: Path): Diagnostic[] {
  if (value === UNKNOWN) return []; // only apply can tell; validated again at apply-time plan
  if (value === null) return a.required ? [err('Missing required argument', `The argument "${name}" is required.`, path)] : [];
  const out: Diagnostic[] = [];
  if (!a.required && !a.optional) out.push(err('Invalid configuration', `"${name}" is computed and cannot be set.`, path));
  if (a.nested) {
    const elements =
      a.nested.nesting === 'single'
        ? [[[], value] as const]
        : Array.isArray(value)
          ? value.map((e, i) => [[i], e] as const)
          : typeof value === 'object'
            ? Object.entries(value as CtyObject).map(([k, e]) => [[k], e] as const)
            : [];
    for (const [key, e] of elements) {
      if (e === null || e === UNKNOWN || typeof e !== 'object') continue;
      for (const [k, inner] of Object.entries(a.nested.attributes))
        out.push(...validateAttribute(k, inner, (e as CtyObject)[k] ?? null, [...path, ...key, k]));
    }
  }
  if (a.validate && !containsUnknown(value)) {
    const message = a.validate(value);
    if (message) out.push(err('Invalid value', `${name}: ${message}`, path));
  }
  return out;
}

/** Schema-level checks of a config: required arguments, `validate` hooks, block counts. Unknown values are skipped. */
export function validateConfig(block: BlockSchema, config: CtyObject, path: Path = []): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [k, a] of Object.entries(block.attributes)) out.push(...validateAttribute(k, a, config[k] ?? null, [...path, k]));
  for (const [k, nb] of Object.entries(block.blocks ?? {})) {
    const v = config[k];
    if (v === UNKNOWN || v === undefined) continue;
    const elements = nb.nesting === 'single' ? (v === null ? [] : [v]) : Array.isArray(v) ? v : [];
    const n = elements.length;
    if (nb.minItems && n < nb.minItems)
      out.push(err('Insufficient blocks', `At least ${nb.minItems} "${k}" block(s) are required.`, [...path, k]));
    if (nb.maxItems && n > nb.maxItems)
      out.push(err('Too many blocks', `No more than ${nb.maxItems} "${k}" block(s) are allowed.`, [...path, k]));
    elements.forEach((e, i) => {
      if (e && e !== UNKNOWN && typeof e === 'object')
        out.push(...validateConfig(nb.block, e as CtyObject, nb.nesting === 'single' ? [...path, k] : [...path, k, i]));
    });
  }
  return out;
}

/** Dotted paths of every attribute matching `pick` (blocks and nested attributes included), e.g. `rule.priority`. */
export function attributePaths(block: BlockSchema, pick: (a: AttributeSchema) => boolean, prefix = ''): string[] {
  const out: string[] = [];
  const walkAttrs = (attrs: Readonly<Record<string, AttributeSchema>>, p: string) => {
    for (const [k, a] of Object.entries(attrs)) {
      const here = p ? `${p}.${k}` : k;
      if (pick(a)) out.push(here);
      if (a.nested) walkAttrs(a.nested.attributes, here);
    }
  };
  walkAttrs(block.attributes, prefix);
  for (const [k, nb] of Object.entries(block.blocks ?? {})) out.push(...attributePaths(nb.block, pick, prefix ? `${prefix}.${k}` : k));
  return out;
}

export const computedPaths = (block: BlockSchema) => attributePaths(block, (a) => a.computed === true);
export const forceNewPaths = (block: BlockSchema) => attributePaths(block, (a) => a.forceNew === true);
