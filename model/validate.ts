/**
 * Whole-environment rules that a per-field schema cannot express: references exist, the OU tree
 * has no cycles, the pilot account sits in the pilot OU, names are unique… Pure; used by the
 * loader (on a parsed file) and by the generator/tests (on a built Environment).
 * Throws InputError(file, path, expected) at the first broken rule.
 */
import { InputError } from '../core/errors.js';
import type { Environment } from './types.js';
import { PHASES } from './types.js';

/** An Environment before its release definitions are imported. */
export type EnvironmentShape = Omit<Environment, 'releases'> & { releases: ReadonlyArray<{ name: string }> };

/** AWS Organizations allows OUs nested five levels below the root. */
export const MAX_OU_DEPTH = 5;

export function checkEnvironment(env: EnvironmentShape, file?: string): void {
  const err = (path: string, expected: string): never => {
    throw new InputError(file ?? env.sourceFile, path, expected);
  };
  const org = env.organization;

  const kind = new Map<string, 'root' | 'ou' | 'account'>([[org.root.id, 'root']]);
  org.ous.forEach((ou, i) => {
    if (kind.has(ou.id)) err(`organization.ous[${i}].id`, `expected a unique OU id; ${ou.id} is listed twice`);
    kind.set(ou.id, 'ou');
  });
  org.accounts.forEach((a, i) => {
    if (kind.has(a.id)) err(`organization.accounts[${i}].id`, `expected a unique account id; ${a.id} is listed twice`);
    kind.set(a.id, 'account');
  });
  const parentOk = (p: string) => kind.get(p) === 'root' || kind.get(p) === 'ou';
  const parentMsg = (p: string) =>
    `expected the id of the root (${org.root.id}) or of an OU listed in organization.ous, got "${p}" which is not listed`;
  org.ous.forEach((ou, i) => {
    if (ou.parent === ou.id) err(`organization.ous[${i}].parent`, `expected a parent other than the OU itself (${ou.id})`);
    if (!parentOk(ou.parent)) err(`organization.ous[${i}].parent`, parentMsg(ou.parent));
  });
  org.accounts.forEach((a, i) => {
    if (!parentOk(a.parent)) err(`organization.accounts[${i}].parent`, parentMsg(a.parent));
  });

  // Cycles and depth: walk each OU's parent chain.
  const parentOf = new Map(org.ous.map((o) => [o.id, o.parent]));
  org.ous.forEach((ou, i) => {
    const chain = [ou.id];
    let cur = ou.parent;
    while (cur !== org.root.id) {
      if (chain.includes(cur)) {
        err(
          `organization.ous[${i}].parent`,
          `expected the OU tree to lead up to the root, but the parents form a cycle: ${[...chain, cur].join(' → ')}`,
        );
      }
      chain.push(cur);
      cur = parentOf.get(cur)!;
    }
    if (chain.length > MAX_OU_DEPTH) {
      err(
        `organization.ous[${i}].parent`,
        `expected OUs at most ${MAX_OU_DEPTH} levels below the root (AWS Organizations limit), ${ou.id} is ${chain.length} levels deep`,
      );
    }
  });

  if (kind.get(env.managementAccountId) !== 'account') {
    err('managementAccountId', `expected the management account ${env.managementAccountId} to be listed in organization.accounts`);
  }
  const seenRegion = new Set<string>();
  env.regions.forEach((r, i) => {
    if (seenRegion.has(r)) err(`regions[${i}]`, `expected each Region once; ${r} is listed twice`);
    seenRegion.add(r);
  });

  // Pilot: one non-critical account inside the pilot OU.
  if (kind.get(env.pilot.account) !== 'account')
    err('pilot.account', `expected an account listed in organization.accounts, got "${env.pilot.account}"`);
  if (kind.get(env.pilot.ou) !== 'ou') err('pilot.ou', `expected an OU listed in organization.ous, got "${env.pilot.ou}"`);
  if (env.pilot.account === env.managementAccountId) {
    err('pilot.account', 'expected a non-critical member account, not the management account');
  }
  const acctParent = new Map(org.accounts.map((a) => [a.id, a.parent]));
  let up: string | undefined = acctParent.get(env.pilot.account);
  const pilotChain: string[] = [];
  while (up !== undefined && up !== org.root.id) {
    pilotChain.push(up);
    up = parentOf.get(up);
  }
  if (!pilotChain.includes(env.pilot.ou)) {
    err(
      'pilot.account',
      `expected the pilot account ${env.pilot.account} to be inside the pilot OU ${env.pilot.ou}, but its parent is ${acctParent.get(env.pilot.account)}`,
    );
  }

  // Releases.
  const releaseNames = new Set<string>();
  env.releases.forEach((r, i) => {
    if (releaseNames.has(r.name)) err(`releases[${i}].name`, `expected unique release names; ${r.name} is listed twice`);
    releaseNames.add(r.name);
  });
  if (!releaseNames.has(env.currentRelease)) {
    err('currentRelease', `expected one of the listed releases (${[...releaseNames].join(', ')}), got "${env.currentRelease}"`);
  }

  // Enforcement defaults.
  const inc = env.enforcement.models.included;
  const dupe = (xs: string[]) => xs.findIndex((x, i) => xs.indexOf(x) !== i);
  if (dupe(inc) >= 0) err(`enforcement.models.included[${dupe(inc)}]`, `expected each model once; ${inc[dupe(inc)]} is listed twice`);
  const exc = env.enforcement.models.excluded;
  if (dupe(exc) >= 0) err(`enforcement.models.excluded[${dupe(exc)}]`, `expected each model once; ${exc[dupe(exc)]} is listed twice`);

  // Exceptions.
  const excIds = new Set<string>();
  env.exceptions.forEach((x, i) => {
    const p = `exceptions[${i}]`;
    if (excIds.has(x.id)) err(`${p}.id`, `expected unique exception ids; ${x.id} is listed twice`);
    excIds.add(x.id);
    const k = kind.get(x.target);
    if (k !== 'account' && k !== 'ou')
      err(`${p}.target`, `expected an account or OU listed in organization, got "${x.target}" which is not listed`);
    const c = x.changes;
    if (!c.excludedModels?.length && c.system === undefined && c.messages === undefined) {
      err(`${p}.changes`, 'expected at least one change: excludedModels, system or messages');
    }
  });

  // Probe roles: every byTarget key is an account or OU of the organization.
  for (const target of Object.keys(env.deployment.probeRoles?.byTarget ?? {})) {
    const k = kind.get(target);
    if (k !== 'account' && k !== 'ou')
      err(
        `deployment.probeRoles.byTarget.${target}`,
        `expected an account or OU listed in organization, got "${target}" which is not listed`,
      );
  }

  // Phases: smoke ids unique per phase.
  for (const phase of PHASES) {
    const settings = env.phases[phase];
    if (!settings) err(`phases.${phase}`, `expected settings for phase ${phase} (all of ${PHASES.join(', ')} are required)`);
    const ids = new Set<string>();
    settings.smoke.forEach((c, i) => {
      if (ids.has(c.id)) err(`phases.${phase}.smoke[${i}].id`, `expected smoke case ids unique within the phase; "${c.id}" is used twice`);
      ids.add(c.id);
    });
  }
}
