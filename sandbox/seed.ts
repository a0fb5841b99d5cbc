/**
 * Builds the initial sandbox state from an Environment: the organization tree, the
 * management account, assumable roles and one deterministic access key per account.
 */
import { STATE_FORMAT, hashChars, type SandboxState } from './state.js';

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

const SEED_TIME = '2026-01-01T00:00:00.000Z';

/** `AKIA` + the 12 account digits + `SBX0`: readable, 20 characters like a real key id. */
export function accessKeyFor(accountId: string): string {
  return `AKIA${accountId}SBX0`;
}

export function secretFor(seed: number, accountId: string): string {
  return hashChars(`secret:${seed}:${accountId}`, 40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
}

export function seedState(env: SandboxEnv, seed = 1): SandboxState {
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
  const roles: SandboxState['roles'] = {};
  for (const a of accounts) {
    credentials[a.id] = { accessKeyId: accessKeyFor(a.id), secretAccessKey: secretFor(seed, a.id) };
    roles[a.id] = [env.deployment.roleName];
  }
  const mgmtRole = env.deployment.managementRoleName;
  if (mgmtRole && !roles[management.id].includes(mgmtRole)) roles[management.id].push(mgmtRole);

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
