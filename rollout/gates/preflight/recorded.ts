/**
 * What is enforced, as read back from AWS: every BEDROCK_POLICY (content and targets) and the
 * account-level enforced configurations of chosen accounts. `rollout promote`/`rollback` read it
 * after each successful apply and rollback and record it per phase (PhaseRecord.recorded);
 * preflight compares what is live with the union of those records (drift by content,
 * `preflight:drift…`, drift.ts).
 *
 * Recording per phase: give `phase` to the reader (or cut a full snapshot with `phaseShare`), so
 * each phase's record holds only the objects that phase owns (its baseline policy by name, the
 * exception policies for enterprise, the pilot account's configurations for pilot); the records
 * of all phases are then disjoint and `mergeSnapshots` is their union. A full (unfiltered)
 * snapshot per phase would make an object one phase deleted reappear from another phase's older
 * record.
 */
import {
  DescribePolicyCommand,
  ListPoliciesCommand,
  ListTargetsForPolicyCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import {
  type AccountEnforcedGuardrailOutputConfiguration,
  type BedrockClient,
  ListEnforcedGuardrailsConfigurationCommand,
} from '@aws-sdk/client-bedrock';
import pLimit from 'p-limit';
import { canonicalJson } from '../../../core/canonical-json.js';
import { MANAGED_NAME_PREFIX, phasePolicyName } from '../../../core/naming.js';
import { allItems } from '../../../core/paginate.js';
import { type Environment, PHASES, type Phase } from '../../../model/types.js';
import type { AwsAccess } from '../../aws/clients.js';
import { errorName } from '../../aws/errors.js';

/** One BEDROCK_POLICY as read back. */
export interface RecordedPolicy {
  id: string;
  name: string;
  description?: string;
  /** Canonical JSON of the policy document (sorted keys; lists of strings sorted: they are sets). */
  content: string;
  /** Root, OU and account ids it is attached to, sorted. */
  targets: string[];
}

/** One account-level enforced configuration (ListEnforcedGuardrailsConfiguration item), normalised. */
export interface RecordedAccountConfig {
  account: string;
  region: string;
  configId?: string;
  guardrailArn?: string;
  guardrailVersion?: string;
  /** selectiveContentGuarding.system; absent in the API means COMPREHENSIVE, recorded as such. */
  system?: string;
  /** selectiveContentGuarding.messages; absent means COMPREHENSIVE. */
  messages?: string;
  /** modelEnforcement.includedModels, sorted (no modelEnforcement: ["ALL"]). */
  includedModels: string[];
  /** modelEnforcement.excludedModels, sorted (no modelEnforcement: []). */
  excludedModels: string[];
}

export interface EnforcementSnapshot {
  policies: RecordedPolicy[];
  accountConfigs: RecordedAccountConfig[];
  /**
   * Phases that have something in place but no record (rollout state written before phases
   * recorded snapshots): preflight judges the objects such a phase owns by the name/description
   * rule instead. Every other phase's objects must be in the record — a phase never applied owns
   * nothing, so a policy carrying its name is unmanaged. Not set by the reader.
   */
  unrecordedPhases?: Phase[];
}

export interface ReadSnapshotOptions {
  /** Accounts whose account-level configurations to read. Default: the pilot account (unless `phase` is an organization phase: none). */
  accounts?: readonly string[];
  /** Regions to read configurations in. Default: the environment's regions. */
  regions?: readonly string[];
  /** Keep only what this phase owns (see phaseShare). Default: everything read. */
  phase?: Phase;
  /** Parallel calls (default 16); the per-API rate limit is the AwsAccess's. */
  concurrency?: number;
}

/** Canonical form of a policy document: what is recorded and compared. Text that is not JSON is kept as it is. */
export function canonicalPolicyContent(content: string | undefined): string {
  if (content === undefined) return '';
  try {
    return canonicalJson(JSON.parse(content), { stringListsAsSets: true });
  } catch {
    return content;
  }
}

/** The phase that owns a policy, by its name (names are unique in an organization; the engines adopt by name). */
export function policyOwner(name: string): Phase | undefined {
  if (name.startsWith(`${MANAGED_NAME_PREFIX}exception-`)) return 'enterprise';
  return PHASES.find((p) => name === phasePolicyName(p));
}

/** The phase that owns an account-level configuration: the pilot's, in the pilot account. */
export function configOwner(env: Pick<Environment, 'pilot'>, account: string): Phase | undefined {
  return account === env.pilot.account ? 'pilot' : undefined;
}

/** The part of a snapshot that a phase owns: what that phase's record should hold. */
export function phaseShare(env: Pick<Environment, 'pilot'>, snapshot: EnforcementSnapshot, phase: Phase): EnforcementSnapshot {
  return {
    policies: snapshot.policies.filter((p) => policyOwner(p.name) === phase),
    accountConfigs: snapshot.accountConfigs.filter((c) => configOwner(env, c.account) === phase),
  };
}

/** Union of phase records (later ones win for the same policy id or account/region/config); unrecordedPhases are united too. */
export function mergeSnapshots(snapshots: readonly (EnforcementSnapshot | undefined)[]): EnforcementSnapshot {
  const policies = new Map<string, RecordedPolicy>();
  const configs = new Map<string, RecordedAccountConfig>();
  const unrecorded = new Set<Phase>();
  for (const s of snapshots) {
    if (!s) continue;
    for (const p of s.policies) policies.set(p.id, p);
    for (const c of s.accountConfigs) configs.set(`${c.account}/${c.region}/${c.configId ?? ''}`, c);
    for (const p of s.unrecordedPhases ?? []) unrecorded.add(p);
  }
  return {
    policies: sortPolicies([...policies.values()]),
    accountConfigs: sortConfigs([...configs.values()]),
    ...(unrecorded.size ? { unrecordedPhases: PHASES.filter((p) => unrecorded.has(p)) } : {}),
  };
}

const sortPolicies = (ps: RecordedPolicy[]) => ps.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
const sortConfigs = (cs: RecordedAccountConfig[]) =>
  cs.sort(
    (a, b) => a.account.localeCompare(b.account) || a.region.localeCompare(b.region) || (a.configId ?? '').localeCompare(b.configId ?? ''),
  );

/** Every BEDROCK_POLICY with its content and targets (ListPolicies + DescribePolicy + ListTargetsForPolicy). [] when the type is not enabled. */
export async function readBedrockPolicies(org: OrganizationsClient, concurrency = 16): Promise<RecordedPolicy[]> {
  let summaries: { Id?: string; Name?: string; Description?: string }[];
  try {
    summaries = await allItems(
      (NextToken) => org.send(new ListPoliciesCommand({ Filter: 'BEDROCK_POLICY', NextToken })),
      (page) => page.NextToken,
      (page) => page.Policies,
    );
  } catch (err) {
    // Not enabled: no BEDROCK_POLICY can exist, let alone be attached.
    if (errorName(err) === 'PolicyTypeNotEnabledException') return [];
    throw err;
  }
  const limit = pLimit(Math.max(1, concurrency));
  const out = await Promise.all(
    summaries
      .filter((s) => s.Id)
      .map((s) =>
        limit(async (): Promise<RecordedPolicy> => {
          const [described, targets] = await Promise.all([
            org.send(new DescribePolicyCommand({ PolicyId: s.Id! })),
            allItems(
              (NextToken) => org.send(new ListTargetsForPolicyCommand({ PolicyId: s.Id!, NextToken })),
              (page) => page.NextToken,
              (page) => page.Targets,
            ),
          ]);
          const summary = described.Policy?.PolicySummary ?? s;
          return {
            id: s.Id!,
            name: summary.Name ?? s.Name ?? '',
            ...(summary.Description !== undefined ? { description: summary.Description } : {}),
            content: canonicalPolicyContent(described.Policy?.Content),
            targets: targets.flatMap((t) => (t.TargetId ? [t.TargetId] : [])).sort(),
          };
        }),
      ),
  );
  return sortPolicies(out);
}

/** A ListEnforcedGuardrailsConfiguration item, normalised (service defaults made explicit, lists sorted). */
export function recordedConfigOf(account: string, region: string, c: AccountEnforcedGuardrailOutputConfiguration): RecordedAccountConfig {
  return {
    account,
    region,
    ...(c.configId !== undefined ? { configId: c.configId } : {}),
    ...(c.guardrailArn !== undefined ? { guardrailArn: c.guardrailArn } : {}),
    ...(c.guardrailVersion !== undefined ? { guardrailVersion: c.guardrailVersion } : {}),
    system: c.selectiveContentGuarding?.system ?? 'COMPREHENSIVE',
    messages: c.selectiveContentGuarding?.messages ?? 'COMPREHENSIVE',
    includedModels: c.modelEnforcement ? [...(c.modelEnforcement.includedModels ?? [])].sort() : ['ALL'],
    excludedModels: c.modelEnforcement ? [...(c.modelEnforcement.excludedModels ?? [])].sort() : [],
  };
}

/** The account's enforced configurations in one region ([] when none, or ResourceNotFoundException). */
export async function readAccountConfigs(bedrock: BedrockClient, account: string, region: string): Promise<RecordedAccountConfig[]> {
  try {
    const items = await allItems(
      (nextToken) => bedrock.send(new ListEnforcedGuardrailsConfigurationCommand({ nextToken })),
      (page) => page.nextToken,
      (page) => page.guardrailsConfig,
    );
    return items.map((c) => recordedConfigOf(account, region, c));
  } catch (err) {
    if (errorName(err) === 'ResourceNotFoundException') return [];
    throw err;
  }
}

/**
 * Reads what is in place through the SDK: all BEDROCK_POLICY policies from the management
 * account, and the account-level enforced configurations of `accounts` in `regions`. Throws on
 * an AWS error (the caller decides what an unreadable state means).
 */
export async function readEnforcementSnapshot(
  access: AwsAccess,
  env: Environment,
  opts: ReadSnapshotOptions = {},
): Promise<EnforcementSnapshot> {
  const concurrency = opts.concurrency ?? 16;
  const accounts = opts.accounts ?? (opts.phase === undefined || opts.phase === 'pilot' ? [env.pilot.account] : []);
  const regions = opts.regions ?? env.regions;
  const limit = pLimit(Math.max(1, concurrency));
  const [policies, configs] = await Promise.all([
    readBedrockPolicies(access.forAccount(env.managementAccountId).organizations, concurrency),
    Promise.all(
      accounts.flatMap((account) =>
        regions.map((region) => limit(() => readAccountConfigs(access.forAccount(account, region).bedrock, account, region))),
      ),
    ),
  ]);
  const snapshot: EnforcementSnapshot = { policies, accountConfigs: sortConfigs(configs.flat()) };
  return opts.phase ? phaseShare(env, snapshot, opts.phase) : snapshot;
}
