/**
 * Semantic JSON equality for the policy arguments of the TEST DOUBLE of hashicorp/aws (never used
 * against AWS), as the provider suppresses diffs between equivalent documents:
 * - `jsonEquivalent`: same JSON value, key order and whitespace ignored
 *   (verify.SuppressEquivalentJSONDiffs, aws_organizations_policy.content);
 * - `iamPolicyEquivalent`: additionally a string equals a one-element array and the order of
 *   statements and of string lists does not matter (fwtypes.IAMPolicy / awspolicyequivalence,
 *   aws_bedrock_guardrail_resource_policy.policy).
 * https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/verify/json.go
 * https://github.com/hashicorp/awspolicyequivalence
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function parse(text: string): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

/** Canonical text: object keys sorted. */
function canonical(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(v[k]!)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export function jsonEquivalent(a: string, b: string): boolean {
  if (a === b) return true;
  const pa = parse(a);
  const pb = parse(b);
  return pa !== undefined && pb !== undefined && canonical(pa) === canonical(pb);
}

/** Policy keys whose values are sets of strings (a lone string = a one-element set). */
const STRING_SET_KEYS = new Set(['Action', 'NotAction', 'Resource', 'NotResource']);

function asSortedSet(v: Json): Json {
  const list = Array.isArray(v) ? v : [v];
  return list.every((x) => typeof x === 'string') ? [...new Set(list as string[])].sort() : list;
}

function normalizeStatement(s: Json): Json {
  if (!s || typeof s !== 'object' || Array.isArray(s)) return s;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(s)) {
    if (STRING_SET_KEYS.has(k)) out[k] = asSortedSet(v);
    else if ((k === 'Principal' || k === 'NotPrincipal') && v && typeof v === 'object' && !Array.isArray(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([pk, pv]) => [pk, asSortedSet(pv)]));
    } else if (k === 'Condition' && v && typeof v === 'object' && !Array.isArray(v)) {
      out[k] = Object.fromEntries(
        Object.entries(v).map(([op, keys]) => [
          op,
          keys && typeof keys === 'object' && !Array.isArray(keys)
            ? Object.fromEntries(Object.entries(keys).map(([ck, cv]) => [ck, asSortedSet(cv)]))
            : keys,
        ]),
      );
    } else out[k] = v;
  }
  return out;
}

function normalizePolicy(p: Json): Json {
  if (!p || typeof p !== 'object' || Array.isArray(p)) return p;
  const statements = Array.isArray(p.Statement) ? p.Statement : p.Statement === undefined ? [] : [p.Statement];
  return { ...p, Statement: statements.map(normalizeStatement).map(canonical).sort() };
}

export function iamPolicyEquivalent(a: string, b: string): boolean {
  if (a === b) return true;
  const pa = parse(a);
  const pb = parse(b);
  return pa !== undefined && pb !== undefined && canonical(normalizePolicy(pa)) === canonical(normalizePolicy(pb));
}

/** `configured` when it is valid JSON, else the error message for a config-time diagnostic. */
export function jsonError(text: string): string | undefined {
  return parse(text) === undefined ? 'must be valid JSON' : undefined;
}
