/**
 * The generic part of PlanResourceChange and ApplyResourceChange, independent of gRPC: unknown
 * computed values on create, forceNew → requires_replace, and the result checks Terraform applies
 * (internal/plans/objchange/plan_valid.go and node_resource_abstract_instance.go at v1.11.4), so a
 * mistake in a resource type reads as a clear diagnostic instead of "This is a bug in the provider".
 * Part of the provider double, a TEST DOUBLE of hashicorp/aws for the local emulator (never used against AWS).
 */
import { normalizeBlock, unknownPaths } from './cty.js';
import { forceNewPaths } from './schema.js';
import {
  type AttributeSchema,
  type BlockSchema,
  type CtyObject,
  type CtyValue,
  ProviderError,
  type ProviderContext,
  type ResourceType,
  UNKNOWN,
} from './types.js';

export type ValuePath = (string | number)[];

const isObject = (v: CtyValue | undefined): v is CtyObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export function deepEqual(a: CtyValue | undefined, b: CtyValue | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((e, i) => deepEqual(e, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => deepEqual(a[k] ?? null, b[k] ?? null));
  }
  return false;
}

/** Elements of a nested block value paired with their key in paths (SINGLE: no key). */
function blockElements(nesting: 'single' | 'list' | 'set', v: CtyValue | undefined): [ValuePath, CtyObject][] {
  if (nesting === 'single') return isObject(v) ? [[[], v]] : [];
  return Array.isArray(v) ? v.flatMap((e, i): [ValuePath, CtyObject][] => (isObject(e) ? [[[i], e]] : [])) : [];
}

/**
 * Computed attributes to UNKNOWN, recursively: where `value` is null (create), or where config
 * leaves them null (`all`, for a replacement). Config elements pair with value elements by index.
 */
function markUnknown(block: BlockSchema, value: CtyObject, config: CtyObject | null, all: boolean): CtyObject {
  const mark = (attrs: Readonly<Record<string, AttributeSchema>>, v: CtyObject, c: CtyObject | null): CtyObject => {
    const o: CtyObject = { ...v };
    for (const [k, a] of Object.entries(attrs)) {
      const configured = c ? (c[k] ?? null) : null;
      if (a.computed && configured === null && (all || (o[k] ?? null) === null)) o[k] = UNKNOWN;
      else if (a.nested && o[k] !== UNKNOWN && o[k] !== null && o[k] !== undefined) {
        const inner = a.nested.attributes;
        if (a.nested.nesting === 'single' && isObject(o[k]))
          o[k] = mark(inner, o[k] as CtyObject, isObject(configured) ? configured : null);
        else if (Array.isArray(o[k]))
          o[k] = (o[k] as CtyValue[]).map((e, i) =>
            isObject(e) ? mark(inner, e, Array.isArray(configured) && isObject(configured[i]) ? (configured[i] as CtyObject) : null) : e,
          );
      }
    }
    return o;
  };
  const out = mark(block.attributes, value, config);
  for (const [k, nb] of Object.entries(block.blocks ?? {})) {
    const v = value[k];
    const c = config ? config[k] : null;
    if (nb.nesting === 'single') {
      if (isObject(v)) out[k] = markUnknown(nb.block, v, isObject(c) ? c : null, all);
    } else if (Array.isArray(v))
      out[k] = v.map((e, i) =>
        isObject(e) ? markUnknown(nb.block, e, Array.isArray(c) && isObject(c[i]) ? (c[i] as CtyObject) : null, all) : e,
      );
  }
  return out;
}

/** Create: every computed attribute still null in the proposed state becomes "(known after apply)". */
export function planCreate(block: BlockSchema, proposed: CtyObject): CtyObject {
  return markUnknown(block, proposed, null, false);
}

/** Replacement: every computed attribute that config leaves null becomes unknown (the new object gets new ids). */
export function planReplace(block: BlockSchema, planned: CtyObject, config: CtyObject): CtyObject {
  return markUnknown(block, planned, config, true);
}

/**
 * Paths of forceNew attributes whose value differs prior → planned (unknown counts as different).
 * Inside SET blocks element identity is the value itself, so a differing set is reported as a whole.
 */
export function replacePaths(block: BlockSchema, prior: CtyObject, planned: CtyObject, path: ValuePath = []): ValuePath[] {
  const out: ValuePath[] = [];
  const differs = (a: CtyValue | undefined, b: CtyValue | undefined) => a === UNKNOWN || b === UNKNOWN || !deepEqual(a ?? null, b ?? null);
  const attrs = (as: Readonly<Record<string, AttributeSchema>>, p: CtyObject, n: CtyObject, at: ValuePath) => {
    for (const [k, a] of Object.entries(as)) {
      if (a.forceNew && differs(p[k], n[k])) out.push([...at, k]);
      else if (a.nested && a.nested.nesting !== 'set') {
        const pe = blockElements(a.nested.nesting === 'single' ? 'single' : 'list', p[k]);
        const ne = blockElements(a.nested.nesting === 'single' ? 'single' : 'list', n[k]);
        for (let i = 0; i < Math.min(pe.length, ne.length); i++) attrs(a.nested.attributes, pe[i][1], ne[i][1], [...at, k, ...pe[i][0]]);
      }
    }
  };
  attrs(block.attributes, prior, planned, path);
  for (const [k, nb] of Object.entries(block.blocks ?? {})) {
    if (forceNewPaths(nb.block).length === 0) continue;
    if (nb.nesting === 'set') {
      if (differs(prior[k], planned[k])) out.push([...path, k]);
      continue;
    }
    const pe = blockElements(nb.nesting, prior[k]);
    const ne = blockElements(nb.nesting, planned[k]);
    for (let i = 0; i < Math.min(pe.length, ne.length); i++)
      out.push(...replacePaths(nb.block, pe[i][1], ne[i][1], [...path, k, ...pe[i][0]]));
  }
  return out;
}

/**
 * Terraform's planned-value rules for non-computed attributes: equal to config, or to prior when
 * both are set (how equivalent JSON keeps the prior string); block counts equal config.
 */
export function plannedProblems(block: BlockSchema, planned: CtyObject, config: CtyObject, prior: CtyObject | null, path = ''): string[] {
  const out: string[] = [];
  const at = (k: string) => (path ? `${path}.${k}` : k);
  for (const [k, a] of Object.entries(block.attributes)) {
    if (a.computed) continue;
    const p = planned[k] ?? null;
    const c = config[k] ?? null;
    if (deepEqual(p, c)) continue;
    if (c !== null && prior && (prior[k] ?? null) !== null && deepEqual(p, prior[k])) continue;
    out.push(`${at(k)}: planned value must equal the configured value`);
  }
  for (const [k, nb] of Object.entries(block.blocks ?? {})) {
    const pe = blockElements(nb.nesting, planned[k]);
    const ce = blockElements(nb.nesting, config[k]);
    if (planned[k] === UNKNOWN) out.push(`${at(k)}: a nested block must not be wholly unknown`);
    else if (config[k] !== UNKNOWN && pe.length !== ce.length) out.push(`${at(k)}: planned ${pe.length} block(s), config has ${ce.length}`);
    else if (nb.nesting !== 'set') {
      const re = blockElements(nb.nesting, prior?.[k]);
      pe.forEach(([key, e], i) => {
        if (ce[i]) out.push(...plannedProblems(nb.block, e, ce[i][1], re[i]?.[1] ?? null, `${at(k)}${key.map((x) => `[${x}]`).join('')}`));
      });
    }
  }
  return out;
}

export interface PlanInput {
  readonly prior: CtyObject | null;
  readonly proposed: CtyObject | null;
  readonly config: CtyObject | null;
  readonly ctx: ProviderContext;
}

export interface PlanOutput {
  readonly planned: CtyObject | null;
  readonly requiresReplace: ValuePath[];
}

/** PlanResourceChange: generic rules, then the resource's `plan` hook, then replacement and checks. */
export async function planChange(resource: ResourceType, req: PlanInput): Promise<PlanOutput> {
  const { prior, proposed, config, ctx } = req;
  if (proposed === null || config === null) return { planned: null, requiresReplace: [] }; // destroy
  const schema = resource.schema;
  const base = prior === null ? planCreate(schema, proposed) : proposed;
  const hooked = resource.plan ? await resource.plan({ prior, proposed, config, ctx }, base) : base;
  let planned = normalizeBlock(hooked, schema);
  const requiresReplace = prior ? replacePaths(schema, prior, planned) : [];
  if (requiresReplace.length > 0) planned = planReplace(schema, planned, config);
  const problems = plannedProblems(schema, planned, config, prior);
  if (problems.length > 0) throw new ProviderError(`${resource.name}: invalid plan from the provider double`, problems.join('\n'));
  return { planned, requiresReplace };
}

/** Apply, read and import results must be wholly known. */
export function assertKnown(value: CtyObject, what: string): void {
  const unknown = unknownPaths(value);
  if (unknown.length > 0) throw new ProviderError(`${what} returned unknown values`, `Still unknown: ${unknown.join(', ')}.`);
}

/** Known planned values win over the result: Terraform rejects any change to them after apply. */
export function keepPlanned(planned: CtyValue, result: CtyValue): CtyValue {
  if (planned === UNKNOWN) return result;
  if (Array.isArray(planned) && Array.isArray(result)) {
    if (planned.length === result.length) return planned.map((e, i) => keepPlanned(e, result[i]));
    return unknownPaths(planned).length === 0 ? planned : result;
  }
  if (isObject(planned) && isObject(result)) {
    const out: CtyObject = { ...result };
    for (const [k, v] of Object.entries(planned)) out[k] = k in result ? keepPlanned(v, result[k]) : v;
    return out;
  }
  return unknownPaths(planned).length === 0 ? planned : result;
}

export interface ApplyInput {
  readonly prior: CtyObject | null;
  readonly planned: CtyObject | null;
  readonly config: CtyObject | null;
  readonly ctx: ProviderContext;
}

/** ApplyResourceChange: create, update or delete (planned null); the new state, wholly known. */
export async function applyChange(resource: ResourceType, req: ApplyInput): Promise<CtyObject | null> {
  const { prior, planned, config, ctx } = req;
  if (planned === null) {
    if (prior !== null) await resource.delete(ctx, prior);
    return null;
  }
  const cfg = config ?? planned;
  const result = prior === null ? await resource.create(ctx, planned, cfg) : await resource.update(ctx, prior, planned, cfg);
  const state = keepPlanned(planned, normalizeBlock(result, resource.schema)) as CtyObject;
  assertKnown(state, `${resource.name} apply`);
  return state;
}
