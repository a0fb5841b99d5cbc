/**
 * Builds the initial sandbox state from an Environment: the organization tree, the
 * management account, assumable roles with their trust, and one deterministic access key per
 * account.
 *
 * Roles follow the environment's deployment settings as a real organization has them:
 * - `deployment.roleName` in every member account, trusting the management account
 *   (`arn:aws:iam::<management>:root`, as OrganizationAccountAccessRole does:
 *   https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_access.html),
 *   which covers the management role's sessions;
 * - `deployment.managementRoleName` (when set) in the management account, trusting the base
 *   identity (`SeedOptions.basePrincipal`, default the management account's own principal);
 *   without it the management account holds `roleName` instead, since the configuration then
 *   assumes `roleName` there too (docs/environments.md);
 * - the probe role of each account (`deployment.probeRoles`: the account's own entry, else the
 *   nearest OU's, else the default), trusting the role the rollout already holds in that account
 *   (the member deployment role; in the management account the management role, or the base
 *   identity without one), with an identity policy that allows PROBE_ROLE_ACTIONS, as a workload
 *   role that calls Bedrock has (`SeedOptions.identityPolicies` replaces it, e.g. to take
 *   bedrock:ApplyGuardrail away). Deployment roles have no modelled identity policy: they may call
 *   everything, like the administrator roles they stand for.
 */
import { STATE_FORMAT, hashChars, type RoleRecord, type SandboxState } from './state.js';

/**
 * The parts of an environment the sandbox needs, declared here so the emulator imports nothing of
 * the project but core/ (docs/architecture.md). The project's `Environment` (model/types.ts) is
 * assignable to it.
 */
export interface SandboxEnv {
  name: string;
  managementAccountId: string;
  organizationId: string;
  regions: readonly string[];
  /** Region for Organizations and STS; defaults to regions[0]. */
  homeRegion: string;
  organization: {
    root: { id: string; name: string };
    ous: readonly { id: string; name: string; parent: string }[];
    accounts: readonly { id: string; name: string; parent: string; email?: string }[];
  };
  deployment: {
    roleName: string;
    managementRoleName?: string;
    probeRoles?: { default?: string; byTarget: Readonly<Record<string, string>> };
  };
  /** Sandbox-only knobs of the environment file. */
  sandbox?: { policyTypeEnabled: boolean };
}

/** How the seeded roles trust their callers (tests break a trust on purpose). */
export interface SeedOptions {
  /**
   * The principal the management role trusts: the base identity `rollout` runs as. Default
   * `arn:aws:iam::<management>:root` (every identity of the management account, such as the
   * seeded management key).
   */
  basePrincipal?: string;
  /**
   * Accounts whose deployment role exists but trusts only its own account, not the management
   * side: AssumeRole into it from the management account is AccessDenied (a broken trust).
   */
  untrustedAccounts?: readonly string[];
  /**
   * Identity policies by role ARN: the IAM actions the role's policies allow, replacing the seeded
   * ones (probe roles: PROBE_ROLE_ACTIONS; deployment roles: not modelled, everything allowed).
   */
  identityPolicies?: Readonly<Record<string, readonly string[]>>;
}

/**
 * What a seeded probe role's identity policy allows: what a workload calling Bedrock under
 * enforcement needs (Converse is authorized as bedrock:InvokeModel; an enforced guardrail also
 * needs bedrock:ApplyGuardrail on it).
 */
export const PROBE_ROLE_ACTIONS: readonly string[] = [
  'bedrock:ApplyGuardrail',
  'bedrock:InvokeModel',
  'bedrock:InvokeModelWithResponseStream',
];

const SEED_TIME = '2026-01-01T00:00:00.000Z';

/** `AKIA` + the 12 account digits + `SBX0`: readable, 20 characters like a real key id. */
export function accessKeyFor(accountId: string): string {
  return `AKIA${accountId}SBX0`;
}

export function secretFor(seed: number, accountId: string): string {
  return hashChars(`secret:${seed}:${accountId}`, 40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
}

/** The keys of an account in a sandbox started with `seed` (a running `rollout sandbox` uses 1): derivable, so a client needs only the URL. */
export function seededCredentials(accountId: string, seed = 1): { accessKeyId: string; secretAccessKey: string } {
  return { accessKeyId: accessKeyFor(accountId), secretAccessKey: secretFor(seed, accountId) };
}

/** The roles the deployment settings say exist, with their trust (see the file comment). */
/** The probe role name of an account: its own entry, the nearest OU's, else the default. */
export function probeRoleOf(
  env: Pick<SandboxEnv, 'deployment'> & { organization?: SandboxEnv['organization'] },
  accountId: string,
): string | undefined {
  const cfg = env.deployment.probeRoles;
  if (!cfg) return undefined;
  const parent = new Map<string, string>();
  for (const o of env.organization?.ous ?? []) parent.set(o.id, o.parent);
  for (const a of env.organization?.accounts ?? []) parent.set(a.id, a.parent);
  const seen = new Set<string>();
  for (let node: string | undefined = accountId; node !== undefined && !seen.has(node); node = parent.get(node)) {
    seen.add(node);
    if (cfg.byTarget[node]) return cfg.byTarget[node];
  }
  return cfg.default;
}

export function seedRoles(
  env: Pick<SandboxEnv, 'managementAccountId' | 'deployment'> & { organization?: SandboxEnv['organization'] },
  accountIds: readonly string[],
  opts: SeedOptions = {},
): Record<string, RoleRecord[]> {
  const mgmt = env.managementAccountId;
  const root = (account: string) => `arn:aws:iam::${account}:root`;
  const untrusted = new Set(opts.untrustedAccounts ?? []);
  const { roleName, managementRoleName } = env.deployment;
  const roles: Record<string, RoleRecord[]> = {};
  for (const id of accountIds) {
    const trust = untrusted.has(id) ? [root(id)] : [root(mgmt)];
    if (id !== mgmt) roles[id] = [{ name: roleName, trust }];
    else if (managementRoleName)
      roles[id] = [{ name: managementRoleName, trust: untrusted.has(id) ? [] : [opts.basePrincipal ?? root(mgmt)] }];
    else roles[id] = [{ name: roleName, trust: untrusted.has(id) ? [] : [opts.basePrincipal ?? root(mgmt)] }];
    const probe = probeRoleOf(env, id);
    if (probe && !roles[id]!.some((r) => r.name === probe)) {
      // The probe role trusts the role the rollout holds in its account (see the file comment).
      const holder =
        id !== mgmt
          ? `arn:aws:iam::${id}:role/${roleName}`
          : managementRoleName
            ? `arn:aws:iam::${id}:role/${managementRoleName}`
            : (opts.basePrincipal ?? root(mgmt));
      roles[id]!.push({ name: probe, trust: [holder], allowedActions: [...PROBE_ROLE_ACTIONS] });
    }
  }
  for (const [arn, actions] of Object.entries(opts.identityPolicies ?? {})) {
    const m = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/.exec(arn);
    const role = m ? roles[m[1]!]?.find((r) => r.name === m[2]) : undefined;
    if (!role) throw new Error(`SeedOptions.identityPolicies: no seeded role ${arn}`);
    role.allowedActions = [...actions];
  }
  return roles;
}

export function seedState(env: SandboxEnv, seed = 1, opts: SeedOptions = {}): SandboxState {
  const org = env.organization;
  const accounts = org.accounts.map((a) => ({
    id: a.id,
    name: a.name,
    email: a.email ?? `${a.name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}@example.com`,
    parent: a.parent,
    joinedAt: SEED_TIME,
  }));
  // The management account is part of the organization even if the file lists only members.
  if (!accounts.some((a) => a.id === env.managementAccountId)) {
    accounts.unshift({
      id: env.managementAccountId,
      name: 'management',
      email: 'management@example.com',
      parent: org.root.id,
      joinedAt: SEED_TIME,
    });
  }
  const management = accounts.find((a) => a.id === env.managementAccountId)!;

  const credentials: SandboxState['credentials'] = {};
  for (const a of accounts) credentials[a.id] = { accessKeyId: accessKeyFor(a.id), secretAccessKey: secretFor(seed, a.id) };
  const roles = seedRoles(
    env,
    accounts.map((a) => a.id),
    opts,
  );

  const policyTypeEnabled = env.sandbox?.policyTypeEnabled !== false;
  return {
    format: STATE_FORMAT,
    envName: env.name,
    seed,
    counter: 0,
    regions: [...env.regions],
    homeRegion: env.homeRegion ?? env.regions[0],
    organization: {
      id: env.organizationId,
      masterAccountId: management.id,
      masterAccountEmail: management.email,
      featureSet: 'ALL',
      root: {
        id: org.root.id,
        name: org.root.name,
        policyTypes: policyTypeEnabled ? [{ Type: 'BEDROCK_POLICY', Status: 'ENABLED' }] : [],
      },
      ous: org.ous.map((o) => ({ id: o.id, name: o.name, parent: o.parent })),
      accounts,
    },
    policies: [],
    attachments: [],
    guardrails: [],
    enforced: [],
    resourcePolicies: [],
    sessions: {},
    credentials,
    roles,
  };
}
