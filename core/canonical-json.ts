import { createHash } from 'node:crypto';

/**
 * The one canonical JSON: object keys sorted at every level, `undefined` members dropped, so
 * equal values always give byte-identical text (content hashes, plan hashes, comparisons).
 */

export interface CanonicalOptions {
  /**
   * Sort lists made only of strings (model ids, account ids): for comparisons where such a list
   * is a set. Never used for hashes, where order is content.
   */
  readonly stringListsAsSets?: boolean;
}

export function canonicalJson(value: unknown, options: CanonicalOptions = {}): string {
  return JSON.stringify(canonicalValue(value, options));
}

/** The value `canonicalJson` serialises (sorted keys, `undefined` dropped). */
export function canonicalValue(value: unknown, options: CanonicalOptions = {}): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => canonicalValue(v, options));
    if (options.stringListsAsSets && items.every((x) => typeof x === 'string')) return [...(items as string[])].sort();
    return items;
  }
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort()) if (o[k] !== undefined) out[k] = canonicalValue(o[k], options);
    return out;
  }
  return value;
}

/** sha256 hex of the canonical JSON: the content hash of releases, units, suites and plans. */
export function canonicalSha256(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
