/**
 * `rollout verify` against the organization tree: accounts and OUs that exist in the
 * organization but not in environment.yaml (a new account would silently miss every gate: the
 * gates reach what the file lists), those the file lists but the organization no longer has, and
 * accounts or OUs that moved (the file's tree decides which phase reaches them). One read of the
 * tree per verify (rollout/flows/org-import.ts readOrganization: a few list calls per OU).
 *
 * The checks join the effective-policy gate's result: that gate verifies the enforcement of each
 * account the file lists, and an account the file does not list is one whose effective policy
 * nothing verified.
 */
import { errorCheck, gateResult } from '../gates/result.js';
import { diffOrganization, type OrgChange } from '../../model/org-yaml.js';
import type { Environment, Organization } from '../../model/types.js';
import type { CheckResult, GateResult } from '../state/contracts.js';
import { readLiveOrganization, type SkippedAccount } from './org-import.js';
import type { Session } from './session.js';

const FIX = 'run `rollout org import --write` to update the file';

/** The checks for a file section against the live tree (pure). None failed: one passed check. */
export function driftChecks(file: Organization, live: Organization, skipped: readonly SkippedAccount[] = []): CheckResult[] {
  const inactive = new Map(skipped.map((a) => [a.id, a.status]));
  const names = new Map<string, string>(
    [live.root, file.root, ...file.ous, ...file.accounts, ...live.ous, ...live.accounts].map((x) => [x.id, x.name]),
  );
  const where = (parent: string | undefined) => (parent ? `${parent} (${names.get(parent) ?? 'not listed'})` : 'the root');
  const what = (c: OrgChange) => (c.node === 'ou' ? 'OU' : c.node);
  const checks: CheckResult[] = [];
  for (const c of diffOrganization(file, live)) {
    const account = c.node === 'account' ? { account: c.id } : {};
    if (c.kind === 'added')
      checks.push({
        id: `organization:unlisted:${c.id}`,
        status: 'failed',
        detail: `${what(c)} ${c.id} (${c.name}) under ${where(c.parent)} is in the organization but not in the environment file: no gate reaches it; ${FIX}`,
        ...account,
      });
    else if (c.kind === 'removed')
      checks.push({
        id: `organization:missing:${c.id}`,
        status: 'failed',
        detail: inactive.has(c.id)
          ? `${what(c)} ${c.id} (${c.name}) under ${where(c.parent)} is listed in the environment file but ${inactive.get(c.id)} in the organization (nothing runs there); ${FIX}`
          : `${what(c)} ${c.id} (${c.name}) under ${where(c.parent)} is in the environment file but not in the organization; ${FIX}`,
        ...account,
      });
    else if (c.kind === 'moved')
      checks.push({
        id: `organization:moved:${c.id}`,
        status: 'failed',
        detail: `${what(c)} ${c.id} (${c.name}) is under ${where(c.to)} in the organization, but under ${where(c.from)} in the environment file: the phases reach it by the file's tree; ${FIX}`,
        ...account,
      });
    // A rename or a changed e-mail does not change what any gate reaches: `org import` shows it.
  }
  if (checks.length) return checks;
  return [
    {
      id: 'organization:in-sync',
      status: 'passed',
      detail: `the organization's ${live.accounts.length} accounts and ${live.ous.length} OUs are the ones the environment file lists`,
    },
  ];
}

/** The drift checks of the session's environment against its organization (a read error: one check that did not pass). */
export async function organizationDriftChecks(s: Session, env: Environment = s.env): Promise<CheckResult[]> {
  try {
    const { organization, skipped } = await readLiveOrganization(s);
    return driftChecks(env.organization, organization, skipped);
  } catch (err) {
    return [errorCheck('organization:read', 'reading the organization tree', err)];
  }
}

/**
 * Verify's gate results with the drift checks added to the effective-policy gate (a gate of their
 * own when it did not run), its status and summary recomputed.
 */
export async function withOrganizationDrift(s: Session, results: GateResult[]): Promise<GateResult[]> {
  const checks = await organizationDriftChecks(s);
  const i = results.findIndex((g) => g.gate === 'effective-policy');
  if (i < 0) return [...results, gateResult('effective-policy', new Date(), checks)];
  const g = results[i]!;
  const merged = {
    ...gateResult('effective-policy', new Date(g.startedAt), [...g.checks, ...checks]),
    finishedAt: new Date().toISOString(),
  };
  return results.map((x, j) => (j === i ? merged : x));
}
