/**
 * Reading and building cty values (provider-double/types.ts) in the resource code of the TEST
 * DOUBLE of hashicorp/aws (never used against AWS): typed accessors that treat UNKNOWN as absent,
 * `complete` to turn a partial object into one with every attribute and block of its schema, and
 * `settle` to resolve the unknowns of a plan from what the API reports after apply.
 * Value shapes: https://github.com/hashicorp/terraform/blob/v1.11.4/docs/plugin-protocol/object-wire-format.md
 */
import { type BlockSchema, type CtyObject, type CtyValue, UNKNOWN } from '../types.js';

export function isKnown(v: CtyValue | undefined): boolean {
  if (v === UNKNOWN) return false;
  if (Array.isArray(v)) return v.every(isKnown);
  if (v && typeof v === 'object') return Object.values(v).every(isKnown);
  return true;
}

/** A known non-empty string, else undefined. */
export function str(v: CtyValue | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function bool(v: CtyValue | undefined): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

export function num(v: CtyValue | undefined): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

export function strings(v: CtyValue | undefined): string[] | undefined {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
}

export function stringMap(v: CtyValue | undefined): Record<string, string> | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** The elements of a LIST/SET block (objects only). */
export function blocks(v: CtyValue | undefined): CtyObject[] {
  return Array.isArray(v) ? v.filter((x): x is CtyObject => !!x && typeof x === 'object' && !Array.isArray(x)) : [];
}

/** The one element of a LIST≤1 block, or undefined. */
export function first(v: CtyValue | undefined): CtyObject | undefined {
  return blocks(v)[0];
}

/** `partial` with every attribute of `schema` (null when missing) and every block ([] / null when missing), recursively. */
export function complete(schema: BlockSchema, partial: Record<string, unknown>): CtyObject {
  const out: CtyObject = {};
  for (const name of Object.keys(schema.attributes)) out[name] = (partial[name] as CtyValue | undefined) ?? null;
  for (const [name, nested] of Object.entries(schema.blocks ?? {})) {
    const v = partial[name];
    if (nested.nesting === 'single') {
      out[name] = v && typeof v === 'object' && !Array.isArray(v) ? complete(nested.block, v as Record<string, unknown>) : null;
    } else {
      out[name] = Array.isArray(v) ? v.map((e) => complete(nested.block, e as Record<string, unknown>)) : [];
    }
  }
  return out;
}

/**
 * The planned value with each unknown replaced by what apply produced (null when it produced
 * nothing): known planned values always stay, since Terraform rejects a result that changes them.
 */
export function settle(planned: CtyValue, actual: CtyValue | undefined): CtyValue {
  if (planned === UNKNOWN) return actual === undefined || actual === UNKNOWN ? null : actual;
  if (Array.isArray(planned)) {
    const a = Array.isArray(actual) ? actual : [];
    return planned.map((p, i) => settle(p, a[i]));
  }
  if (planned && typeof planned === 'object') {
    const a = actual && typeof actual === 'object' && !Array.isArray(actual) ? actual : {};
    return Object.fromEntries(Object.entries(planned).map(([k, p]) => [k, settle(p, a[k])]));
  }
  return planned;
}

export function settleObject(planned: CtyObject, actual: CtyObject): CtyObject {
  return settle(planned, actual) as CtyObject;
}

/** Deep equality of two cty values (object key order ignored). */
export function sameValue(a: CtyValue | undefined, b: CtyValue | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => sameValue(a[k], (b as CtyObject)[k]));
  }
  return false;
}

/** Did any of `names` change between prior and planned? */
export function changed(prior: CtyObject, planned: CtyObject, names: readonly string[]): boolean {
  return names.some((n) => !sameValue(prior[n], planned[n]));
}
