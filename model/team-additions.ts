/**
 * Team additions (pure): the whole-file rules of `teamAdditions[]`, expiry, the stack name, and
 * which baseline phase reaches an addition's account. An addition is an account-level enforced
 * configuration in a team account, layered under the organization baseline (AWS evaluates both,
 * the most restrictive outcome wins: docs/aws-facts.md#layering), so nothing here may ever touch
 * the organization policy. docs/team-additions.md.
 */
import { exceptionEndsAt } from './exceptions.js';
import { isUnder } from './org.js';
import type { Environment, Phase, TeamAddition } from './types.js';

/** What the rules need of an addition (the loader checks them before importing any definition). */
export type TeamAdditionShape = Pick<TeamAddition, 'id' | 'account' | 'regions'> & { smoke: ReadonlyArray<{ id: string }> };

type ErrFn = (path: string, expected: string) => never;

/**
 * Rules a per-field schema cannot express. The account must be a member account of the
 * organization and not the pilot account: the account-level configuration is a singleton per
 * account and region, and the pilot's belongs to the pilot phase. Two additions for one account
 * and region would overwrite each other.
 */
export function checkTeamAdditions(
  env: Pick<Environment, 'organization' | 'pilot' | 'managementAccountId' | 'regions'>,
  additions: readonly TeamAdditionShape[],
  err: ErrFn,
): void {
  const accounts = new Set(env.organization.accounts.map((a) => a.id));
  const ids = new Map<string, number>();
  const slots = new Map<string, string>();
  additions.forEach((a, i) => {
    const p = `teamAdditions[${i}]`;
    if (ids.has(a.id)) err(`${p}.id`, `expected unique team addition ids; "${a.id}" is also teamAdditions[${ids.get(a.id)}]`);
    ids.set(a.id, i);
    if (!accounts.has(a.account))
      err(`${p}.account`, `expected an account listed in organization.accounts, got "${a.account}" which is not listed`);
    if (a.account === env.pilot.account)
      err(
        `${p}.account`,
        `expected an account other than the pilot account ${a.account}: its account-level enforced configuration is the pilot phase's`,
      );
    if (a.account === env.managementAccountId) err(`${p}.account`, `expected a member account, not the management account ${a.account}`);
    a.regions.forEach((r, j) => {
      if (!env.regions.includes(r))
        err(`${p}.regions[${j}]`, `expected one of the environment's regions (${env.regions.join(', ')}), got "${r}"`);
      if (a.regions.indexOf(r) !== j) err(`${p}.regions[${j}]`, `expected each Region once; ${r} is listed twice`);
      const slot = `${a.account}/${r}`;
      const other = slots.get(slot);
      if (other !== undefined)
        err(
          `${p}.account`,
          `expected one team addition per account and Region (the account-level configuration is a singleton); ${a.account} in ${r} is also taken by "${other}"`,
        );
      slots.set(slot, a.id);
    });
    const caseIds = new Set<string>();
    a.smoke.forEach((c, j) => {
      if (caseIds.has(c.id)) err(`${p}.smoke[${j}].id`, `expected smoke case ids unique within the addition; "${c.id}" is used twice`);
      caseIds.add(c.id);
    });
  });
}

export type TeamAdditionStatus = 'active' | 'expired';

/** Same rule as exceptions: an addition applies through the END of its expiry day (UTC); no expiry: always active. */
export function teamAdditionStatus(a: Pick<TeamAddition, 'expires'>, asOf: Date): TeamAdditionStatus {
  if (a.expires === undefined) return 'active';
  return asOf.getTime() < exceptionEndsAt({ expires: a.expires }).getTime() ? 'active' : 'expired';
}

/** `team-<id>`: the stack (and Terraform state) of one addition. */
export function teamStackName(id: string): `team-${string}` {
  return `team-${id}`;
}

export function findTeamAddition(env: Pick<Environment, 'teamAdditions' | 'name'>, id: string): TeamAddition | undefined {
  return (env.teamAdditions ?? []).find((a) => a.id === id);
}

/**
 * The baseline phase whose organization policy assigns the account's org-enforced guardrail,
 * given the phases that hold a release: the narrowest one covering the account (model-rules →
 * the pilot account, ou → the pilot OU, enterprise → every account), or undefined when no
 * baseline reaches the account yet.
 */
export function baselinePhaseFor(env: Environment, account: string, held: ReadonlySet<Phase>): Exclude<Phase, 'pilot'> | undefined {
  if (held.has('model-rules') && account === env.pilot.account) return 'model-rules';
  if (held.has('ou') && isUnder(env, account, env.pilot.ou)) return 'ou';
  if (held.has('enterprise')) return 'enterprise';
  return undefined;
}
