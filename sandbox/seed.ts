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
 *   assumes `roleName` there too (docs/environments.md).
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
  deployment: { roleName: string; managementRoleName?: string };
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
}

const SEED_TIME = '2026-01-01T00:00:00.000Z';

/** `AKIA` + the 12 account digits + `SBX0`: readable, 20 characters like a real key id. */
export function accessKeyFor(accountId: string): string {
  return `AKIA${accountId}SBX0`;
}

export function secretFor(seed: number, accountId: string): string {
  return hashChars(`secret:${seed}:${accountId}`, 40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
}

/** The roles the deployment settings say exist, with their trust (see the file comment). */
export function seedRoles(
  env: Pick<SandboxEnv, 'managementAccountId' | 'deployment'>,
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
