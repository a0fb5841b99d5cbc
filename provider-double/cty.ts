/**
 * cty values on the wire, per schema: msgpack ↔ CtyValue, the JSON of RawState, and cty type JSON.
 * Part of the provider double, a TEST DOUBLE of hashicorp/aws for the local emulator (never used
 * against AWS). Wire rules: https://github.com/hashicorp/terraform/blob/v1.11.4/docs/plugin-protocol/object-wire-format.md
 * and go-cty's cty/msgpack and cty/json.go.
 */
import { decode, encode, ExtData } from '@msgpack/msgpack';
import { type AttributeSchema, type BlockSchema, type CtyObject, type CtyType, type CtyValue, UNKNOWN } from './types.js';

/** CtyType plus the types that only occur inside `dynamic` values on the wire. */
export type WireType =
  | CtyType
  | readonly ['list' | 'set' | 'map', WireType]
  | readonly ['object', Readonly<Record<string, WireType>>]
  | readonly ['tuple', readonly WireType[]];

type Mode = 'msgpack' | 'json';

/** cty writes a plain unknown as fixext1 type 0 (`d4 00 00`); never ext 12 with an empty refinement. */
const UNKNOWN_EXT = new ExtData(0, new Uint8Array([0]));

/** The implied type of an attribute (nested attributes: object, list/set/map of object). */
export function attributeType(attr: AttributeSchema): WireType {
  if (attr.type !== undefined) return attr.type;
  if (!attr.nested) throw new Error('attribute has neither type nor nested');
  const object: WireType = ['object', Object.fromEntries(Object.entries(attr.nested.attributes).map(([k, a]) => [k, attributeType(a)]))];
  return attr.nested.nesting === 'single' ? object : [attr.nested.nesting, object];
}

/** The implied type of a block: an object of its attributes and nested block types. */
export function blockType(block: BlockSchema): WireType {
  const fields: Record<string, WireType> = {};
  for (const [k, a] of Object.entries(block.attributes)) fields[k] = attributeType(a);
  for (const [k, nb] of Object.entries(block.blocks ?? {})) {
    const object = blockType(nb.block);
    fields[k] = nb.nesting === 'single' ? object : [nb.nesting, object];
  }
  return ['object', fields];
}

/** cty type JSON (Schema.Attribute.type), e.g. `["list","string"]`. */
export function typeJson(type: WireType): string {
  return JSON.stringify(type);
}

/** Parses cty type JSON, dropping the optional-attributes list of object types. */
export function parseTypeJson(text: string): WireType {
  const walk = (t: unknown): WireType => {
    if (t === 'string' || t === 'number' || t === 'bool' || t === 'dynamic') return t;
    if (Array.isArray(t)) {
      const [kind, inner] = t;
      if (kind === 'list' || kind === 'set' || kind === 'map') return [kind, walk(inner)];
      if (kind === 'tuple' && Array.isArray(inner)) return ['tuple', inner.map(walk)];
      if (kind === 'object' && inner && typeof inner === 'object')
        return ['object', Object.fromEntries(Object.entries(inner).map(([k, v]) => [k, walk(v)]))];
    }
    throw new Error(`unsupported cty type ${JSON.stringify(t)}`);
  };
  return walk(JSON.parse(text));
}

/** The cty type a plain JS value would have, for values of `dynamic` attributes. */
export function inferType(value: CtyValue): WireType {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'bool';
  if (Array.isArray(value)) return ['tuple', value.map(inferType)];
  if (value && typeof value === 'object') return ['object', Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inferType(v)]))];
  return 'dynamic';
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof Uint8Array) && !(x instanceof ExtData);
}

function fail(path: string, what: string, got: unknown): never {
  const shown = got instanceof Uint8Array ? 'bytes' : JSON.stringify(got);
  throw new Error(`${path || 'value'}: expected ${what}, got ${shown}`);
}

function utf8(x: unknown): string {
  if (typeof x === 'string') return x;
  if (x instanceof Uint8Array) return new TextDecoder().decode(x);
  throw new Error('dynamic value: type is not bytes');
}

/** Decoded msgpack/JSON → CtyValue. Any msgpack extension is an unknown (ext 0 plain, ext 12 refined). */
function fromWire(raw: unknown, type: WireType, mode: Mode, path: string): CtyValue {
  if (raw instanceof ExtData) return UNKNOWN;
  if (raw === null || raw === undefined) return null;
  if (type === 'string') return typeof raw === 'string' ? raw : fail(path, 'string', raw);
  if (type === 'bool') return typeof raw === 'boolean' ? raw : fail(path, 'bool', raw);
  if (type === 'number') {
    // cty writes int64, float64 or (for big or inexact numbers) a decimal string.
    if (typeof raw === 'number') return raw;
    if (typeof raw === 'bigint') return Number(raw);
    if (typeof raw === 'string' && raw.trim() !== '' && !Number.isNaN(Number(raw))) return Number(raw);
    return fail(path, 'number', raw);
  }
  if (type === 'dynamic') {
    // msgpack: [type JSON as bin, value]; JSON (state): {"value": …, "type": …}.
    if (mode === 'msgpack' && Array.isArray(raw) && raw.length === 2) return fromWire(raw[1], parseTypeJson(utf8(raw[0])), mode, path);
    if (mode === 'json' && isRecord(raw) && 'type' in raw) return fromWire(raw.value, parseTypeJson(JSON.stringify(raw.type)), mode, path);
    return fail(path, 'dynamic value', raw);
  }
  const [kind, inner] = type;
  if (kind === 'list' || kind === 'set') {
    if (!Array.isArray(raw)) return fail(path, kind, raw);
    return raw.map((e, i) => fromWire(e, inner as WireType, mode, `${path}[${i}]`));
  }
  if (kind === 'tuple') {
    const types = inner as readonly WireType[];
    if (!Array.isArray(raw) || raw.length !== types.length) return fail(path, `tuple of ${types.length}`, raw);
    return raw.map((e, i) => fromWire(e, types[i], mode, `${path}[${i}]`));
  }
  if (!isRecord(raw)) return fail(path, kind, raw);
  if (kind === 'map')
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, fromWire(v, inner as WireType, mode, `${path}[${k}]`)]));
  const fields = inner as Readonly<Record<string, WireType>>;
  return Object.fromEntries(Object.entries(fields).map(([k, t]) => [k, fromWire(raw[k], t, mode, path ? `${path}.${k}` : k)]));
}

/** CtyValue → the plain structure @msgpack/msgpack encodes. Objects get every attribute, keys sorted as cty writes them. */
function toWire(value: CtyValue | undefined, type: WireType, path: string): unknown {
  if (value === UNKNOWN) return UNKNOWN_EXT;
  if (value === null || value === undefined) return null;
  if (type === 'string') return typeof value === 'string' ? value : fail(path, 'string', value);
  if (type === 'bool') return typeof value === 'boolean' ? value : fail(path, 'bool', value);
  if (type === 'number') return typeof value === 'number' && !Number.isNaN(value) ? value : fail(path, 'number', value);
  if (type === 'dynamic') {
    const actual = inferType(value);
    return [new TextEncoder().encode(typeJson(actual)), toWire(value, actual, path)];
  }
  const [kind, inner] = type;
  if (kind === 'list' || kind === 'set') {
    if (!Array.isArray(value)) return fail(path, kind, value);
    return value.map((e, i) => toWire(e, inner as WireType, `${path}[${i}]`));
  }
  if (kind === 'tuple') {
    const types = inner as readonly WireType[];
    if (!Array.isArray(value) || value.length !== types.length) return fail(path, `tuple of ${types.length}`, value);
    return value.map((e, i) => toWire(e, types[i], `${path}[${i}]`));
  }
  if (!isRecord(value)) return fail(path, kind, value);
  const obj = value as CtyObject;
  if (kind === 'map') return sortedObject(Object.keys(obj), (k) => toWire(obj[k], inner as WireType, `${path}[${k}]`));
  const fields = inner as Readonly<Record<string, WireType>>;
  const extra = Object.keys(obj).filter((k) => !(k in fields));
  if (extra.length > 0) throw new Error(`${path || 'object'}: attribute ${extra.join(', ')} is not in the schema`);
  return sortedObject(Object.keys(fields), (k) => toWire(obj[k], fields[k], path ? `${path}.${k}` : k));
}

function sortedObject(keys: string[], f: (k: string) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of [...keys].sort()) out[k] = f(k);
  return out;
}

/** Like fromWire for a block: absent LIST/SET blocks become [] (Terraform's representation). */
function fromWireBlock(raw: unknown, block: BlockSchema, mode: Mode, path: string): CtyValue {
  if (raw instanceof ExtData) return UNKNOWN;
  if (raw === null || raw === undefined) return null;
  if (!isRecord(raw)) return fail(path, 'object', raw);
  const out: CtyObject = {};
  for (const [k, a] of Object.entries(block.attributes)) out[k] = fromWire(raw[k], attributeType(a), mode, join(path, k));
  for (const [k, nb] of Object.entries(block.blocks ?? {})) {
    const v = raw[k];
    if (nb.nesting === 'single') out[k] = fromWireBlock(v, nb.block, mode, join(path, k));
    else if (v instanceof ExtData) out[k] = UNKNOWN;
    else if (v === null || v === undefined) out[k] = [];
    else if (Array.isArray(v)) out[k] = v.map((e, i) => fromWireBlock(e, nb.block, mode, `${join(path, k)}[${i}]`));
    else fail(join(path, k), nb.nesting, v);
  }
  return out;
}

function toWireBlock(value: CtyValue | undefined, block: BlockSchema, path: string): unknown {
  if (value === UNKNOWN) return UNKNOWN_EXT;
  if (value === null || value === undefined) return null;
  if (!isRecord(value)) return fail(path, 'object', value);
  const obj = value as CtyObject;
  const blocks = block.blocks ?? {};
  const extra = Object.keys(obj).filter((k) => !(k in block.attributes) && !(k in blocks));
  if (extra.length > 0) throw new Error(`${path || 'object'}: attribute ${extra.join(', ')} is not in the schema`);
  return sortedObject([...Object.keys(block.attributes), ...Object.keys(blocks)], (k) => {
    const a = block.attributes[k];
    if (a) return toWire(obj[k], attributeType(a), join(path, k));
    const nb = blocks[k];
    const v = obj[k];
    if (nb.nesting === 'single') return toWireBlock(v, nb.block, join(path, k));
    if (v === UNKNOWN) return UNKNOWN_EXT;
    if (v === null || v === undefined) return []; // null is invalid for LIST/SET blocks
    if (!Array.isArray(v)) return fail(join(path, k), nb.nesting, v);
    return v.map((e, i) => toWireBlock(e, nb.block, `${join(path, k)}[${i}]`));
  });
}

const join = (path: string, k: string) => (path ? `${path}.${k}` : k);

/** A DynamicValue's msgpack for a block → object (null when empty: unset DynamicValue = null). */
export function decodeBlock(bytes: Uint8Array | undefined | null, block: BlockSchema): CtyObject | null {
  if (!bytes || bytes.length === 0) return null;
  const v = fromWireBlock(decode(bytes), block, 'msgpack', '');
  if (v === UNKNOWN) throw new Error('the whole object is unknown');
  return v as CtyObject | null;
}

/** Object → msgpack for a block, with every attribute present and LIST/SET blocks as arrays. */
export function encodeBlock(value: CtyObject | null, block: BlockSchema): Uint8Array {
  return encode(toWireBlock(value, block, ''));
}

/** msgpack of a single value of `type`. */
export function decodeValue(bytes: Uint8Array, type: WireType): CtyValue {
  return fromWire(decode(bytes), type, 'msgpack', '');
}

export function encodeValue(value: CtyValue, type: WireType): Uint8Array {
  return encode(toWire(value, type, ''));
}

/** RawState.json (UpgradeResourceState): state JSON in the shape of `block`; keys the schema lacks are dropped. */
export function decodeStateJson(json: string | Uint8Array, block: BlockSchema): CtyObject | null {
  const text = typeof json === 'string' ? json : new TextDecoder().decode(json);
  if (text.trim() === '') return null;
  const v = fromWireBlock(JSON.parse(text), block, 'json', '');
  if (v === UNKNOWN) throw new Error('state holds an unknown value');
  return v as CtyObject | null;
}

/** Fills missing keys with null (LIST/SET blocks with []) and rejects keys the schema lacks. */
export function normalizeBlock(value: CtyObject, block: BlockSchema): CtyObject {
  return fromWireBlock(toWireBlock(value, block, ''), block, 'msgpack', '') as CtyObject;
}

/** Paths (a.b[0].c) of every UNKNOWN inside a value. */
export function unknownPaths(value: CtyValue, path = ''): string[] {
  if (value === UNKNOWN) return [path || '(root)'];
  if (Array.isArray(value)) return value.flatMap((e, i) => unknownPaths(e, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => unknownPaths(v, join(path, k)));
  return [];
}

export function containsUnknown(value: CtyValue): boolean {
  return unknownPaths(value).length > 0;
}
