/**
 * Organization-tree helpers (pure): parents, ancestors, OU paths, accounts under an OU.
 * Indexes are built once per Organization object (WeakMap), so calls stay O(depth) / O(result)
 * on 10,000-account organizations. Treat an Organization as immutable once indexed (the cache is
 * keyed by object identity).
 */
import type { Account, Environment, Organization, OrgUnit } from './types.js';

export type NodeKind = 'root' | 'ou' | 'account';

export interface OrgIndex {
  rootId: string;
  kind: Map<string, NodeKind>;
  parent: Map<string, string>;
  /** Direct child OUs and accounts of the root or an OU. */
  childOus: Map<string, string[]>;
  childAccounts: Map<string, string[]>;
  accounts: Map<string, Account>;
  ous: Map<string, OrgUnit>;
  /** Position of each account in organization.accounts (file order). */
  order: Map<string, number>;
}

const cache = new WeakMap<Organization, OrgIndex>();

/** Builds (or returns the cached) index of an organization. Assumes a validated organization. */
export function orgIndex(org: Organization): OrgIndex {
  const hit = cache.get(org);
  if (hit) return hit;
  const idx: OrgIndex = {
    rootId: org.root.id,
    kind: new Map([[org.root.id, 'root']]),
    parent: new Map(),
    childOus: new Map([[org.root.id, []]]),
    childAccounts: new Map([[org.root.id, []]]),
    accounts: new Map(),
    ous: new Map(),
    order: new Map(),
  };
  for (const ou of org.ous) {
    idx.kind.set(ou.id, 'ou');
    idx.ous.set(ou.id, ou);
    idx.parent.set(ou.id, ou.parent);
    if (!idx.childOus.has(ou.id)) idx.childOus.set(ou.id, []);
    if (!idx.childAccounts.has(ou.id)) idx.childAccounts.set(ou.id, []);
  }
  for (const ou of org.ous) (idx.childOus.get(ou.parent) ?? setNew(idx.childOus, ou.parent)).push(ou.id);
  for (const [i, a] of org.accounts.entries()) {
    idx.order.set(a.id, i);
    idx.kind.set(a.id, 'account');
    idx.accounts.set(a.id, a);
    idx.parent.set(a.id, a.parent);
    (idx.childAccounts.get(a.parent) ?? setNew(idx.childAccounts, a.parent)).push(a.id);
  }
  cache.set(org, idx);
  return idx;
}
function setNew(m: Map<string, string[]>, k: string): string[] {
  const v: string[] = [];
  m.set(k, v);
  return v;
}

const orgOf = (o: Organization | Environment): Organization => ('organization' in o ? o.organization : o);

export function kindOf(o: Organization | Environment, id: string): NodeKind | undefined {
  return orgIndex(orgOf(o)).kind.get(id);
}

export function findAccount(o: Organization | Environment, id: string): Account | undefined {
  return orgIndex(orgOf(o)).accounts.get(id);
}
export function findOu(o: Organization | Environment, id: string): OrgUnit | undefined {
  return orgIndex(orgOf(o)).ous.get(id);
}

/** Ancestors of an account or OU, nearest first, ending with the root id. Cycle-safe. */
export function ancestorsOf(o: Organization | Environment, id: string): string[] {
  const idx = orgIndex(orgOf(o));
  const out: string[] = [];
  const seen = new Set<string>([id]);
  let cur = idx.parent.get(id);
  while (cur !== undefined && !seen.has(cur)) {
    out.push(cur);
    seen.add(cur);
    cur = idx.parent.get(cur);
  }
  return out;
}

/** Ids from the root down to `id` (inclusive): ["r-ab12", "ou-ab12-11111111", "222222222222"]. */
export function ouPath(o: Organization | Environment, id: string): string[] {
  return [...ancestorsOf(o, id)].reverse().concat(id);
}

/** Human path of names: "Root/Workloads/Prod/payments-prod". */
export function namePath(o: Organization | Environment, id: string): string {
  const org = orgOf(o);
  const idx = orgIndex(org);
  const name = (x: string) => (x === idx.rootId ? org.root.name : (idx.ous.get(x)?.name ?? idx.accounts.get(x)?.name ?? x));
  return ouPath(org, id).map(name).join('/');
}

/**
 * `aws:PrincipalOrgPaths` value of an account: "o-…/r-…/ou-…/ou-…/" (the account's parent chain;
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths).
 */
export function orgPathOf(env: Environment, accountId: string): string {
  return `${[env.organizationId, ...ouPath(env, accountId).slice(0, -1)].join('/')}/`;
}

/** True when `id` is `ancestorId` or sits below it. */
export function isUnder(o: Organization | Environment, id: string, ancestorId: string): boolean {
  return id === ancestorId || ancestorsOf(o, id).includes(ancestorId);
}

/** OUs below an OU or the root, recursively (breadth-first, not including it). */
export function ousUnder(o: Organization | Environment, id: string): OrgUnit[] {
  const idx = orgIndex(orgOf(o));
  const out: OrgUnit[] = [];
  const queue = [...(idx.childOus.get(id) ?? [])];
  for (let i = 0; i < queue.length; i++) {
    const ou = idx.ous.get(queue[i])!;
    out.push(ou);
    queue.push(...(idx.childOus.get(ou.id) ?? []));
  }
  return out;
}

/** Accounts below an OU or the root, recursively, in organization-file order. */
export function accountsUnder(o: Organization | Environment, id: string): Account[] {
  const org = orgOf(o);
  const idx = orgIndex(org);
  if (id === idx.rootId) return [...org.accounts];
  const ids = [id, ...ousUnder(org, id).map((u) => u.id)].flatMap((ou) => idx.childAccounts.get(ou) ?? []);
  return ids.sort((a, b) => idx.order.get(a)! - idx.order.get(b)!).map((a) => idx.accounts.get(a)!);
}

/** Account ids a target (account, OU or root id) covers. Unknown ids cover nothing. */
export function accountsInScope(o: Organization | Environment, targetId: string): string[] {
  const org = orgOf(o);
  const kind = orgIndex(org).kind.get(targetId);
  if (kind === 'account') return [targetId];
  if (kind === 'ou' || kind === 'root') return accountsUnder(org, targetId).map((a) => a.id);
  return [];
}

/** Depth of an OU below the root (a top-level OU is 1). */
export function ouDepth(o: Organization | Environment, ouId: string): number {
  return ancestorsOf(o, ouId).length;
}
