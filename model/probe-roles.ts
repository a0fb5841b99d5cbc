/**
 * Which probe role (docs/environments.md#probe-roles) an account's workload checks act as: the
 * account's own `deployment.probeRoles.byTarget` entry, else the entry of the nearest OU above it,
 * else `default`; undefined = none (the checks fall back to the deployment role). Pure.
 */
import { ancestorsOf } from './org.js';
import type { Environment } from './types.js';

export interface ProbeRoleChoice {
  roleName: string;
  /** Where it came from: the account's or an OU's byTarget entry, or the default. */
  source: { kind: 'account' | 'ou'; target: string } | { kind: 'default' };
}

export function probeRoleFor(env: Pick<Environment, 'organization' | 'deployment'>, accountId: string): ProbeRoleChoice | undefined {
  const cfg = env.deployment.probeRoles;
  if (!cfg) return undefined;
  const own = cfg.byTarget[accountId];
  if (own) return { roleName: own, source: { kind: 'account', target: accountId } };
  for (const node of ancestorsOf(env.organization, accountId)) {
    const r = cfg.byTarget[node];
    if (r) return { roleName: r, source: { kind: 'ou', target: node } };
  }
  return cfg.default ? { roleName: cfg.default, source: { kind: 'default' } } : undefined;
}
