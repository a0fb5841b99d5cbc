/**
 * Effective BEDROCK_POLICY per account, computed before anything is deployed.
 * Order of evaluation [DOC https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_inheritance_mgmt.html]:
 * policies attached to the root, then each OU on the path from the root down (outermost first),
 * then the policies attached directly to the account. An account with no policy on that path has
 * no effective policy (DescribeEffectivePolicy: EffectivePolicyNotFoundException) → null.
 *
 * Determinism: several policies on one node are evaluated in ascending policy-id order (the
 * stand-in for attachment order, which a snapshot does not carry), so the result never depends on
 * the order policies or targets are listed.
 *
 * Results share structure between accounts (same objects for identical subtrees): read-only.
 */
import {
  OP_ALL,
  applyPatch,
  combinePatches,
  parsePolicy,
  provenanceOf,
  render,
  type IgnoredOperation,
  type NodeKind,
  type PatchNode,
  type Provenance,
  type StateNode,
} from './inherit.js';

export type { Provenance, IgnoredOperation, NodeKind } from './inherit.js';

export interface OrgSnapshot {
  root: string;
  ous: { id: string; parent: string }[];
  accounts: { id: string; parent: string }[];
  policies: { id: string; content: unknown /* object or JSON string */; targets: string[] }[];
}

type TreeNode = { readonly id: string; readonly parent: string };
/** Anything with an organization tree: an Environment, or the sandbox's organization state. */
export interface HasOrgTree {
  organization: { readonly root: { readonly id: string }; readonly ous: readonly TreeNode[]; readonly accounts: readonly TreeNode[] };
}

/** The snapshot of an organization tree (environment or sandbox state), carrying `policies`. */
export function orgSnapshotOf(env: HasOrgTree, policies: OrgSnapshot['policies'] = []): OrgSnapshot {
  return {
    root: env.organization.root.id,
    ous: env.organization.ous.map((o) => ({ id: o.id, parent: o.parent })),
    accounts: env.organization.accounts.map((a) => ({ id: a.id, parent: a.parent })),
    policies,
  };
}

/** A policy attached on an account's path, in evaluation order. */
export interface PolicySource {
  policyId: string;
  node: string;
  nodeKind: NodeKind;
}

export interface EffectiveResult {
  /** As DescribeEffectivePolicy shows it (operators stripped); null when no policy is on the path. */
  policy: Record<string, unknown> | null;
  /** For each leaf path: which policy and node set it (several entries when appended/removed to). */
  provenance: Provenance[];
  /** Policies on the path, root first. */
  sources: PolicySource[];
  /** Operations that did not take effect (locked by a parent's child-control, or wrong type). */
  ignored: IgnoredOperation[];
}

/** Structural problems of a snapshot (unknown parents, cycles, unknown targets, duplicates). */
export function snapshotProblems(org: OrgSnapshot): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const ouIds = new Set<string>();
  const nodeIds = new Set<string>([org.root]);
  org.ous.forEach((ou, i) => {
    if (nodeIds.has(ou.id)) problems.push({ path: `ous[${i}].id`, message: `duplicate node id "${ou.id}"` });
    ouIds.add(ou.id);
    nodeIds.add(ou.id);
  });
  org.accounts.forEach((a, i) => {
    if (nodeIds.has(a.id)) problems.push({ path: `accounts[${i}].id`, message: `duplicate node id "${a.id}"` });
    nodeIds.add(a.id);
  });
  const parentOk = (p: string) => p === org.root || ouIds.has(p);
  org.ous.forEach((ou, i) => {
    if (!parentOk(ou.parent))
      problems.push({ path: `ous[${i}].parent`, message: `"${ou.parent}" is neither the root nor an OU of the snapshot` });
  });
  org.accounts.forEach((a, i) => {
    if (!parentOk(a.parent))
      problems.push({ path: `accounts[${i}].parent`, message: `"${a.parent}" is neither the root nor an OU of the snapshot` });
  });
  // OUs that cannot be reached from the root form a cycle (or hang off one).
  const reached = new Set<string>();
  const kids = childIndex(org);
  const stack = [org.root];
  while (stack.length) {
    const n = stack.pop()!;
    for (const c of kids.ous.get(n) ?? [])
      if (!reached.has(c)) {
        reached.add(c);
        stack.push(c);
      }
  }
  org.ous.forEach((ou, i) => {
    if (!reached.has(ou.id) && parentOk(ou.parent))
      problems.push({ path: `ous[${i}]`, message: `OU "${ou.id}" is not reachable from the root (cycle in parents)` });
  });
  const policyIds = new Set<string>();
  org.policies.forEach((p, i) => {
    if (policyIds.has(p.id)) problems.push({ path: `policies[${i}].id`, message: `duplicate policy id "${p.id}"` });
    policyIds.add(p.id);
    p.targets.forEach((t, j) => {
      if (!nodeIds.has(t))
        problems.push({ path: `policies[${i}].targets[${j}]`, message: `"${t}" is not the root, an OU or an account of the snapshot` });
    });
    try {
      parsePolicy(p.content, p.id);
    } catch (e) {
      problems.push({ path: `policies[${i}].content`, message: `not a JSON object policy document (${(e as Error).message})` });
    }
  });
  return problems;
}

function childIndex(org: OrgSnapshot) {
  const ous = new Map<string, string[]>();
  const accounts = new Map<string, string[]>();
  for (const ou of org.ous) {
    const l = ous.get(ou.parent);
    if (l) l.push(ou.id);
    else ous.set(ou.parent, [ou.id]);
  }
  for (const a of org.accounts) {
    const l = accounts.get(a.parent);
    if (l) l.push(a.id);
    else accounts.set(a.parent, [a.id]);
  }
  return { ous, accounts };
}

function assertSound(org: OrgSnapshot): void {
  const problems = snapshotProblems(org);
  if (problems.length) throw new Error(`invalid organization snapshot: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
}

/** Indexes shared by the top-down and the per-account evaluators. */
export class PolicyIndex {
  private readonly parsed = new Map<string, PatchNode>();
  private readonly combined = new Map<string, PatchNode>();
  /** node id → attached policy ids, sorted (the determinism rule). */
  readonly attached = new Map<string, string[]>();
  private readonly content = new Map<string, unknown>();

  constructor(org: OrgSnapshot) {
    for (const p of org.policies) {
      this.content.set(p.id, p.content);
      for (const t of new Set(p.targets)) {
        const l = this.attached.get(t);
        if (l) l.push(p.id);
        else this.attached.set(t, [p.id]);
      }
    }
    for (const l of this.attached.values()) l.sort(compareIds);
  }

  private patchOf(id: string): PatchNode {
    let p = this.parsed.get(id);
    if (!p) {
      p = parsePolicy(this.content.get(id), id);
      this.parsed.set(id, p);
    }
    return p;
  }

  /** Combined patch of a node's policies; memoized per policy set (many nodes share one). */
  nodePatch(node: string, memo = true): PatchNode | undefined {
    const ids = this.attached.get(node);
    if (!ids || ids.length === 0) return undefined;
    if (!memo) return combinePatches(ids.map((id) => this.patchOf(id)));
    const key = ids.join('\u0000');
    let c = this.combined.get(key);
    if (!c) {
      c = combinePatches(ids.map((id) => this.patchOf(id)));
      this.combined.set(key, c);
    }
    return c;
  }
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The merged state after one more org node. */
interface Step {
  state: StateNode | undefined;
  any: boolean; // some policy on the path so far
  sources: PolicySource[];
  ignored: IgnoredOperation[];
}

const EMPTY: Step = { state: undefined, any: false, sources: [], ignored: [] };

function step(index: PolicyIndex, prev: Step, node: string, nodeKind: NodeKind, memo = true): Step {
  const patch = index.nodePatch(node, memo);
  if (!patch) return prev;
  const ignored: IgnoredOperation[] = [];
  const state = applyPatch(prev.state, patch, OP_ALL, { node, nodeKind, ignored }, '');
  const sources = prev.sources.concat(index.attached.get(node)!.map((policyId) => ({ policyId, node, nodeKind })));
  return { state, any: true, sources, ignored: ignored.length ? prev.ignored.concat(ignored) : prev.ignored };
}

function toResult(s: Step): EffectiveResult {
  if (!s.any) return { policy: null, provenance: [], sources: [], ignored: [] };
  const rendered = render(s.state);
  return {
    policy: (rendered && typeof rendered === 'object' && !Array.isArray(rendered) ? rendered : {}) as Record<string, unknown>,
    provenance: provenanceOf(s.state),
    sources: s.sources,
    ignored: s.ignored,
  };
}

/**
 * Effective policy of every account, computed top-down: each OU's merged state is computed once
 * and shared by everything below it (this is what makes 10k accounts fast).
 */
export function effectivePolicies(org: OrgSnapshot): Map<string, EffectiveResult> {
  assertSound(org);
  const index = new PolicyIndex(org);
  const kids = childIndex(org);
  const out = new Map<string, EffectiveResult>();
  const stack: [string, NodeKind, Step][] = [[org.root, 'root', EMPTY]];
  const results = new Map<string, EffectiveResult>();
  while (stack.length) {
    const [node, kind, parent] = stack.pop()!;
    const s = step(index, parent, node, kind);
    for (const a of kids.accounts.get(node) ?? []) results.set(a, toResult(step(index, s, a, 'account')));
    for (const ou of kids.ous.get(node) ?? []) stack.push([ou, 'ou', s]);
  }
  // Output in snapshot order of accounts (stable for JSON output).
  for (const a of org.accounts) out.set(a.id, results.get(a.id)!);
  return out;
}

/** Root-first path of org nodes to an account. */
export function pathTo(org: OrgSnapshot, accountId: string): { node: string; kind: NodeKind }[] {
  const account = org.accounts.find((a) => a.id === accountId);
  if (!account) throw new Error(`account "${accountId}" is not in the organization snapshot`);
  const ouParent = new Map(org.ous.map((o) => [o.id, o.parent]));
  const chain: { node: string; kind: NodeKind }[] = [{ node: account.id, kind: 'account' }];
  let p = account.parent;
  const seen = new Set<string>();
  while (p !== org.root) {
    if (seen.has(p) || !ouParent.has(p)) throw new Error(`account "${accountId}": "${p}" is neither the root nor a reachable OU`);
    seen.add(p);
    chain.push({ node: p, kind: 'ou' });
    p = ouParent.get(p)!;
  }
  chain.push({ node: org.root, kind: 'root' });
  return chain.reverse();
}

/** Effective policy of one account, evaluated along its own chain. */
export function effectivePolicyFor(org: OrgSnapshot, accountId: string): EffectiveResult {
  return evaluateChain(new PolicyIndex(org), pathTo(org, accountId));
}

/** Evaluates a chain from scratch (no sharing between accounts). Used by effectivePolicyFor and the naive benchmark. */
export function evaluateChain(index: PolicyIndex, chain: { node: string; kind: NodeKind }[], memo = true): EffectiveResult {
  let s = EMPTY;
  for (const { node, kind } of chain) s = step(index, s, node, kind, memo);
  return toResult(s);
}
