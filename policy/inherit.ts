/**
 * Organizations inheritance for management policy types (BEDROCK_POLICY, tag, backup, AI opt-out…),
 * generic over the document's keys. Pure: no I/O.
 *
 * Rules implemented (each branch below cites its source):
 *  [OPS]  https://docs.aws.amazon.com/organizations/latest/userguide/policy-operators.html
 *  [EX]   https://docs.aws.amazon.com/organizations/latest/userguide/inheritance-examples.html
 *  [MGMT] https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_inheritance_mgmt.html
 *
 * Model. A policy is parsed once into a *patch* tree (value operators + child-control per key).
 * The policies attached to one org node are combined into one node patch (deterministic order,
 * see `combinePatches`). An org node's merged *state* is its parent's state with the node patch
 * applied, copy-on-write: untouched subtrees are shared, so every account under an OU reuses the
 * OU's state and only what changes is copied. The effective policy is the state rendered with
 * operators stripped.
 *
 * Child control (engine rule, see docs/policy-engine.md): a `@@operators_allowed_for_child_policies`
 * list on a key restricts the operators lower org nodes may use on that key AND on every key below
 * it (the allowed set at a setting is the intersection along its key path). Restrictions set by an
 * org node bind only the nodes below it, never other policies attached to the same node.
 */
import { APPEND, ASSIGN, CHILD_CONTROL, REMOVE, type ValueOperator } from './document.js';

export const OP_ASSIGN = 1;
export const OP_APPEND = 2;
export const OP_REMOVE = 4;
export const OP_ALL = OP_ASSIGN | OP_APPEND | OP_REMOVE;

export type NodeKind = 'root' | 'ou' | 'account';

/** Where a value came from: the policy, the org node it is attached to, and the operator. */
export interface Provenance {
  path: string; // dotted key path, e.g. bedrock.guardrail_inference.us-east-1.config_1.identifier
  policyId: string;
  node: string; // root, OU or account id
  nodeKind: NodeKind;
  operator: ValueOperator;
}

/** A value-setting operation that did not take effect. */
export interface IgnoredOperation extends Provenance {
  reason: 'child-control' | 'type-mismatch';
  /** The operators the ancestors still allowed at that key (for messages). */
  allowed: ValueOperator[];
  value: unknown;
}

interface Tagged<T> {
  value: T;
  policyId: string;
}

/** One key of a parsed policy (or of the combined policies of one node). */
export interface PatchNode {
  ctl: number; // OP_ALL when the key carries no child-control list
  assign?: Tagged<unknown>;
  append?: Tagged<unknown[]>[];
  remove?: Tagged<unknown[]>[];
  kids?: Map<string, PatchNode>;
}

/** Merged state at one key after some chain of org nodes. Never mutated once built. */
export interface StateNode {
  readonly ctl: number;
  readonly leaf: boolean;
  readonly value?: unknown;
  readonly prov?: readonly Provenance[];
  readonly kids?: ReadonlyMap<string, StateNode>;
  /** Memoized renderings (derived, so caching them does not break immutability). */
  rendered?: unknown;
  flatProv?: Provenance[];
}

export function opsToBits(list: unknown): number {
  // Default is ["@@all"] [OPS "By default, all operators (@@all) are allowed"].
  if (!Array.isArray(list)) return OP_ALL;
  if (list.includes('@@none')) return 0; // [OPS] "@@none": lock the value
  if (list.includes('@@all')) return OP_ALL;
  let bits = 0;
  for (const op of list) {
    if (op === ASSIGN) bits |= OP_ASSIGN;
    else if (op === APPEND) bits |= OP_APPEND;
    else if (op === REMOVE) bits |= OP_REMOVE;
  }
  return bits;
}

export function bitsToOps(bits: number): ValueOperator[] {
  const out: ValueOperator[] = [];
  if (bits & OP_ASSIGN) out.push(ASSIGN);
  if (bits & OP_APPEND) out.push(APPEND);
  if (bits & OP_REMOVE) out.push(REMOVE);
  return out;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses policy content (object or JSON string) into a patch tree. Throws on invalid JSON. */
export function parsePolicy(content: unknown, policyId: string): PatchNode {
  const doc = typeof content === 'string' ? JSON.parse(content) : content;
  if (!isPlainObject(doc)) throw new Error(`policy ${policyId}: content must be a JSON object`);
  return parseNode(doc, policyId);
}

function parseNode(obj: Record<string, unknown>, policyId: string): PatchNode {
  const node: PatchNode = { ctl: OP_ALL };
  for (const [k, v] of Object.entries(obj)) {
    if (k === ASSIGN) node.assign = { value: cloneJson(v), policyId };
    else if (k === APPEND) node.append = [{ value: asList(v), policyId }];
    else if (k === REMOVE) node.remove = [{ value: asList(v), policyId }];
    else if (k === CHILD_CONTROL) node.ctl = opsToBits(v);
    else if (k.startsWith('@@'))
      continue; // unknown operator: reported by the validator, no effect here
    else {
      // A bare value is read as @@assign (lenient reading; the validator rejects it in documents
      // because AWS requires operators — an effective policy "can't be used directly as a new policy" [EX]).
      const child = isPlainObject(v) ? parseNode(v, policyId) : { ctl: OP_ALL, assign: { value: cloneJson(v), policyId } };
      (node.kids ??= new Map()).set(k, child);
    }
  }
  return node;
}

function asList(v: unknown): unknown[] {
  return Array.isArray(v) ? cloneJson(v) : [cloneJson(v)];
}
function cloneJson<T>(v: T): T {
  if (Array.isArray(v)) return v.map(cloneJson) as T;
  if (isPlainObject(v)) {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v)) o[k] = cloneJson(v[k]);
    return o as T;
  }
  return v;
}

/**
 * Combines the policies attached to ONE org node, given in evaluation order.
 * - Conflicting @@assign at the same node: the policy evaluated first wins — [EX Example 6]
 *   "Policies are evaluated based on the order in which they were attached… PROJECT is used…
 *   because the policy that defined it was attached to the organization root first".
 *   Callers pass the policies sorted by policy id as the deterministic stand-in for attachment
 *   order (a snapshot does not carry attachment times).
 * - @@append / @@remove from several policies all apply, in that order.
 * - Child-control lists at the same node intersect — [EX Example 5] "the intersection of the
 *   allowed operators is used".
 */
export function combinePatches(patches: PatchNode[]): PatchNode {
  if (patches.length === 1) return patches[0];
  const out: PatchNode = { ctl: OP_ALL };
  for (const p of patches) mergeInto(out, p);
  return out;
}

function mergeInto(into: PatchNode, p: PatchNode): void {
  into.ctl &= p.ctl;
  if (p.assign && !into.assign) into.assign = p.assign;
  if (p.append) (into.append ??= []).push(...p.append);
  if (p.remove) (into.remove ??= []).push(...p.remove);
  if (p.kids) {
    into.kids ??= new Map();
    for (const [k, kp] of p.kids) {
      let target = into.kids.get(k);
      if (!target) {
        target = { ctl: OP_ALL };
        into.kids.set(k, target);
      }
      mergeInto(target, kp);
    }
  }
}

export interface ApplyContext {
  node: string;
  nodeKind: NodeKind;
  ignored: IgnoredOperation[];
}

function keyOf(v: unknown): unknown {
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : v;
}

/**
 * Applies one org node's combined patch to the inherited state (undefined = nothing inherited).
 * `allowedAbove` is the intersection of child-control lists on the enclosing keys.
 * Returns the same object when nothing changed (so siblings keep sharing it).
 */
export function applyPatch(
  state: StateNode | undefined,
  patch: PatchNode,
  allowedAbove: number,
  ctx: ApplyContext,
  path: string,
): StateNode | undefined {
  // Only restrictions inherited from ancestors bind this node's operators [OPS note:
  // "If you include child control operators in a parent policy, they limit the value-setting
  // operators in all child policies"]; the node's own lists are folded in below, for its children.
  const allowed = allowedAbove & (state ? state.ctl : OP_ALL);
  let leaf = state ? state.leaf : false;
  let value = state?.value;
  let prov = state?.prov;
  let changed = false;

  if (patch.assign) {
    // [OPS] @@assign "overwrites any inherited policy settings… If the specified setting isn't
    // inherited, this operator adds it"; for arrays it "removes any inherited values and replaces them".
    if (allowed & OP_ASSIGN) {
      leaf = true;
      value = patch.assign.value;
      prov = [source(path, patch.assign.policyId, ctx, ASSIGN)];
      changed = true;
    } else ignore(ctx, path, patch.assign, ASSIGN, 'child-control', allowed); // [EX Example 4]: the disallowed change does not take effect
  }
  if (patch.append) {
    for (const a of patch.append) {
      // [OPS] @@append "adds the specified settings (without removing any)… If the specified setting
      // isn't inherited, this operator adds it"; multi-valued settings only. Items already present
      // are not repeated (order of first appearance kept).
      if (!(allowed & OP_APPEND)) {
        ignore(ctx, path, a, APPEND, 'child-control', allowed);
        continue;
      }
      if (leaf && !Array.isArray(value)) {
        ignore(ctx, path, a, APPEND, 'type-mismatch', allowed);
        continue;
      }
      const base = leaf ? (value as unknown[]) : [];
      const add = appendable(base, a.value);
      if (add.length > 0 || !leaf) {
        value = add.length ? base.concat(add) : base;
        leaf = true;
        prov = (prov ?? []).concat(source(path, a.policyId, ctx, APPEND));
        changed = true;
      }
    }
  }
  if (patch.remove) {
    for (const r of patch.remove) {
      // [OPS] @@remove "removes only the specified values from the array… Other values can continue
      // to exist". A list emptied by @@remove disappears from the effective policy [EX Example 3:
      // enforced_for, emptied by policy D, is absent from account 999999999999's effective policy].
      if (!(allowed & OP_REMOVE)) {
        ignore(ctx, path, r, REMOVE, 'child-control', allowed);
        continue;
      }
      if (!leaf) continue;
      if (!Array.isArray(value)) {
        ignore(ctx, path, r, REMOVE, 'type-mismatch', allowed);
        continue;
      }
      const kept = without(value, r.value);
      if (kept.length === value.length) continue;
      changed = true;
      if (kept.length === 0) {
        leaf = false;
        value = undefined;
        prov = undefined;
      } else {
        value = kept;
        prov = (prov ?? []).concat(source(path, r.policyId, ctx, REMOVE));
      }
    }
  }

  let kids = state?.kids;
  if (patch.kids) {
    let copy: Map<string, StateNode> | undefined;
    for (const [k, kp] of patch.kids) {
      const before = kids?.get(k);
      const after = applyPatch(before, kp, allowed, ctx, path ? `${path}.${k}` : k);
      if (after !== before) {
        copy ??= new Map(kids);
        if (after) copy.set(k, after);
        else copy.delete(k);
      }
    }
    if (copy) {
      kids = copy;
      changed = true;
    }
  }

  // [MGMT/OPS] "If an inherited child control operator limits the use of an operator, you can't
  // reverse that rule in a child policy": restrictions only ever narrow (bitwise AND).
  const ctl = (state ? state.ctl : OP_ALL) & patch.ctl;
  if (!changed && state && ctl === state.ctl) return state;
  if (!changed && !state && ctl === OP_ALL) return undefined;
  return { ctl, leaf, value, prov, kids, rendered: undefined, flatProv: undefined };
}

function source(path: string, policyId: string, ctx: ApplyContext, operator: ValueOperator): Provenance {
  return { path, policyId, node: ctx.node, nodeKind: ctx.nodeKind, operator };
}

function ignore(
  ctx: ApplyContext,
  path: string,
  t: Tagged<unknown>,
  operator: ValueOperator,
  reason: IgnoredOperation['reason'],
  allowed: number,
): void {
  ctx.ignored.push({
    path,
    policyId: t.policyId,
    node: ctx.node,
    nodeKind: ctx.nodeKind,
    operator,
    reason,
    allowed: bitsToOps(allowed),
    value: t.value,
  });
}

function appendable(base: unknown[], items: unknown[]): unknown[] {
  const seen = new Set<unknown>();
  for (const x of base) seen.add(keyOf(x));
  const add: unknown[] = [];
  for (const x of items) {
    const k = keyOf(x);
    if (!seen.has(k)) {
      seen.add(k);
      add.push(x);
    }
  }
  return add;
}

function without(values: unknown[], drop: unknown[]): unknown[] {
  const d = new Set<unknown>();
  for (const x of drop) d.add(keyOf(x));
  const kept: unknown[] = [];
  for (const x of values) if (!d.has(keyOf(x))) kept.push(x);
  return kept;
}

const NOT_RENDERED = Symbol('not rendered');

/** The state as DescribeEffectivePolicy shows it: operators stripped, plain values [EX notes]. */
export function render(state: StateNode | undefined): unknown {
  if (!state) return undefined;
  if (state.rendered !== undefined) return state.rendered === NOT_RENDERED ? undefined : state.rendered;
  let out: unknown;
  if (state.leaf) out = state.value;
  else if (state.kids) {
    let o: Record<string, unknown> | undefined;
    for (const [k, kid] of state.kids) {
      const r = render(kid);
      if (r !== undefined) (o ??= {})[k] = r;
    }
    out = o;
  }
  state.rendered = out === undefined ? NOT_RENDERED : out;
  return out;
}

const NO_PROV: Provenance[] = [];

/** Flat provenance of every rendered value, in document order. */
export function provenanceOf(state: StateNode | undefined): Provenance[] {
  if (!state) return NO_PROV;
  if (state.flatProv) return state.flatProv;
  let out: Provenance[];
  if (state.leaf) out = (state.prov ?? NO_PROV) as Provenance[];
  else {
    out = NO_PROV;
    if (state.kids)
      for (const kid of state.kids.values()) {
        const sub = provenanceOf(kid);
        if (sub.length) out = out.length ? out.concat(sub) : sub;
      }
  }
  state.flatProv = out;
  return out;
}
