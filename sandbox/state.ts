/**
 * The sandbox's in-memory world: one organization, its policies and attachments, Bedrock
 * guardrails per (owner account, region), account-level enforced configurations, resource
 * policies, STS sessions and seeded credentials. Plain JSON-serialisable data plus small pure
 * helpers; the service handlers mutate it and the server persists it after each mutation.
 */
import { createHash } from 'node:crypto';
import type { GuardrailSnapshot, EnforcedConfig } from './runtime/context.js';
import type { TrafficState } from './traffic/profile.js';

export const STATE_FORMAT = 1;

export interface PolicyTypeStatus {
  Type: string;
  Status: 'ENABLED' | 'PENDING_ENABLE' | 'PENDING_DISABLE';
}

export interface OrgState {
  id: string;
  masterAccountId: string;
  masterAccountEmail: string;
  featureSet: 'ALL';
  root: { id: string; name: string; policyTypes: PolicyTypeStatus[] };
  ous: { id: string; name: string; parent: string }[];
  accounts: { id: string; name: string; email: string; parent: string; joinedAt: string }[];
}

export interface PolicyRecord {
  id: string;
  name: string;
  description: string;
  type: string;
  content: string;
  awsManaged: false;
  updatedAt: string;
}

export interface Attachment {
  policyId: string;
  targetId: string;
  attachedAt: string;
}

export type GuardrailConfig = GuardrailSnapshot['config'];

export interface GuardrailVersionRecord {
  version: string; // "1", "2", …
  description?: string;
  config: GuardrailConfig; // deep copy of the DRAFT at the time of CreateGuardrailVersion
  createdAt: string;
}

export interface GuardrailRecord {
  id: string;
  arn: string;
  owner: string;
  region: string;
  draft: GuardrailConfig;
  createdAt: string;
  updatedAt: string;
  nextVersion: number;
  versions: GuardrailVersionRecord[];
  tags: { key: string; value: string }[];
  /** clientRequestToken → guardrail id / version, so SDK retries stay idempotent. */
  tokens: Record<string, string>;
}

export interface EnforcedRecord extends EnforcedConfig {
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export interface ResourcePolicyRecord {
  resourceArn: string;
  policy: string;
  updatedAt: string;
}

export interface SessionRecord {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  account: string;
  roleName: string;
  roleId: string;
  sessionName: string;
  expiration: string;
  /** ARN of the identity that called AssumeRole (a role session's ARN when it was a role chain). */
  sourceArn?: string;
}

/**
 * An IAM role that AssumeRole accepts, with the principals its trust policy allows
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html):
 * `arn:aws:iam::<acct>:root` trusts every identity of that account (on AWS, those whose IAM
 * policies allow sts:AssumeRole; the sandbox has no IAM policies), `arn:aws:iam::<acct>:role/<name>`
 * trusts that role's sessions; any other ARN must equal the caller's ARN.
 */
export interface RoleRecord {
  name: string;
  trust: string[];
  /**
   * What the role's identity-based policies allow, as IAM action names ("bedrock:ApplyGuardrail";
   * "*" and "service:*"-style trailing wildcards match as in IAM). Absent = not modelled: the role
   * may call every API (the deployment roles, which have administrator access). Checked by the
   * Bedrock Runtime (sandbox/runtime/enforcement.ts): a caller needs the identity permission AND,
   * across accounts, the guardrail's resource-based policy.
   */
  allowedActions?: string[];
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SandboxState {
  format: typeof STATE_FORMAT;
  envName: string;
  seed: number;
  counter: number;
  regions: string[];
  homeRegion: string;
  organization: OrgState;
  policies: PolicyRecord[];
  attachments: Attachment[];
  guardrails: GuardrailRecord[];
  enforced: EnforcedRecord[];
  resourcePolicies: ResourcePolicyRecord[];
  sessions: Record<string, SessionRecord>;
  credentials: Record<string, Credentials>;
  /** Roles that AssumeRole accepts, per account, with their trust. */
  roles: Record<string, RoleRecord[]>;
  /** S3 buckets and objects (sandbox/services/s3). Absent in state files written before S3 existed. */
  s3?: S3State;
  /** Synthetic application traffic (sandbox/traffic): the profile and the last generated instant. Absent = none. */
  traffic?: TrafficState;
}

/** The emulated S3 subset: one global bucket namespace. */
export interface S3State {
  buckets: Record<string, BucketRecord>;
}

export interface BucketRecord {
  name: string;
  /** Account that created the bucket (every sandbox identity may still use it: docs/sandbox.md#s3). */
  owner: string;
  region: string;
  createdAt: string;
  /** Sorted by key in UTF-8 byte order, as ListObjectsV2 returns them (binary search on lookup). */
  objects: ObjectRecord[];
}

export interface ObjectRecord {
  key: string;
  /** Quoted lower-case hex MD5 of the body, as S3 returns for a single-part upload without SSE-KMS. */
  etag: string;
  size: number;
  lastModified: string;
  /** The stored bytes (after aws-chunked decoding), base64. */
  body: string;
  /** Representation headers kept with the object (content-type, cache-control, …) and x-amz-meta-*. */
  headers: Record<string, string>;
}

/** Deep copy through JSON: snapshots must never alias the DRAFT they were taken from. */
export function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

const ALNUM = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * Deterministic identifier: lower-case alphanumerics derived from (seed, kind, counter), so a
 * sandbox started with the same seed and driven by the same calls hands out the same ids.
 */
export function nextId(state: SandboxState, kind: string, length: number): string {
  state.counter += 1;
  return hashChars(`${state.seed}:${kind}:${state.counter}`, length);
}

export function hashChars(input: string, length: number, alphabet = ALNUM): string {
  let out = '';
  let round = 0;
  while (out.length < length) {
    const digest = createHash('sha256').update(`${input}#${round++}`).digest();
    for (const byte of digest) {
      out += alphabet[byte % alphabet.length];
      if (out.length === length) break;
    }
  }
  return out;
}

export function serializeState(state: SandboxState): string {
  return `${JSON.stringify(state, null, 1)}\n`;
}

export function deserializeState(text: string, file = 'state'): SandboxState {
  const parsed = JSON.parse(text) as SandboxState;
  if (!parsed || parsed.format !== STATE_FORMAT || !parsed.organization || !Array.isArray(parsed.guardrails)) {
    throw new Error(`${file}: not a sandbox state file (format ${STATE_FORMAT} expected)`);
  }
  // State files written before roles carried their trust list role names only: those roles
  // trusted the management account (the only caller the sandbox then knew).
  const mgmtRoot = `arn:aws:iam::${parsed.organization.masterAccountId}:root`;
  for (const [account, list] of Object.entries(parsed.roles ?? {})) {
    parsed.roles[account] = (list as (RoleRecord | string)[]).map((r) => (typeof r === 'string' ? { name: r, trust: [mgmtRoot] } : r));
  }
  return parsed;
}

// ---- lookups shared by the services and the runtime world ----

export function accountById(state: SandboxState, id: string) {
  return state.organization.accounts.find((a) => a.id === id);
}

export function ouById(state: SandboxState, id: string) {
  return state.organization.ous.find((o) => o.id === id);
}

/** The parent chain of a node from the root down, excluding the node itself. */
export function ancestorsOf(state: SandboxState, nodeId: string): string[] {
  const chain: string[] = [];
  let parent = accountById(state, nodeId)?.parent ?? ouById(state, nodeId)?.parent;
  const seen = new Set<string>();
  while (parent && !seen.has(parent)) {
    seen.add(parent);
    chain.unshift(parent);
    if (parent === state.organization.root.id) break;
    parent = ouById(state, parent)?.parent;
  }
  return chain;
}

/** aws:PrincipalOrgPaths form: "o-…/r-…/ou-…/" (accounts: path of the parent). */
export function orgPathOf(state: SandboxState, nodeId: string): string | undefined {
  const org = state.organization;
  if (nodeId === org.root.id) return `${org.id}/${org.root.id}/`;
  if (!accountById(state, nodeId) && !ouById(state, nodeId)) return undefined;
  const chain = ancestorsOf(state, nodeId);
  const own = ouById(state, nodeId) ? [nodeId] : [];
  return `${org.id}/${[...chain, ...own].join('/')}/`;
}

export function isPolicyTypeEnabled(state: SandboxState, type: string): boolean {
  return state.organization.root.policyTypes.some((p) => p.Type === type && p.Status === 'ENABLED');
}

export function guardrailArn(region: string, owner: string, id: string): string {
  return `arn:aws:bedrock:${region}:${owner}:guardrail/${id}`;
}

export const GUARDRAIL_ARN_RE = /^arn:aws:bedrock:([a-z0-9-]+):(\d{12}):guardrail\/([a-z0-9]+)$/;

/**
 * Resolves a guardrail identifier. A bare id resolves in the caller's own account and region;
 * an ARN names its owner and region explicitly (cross-account lookups go through here too).
 */
export function resolveGuardrail(
  state: SandboxState,
  identifier: string,
  callerAccount: string,
  region: string,
): GuardrailRecord | undefined {
  const m = GUARDRAIL_ARN_RE.exec(identifier);
  if (m) return state.guardrails.find((g) => g.region === m[1] && g.owner === m[2] && g.id === m[3]);
  return state.guardrails.find((g) => g.id === identifier && g.owner === callerAccount && g.region === region);
}

export function snapshotOf(g: GuardrailRecord, version: string): GuardrailSnapshot | undefined {
  const base = { guardrailId: g.id, guardrailArn: g.arn, ownerAccount: g.owner, region: g.region };
  if (version === 'DRAFT' || version === '') return { ...base, version: 'DRAFT', config: clone(g.draft) };
  const v = g.versions.find((x) => x.version === version);
  return v ? { ...base, version: v.version, config: clone(v.config) } : undefined;
}
