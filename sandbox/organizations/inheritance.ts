/**
 * The emulator's own Organizations inheritance for management policy types (BEDROCK_POLICY),
 * written from AWS's rules and deliberately naive: every account is evaluated from scratch along
 * its root → OU → account path, nothing is cached or shared. It is the independent oracle that
 * test/sandbox/organizations/inheritance-oracle.test.ts compares with the policy engine (policy/),
 * so it shares no code with it. Pure: no I/O, no sandbox state.
 *
 * AWS's rules:
 *  [OPS]  https://docs.aws.amazon.com/organizations/latest/userguide/policy-operators.html
 *  [EX]   https://docs.aws.amazon.com/organizations/latest/userguide/inheritance-examples.html
 *  [MGMT] https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_inheritance_mgmt.html
 * Where AWS says nothing, this follows the readings docs/policy-engine.md documents ("Where AWS is
 * silent"); each such place is marked "AWS is silent" below. docs/sandbox.md lists them too.
 */

export type ValueOperator = '@@assign' | '@@append' | '@@remove';

const ASSIGN = '@@assign';
const APPEND = '@@append';
const REMOVE = '@@remove';
const CHILD_CONTROL = '@@operators_allowed_for_child_policies';
const EVERY_OPERATOR: readonly ValueOperator[] = [ASSIGN, APPEND, REMOVE];

/** The organization tree: the root id, and the parent of every OU and account. */
export interface OrgTree {
  root: string;
  ous: readonly { id: string; parent: string }[];
  accounts: readonly { id: string; parent: string }[];
}

/** A policy of the evaluated type and the roots, OUs and accounts it is attached to. */
export interface AttachedPolicy {
  id: string;
  /** The policy document: JSON text or an already parsed object (anything else is refused). */
  content: unknown;
  targets: readonly string[];
}

/** One key of the effective policy while it is being built. */
interface Key {
  /** True once a value-setting operator gave this key a value. */
  hasValue: boolean;
  value?: unknown;
  /**
   * Operators that policies on LOWER org nodes may use on this key and every key below it
   * (@@operators_allowed_for_child_policies, intersected over every org node so far).
   */
  allowedBelow: ValueOperator[];
  children: Map<string, Key>;
}

const newKey = (): Key => ({ hasValue: false, allowedBelow: [...EVERY_OPERATOR], children: new Map() });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Two list items are the same when their JSON is the same. */
const sameItem = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const copy = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/** The account's org nodes, root first: the root, each OU from the root down, the account. */
export function pathOf(org: OrgTree, account: string): string[] {
  const acc = org.accounts.find((a) => a.id === account);
  if (!acc) throw new Error(`account ${account} is not in the organization`);
  const path = [account];
  let parent = acc.parent;
  while (parent !== org.root) {
    const ou = org.ous.find((o) => o.id === parent);
    if (!ou || path.includes(parent)) throw new Error(`account ${account}: ${parent} is neither the root nor an OU on a path to it`);
    path.unshift(parent);
    parent = ou.parent;
  }
  path.unshift(org.root);
  return path;
}

/**
 * The account's effective policy as DescribeEffectivePolicy shows it: inheritance operators
 * stripped, plain values. null when no policy of the type is attached anywhere on its path
 * (AWS answers EffectivePolicyNotFoundException).
 */
export function effectivePolicyOf(org: OrgTree, policies: readonly AttachedPolicy[], account: string): Record<string, unknown> | null {
  const top = newKey();
  let anyPolicy = false;
  // [MGMT] the policies attached to the root are evaluated first, then those of each OU on the path
  // from the root down, then those attached to the account.
  for (const node of pathOf(org, account)) {
    // AWS: several policies on one node are evaluated in the order they were attached, the first
    // attached wins a conflict [EX Example 6]. The policy engine has no attachment order and uses
    // ascending policy id instead; the emulator follows it, so both answer the same.
    const here = policies.filter((p) => p.targets.includes(node)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (here.length === 0) continue;
    anyPolicy = true;
    applyNode(
      top,
      here.map((p) => parseDocument(p)),
      [...EVERY_OPERATOR],
    );
  }
  if (!anyPolicy) return null;
  const out = render(top);
  // AWS is silent on an effective policy whose policies leave nothing: like the engine, {} (there
  // IS a policy on the path, so "no effective policy" would be wrong).
  return isObject(out) ? out : {};
}

function parseDocument(p: AttachedPolicy): Record<string, unknown> {
  const doc = typeof p.content === 'string' ? (JSON.parse(p.content) as unknown) : copy(p.content);
  if (!isObject(doc)) throw new Error(`policy ${p.id}: the content is not a JSON object`);
  return doc;
}

/**
 * Applies, at one key, what the policies of one org node say about it (`parts`: that key's object
 * in each policy that has it, in evaluation order), then recurses into the keys below.
 * `allowedAbove`: what the enclosing keys still allow this org node to do.
 */
function applyNode(key: Key, parts: Record<string, unknown>[], allowedAbove: readonly ValueOperator[]): void {
  // Only lists set by org nodes ABOVE bind this one ([OPS] note: child control operators "limit the
  // value-setting operators in all child policies"); this node's own lists are recorded after it.
  // A list on a container applies to every key below it (AWS is silent; the engine's reading).
  const allowed = allowedAbove.filter((op) => key.allowedBelow.includes(op));

  // AWS is silent on the order of several operators at one key within one org node: the engine
  // applies the first @@assign, then every @@append, then every @@remove, in policy order.
  const assign = parts.find((p) => ASSIGN in p);
  if (assign && allowed.includes(ASSIGN)) {
    // [OPS] @@assign overwrites the inherited value (a list is replaced whole) or adds the setting.
    // [EX Example 6] at one node, the first policy's value wins; later @@assigns do not apply.
    key.hasValue = true;
    key.value = copy(assign[ASSIGN]);
  }
  // [EX Example 4] an operator the parents do not allow simply does not take effect.
  if (allowed.includes(APPEND)) for (const p of parts) if (APPEND in p) append(key, asList(p[APPEND]));
  if (allowed.includes(REMOVE)) for (const p of parts) if (REMOVE in p) remove(key, asList(p[REMOVE]));

  // The keys below, in the order they first appear. A bare value (no operator) is read as @@assign
  // (AWS is silent: it requires operators in policies; the engine's lenient reading).
  const names: string[] = [];
  for (const p of parts) for (const name of Object.keys(p)) if (!name.startsWith('@@') && !names.includes(name)) names.push(name);
  for (const name of names) {
    const below = parts.filter((p) => name in p).map((p) => (isObject(p[name]) ? p[name] : { [ASSIGN]: p[name] }));
    let child = key.children.get(name);
    if (!child) {
      child = newKey();
      key.children.set(name, child);
    }
    applyNode(child, below, allowed);
  }

  // [EX Example 5] several lists at one node: their intersection. [OPS] an inherited restriction
  // "can't be reversed" lower down: lists only ever narrow what was allowed.
  for (const p of parts) if (CHILD_CONTROL in p) key.allowedBelow = key.allowedBelow.filter((op) => allows(p[CHILD_CONTROL], op));
}

/** Whether a child-control list lets lower policies use `op`. [OPS] default ["@@all"]. */
function allows(list: unknown, op: ValueOperator): boolean {
  if (!Array.isArray(list)) return true;
  if (list.includes('@@none')) return false;
  return list.includes('@@all') || list.includes(op);
}

/** AWS is silent on a single value given to @@append/@@remove: the engine reads it as a one-item list. */
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? copy(v) : [copy(v)]);

/**
 * [OPS] @@append adds the values to the inherited list (or adds the setting when nothing is
 * inherited). AWS is silent on values already present: they are not repeated (the engine's reading).
 * AWS accepts @@append on lists only; on a key that holds a non-list value it does nothing here.
 */
function append(key: Key, items: unknown[]): void {
  if (key.hasValue && !Array.isArray(key.value)) return;
  const list = key.hasValue ? (key.value as unknown[]) : [];
  for (const item of items) if (!list.some((x) => sameItem(x, item))) list.push(item);
  key.hasValue = true;
  key.value = list;
}

/**
 * [OPS] @@remove deletes the values from the inherited list; the others stay. A list emptied by
 * @@remove disappears from the effective policy [EX Example 3]. Nothing inherited: nothing to do.
 * AWS is silent on a list that was already empty: a @@remove that removes nothing leaves it as it
 * is (an explicit `[]` stays), as in the engine.
 */
function remove(key: Key, items: unknown[]): void {
  if (!key.hasValue || !Array.isArray(key.value)) return;
  const kept = key.value.filter((x) => !items.some((item) => sameItem(x, item)));
  if (kept.length === key.value.length) return;
  if (kept.length === 0) {
    key.hasValue = false;
    key.value = undefined;
  } else key.value = kept;
}

/** [EX] the effective policy shows plain values: operators stripped, keys without a value left out. */
function render(key: Key): unknown {
  if (key.hasValue) return copy(key.value);
  const out: Record<string, unknown> = {};
  for (const [name, child] of key.children) {
    const v = render(child);
    if (v !== undefined) out[name] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
