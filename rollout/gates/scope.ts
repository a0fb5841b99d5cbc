/**
 * Which accounts a phase reaches, and which of them a gate invokes from. Pure.
 *   pilot, model-rules → the pilot account
 *   ou                 → every account under the pilot OU (recursively)
 *   enterprise         → every account of the organization
 * Sampling is stratified by parent OU (perOu per OU, spread evenly across the OU), topped up
 * round-robin across OUs to `floor`; the pilot account is always included when in scope.
 */
import { accountsInScope } from '../../model/org.js';
import type { Environment, Phase, SampleSettings } from '../../model/types.js';
import { phaseTarget } from '../../policy/builder.js';

export function accountsForPhase(env: Environment, phase: Phase): string[] {
  const ids = accountsInScope(env, phaseTarget(env, phase));
  if (
    phase === 'enterprise' &&
    !ids.includes(env.managementAccountId) &&
    env.organization.accounts.some((a) => a.id === env.managementAccountId)
  ) {
    ids.push(env.managementAccountId);
  }
  return ids;
}

/** Evenly spread pick of k items (first, last and in between), deterministic. */
function spread<T>(items: readonly T[], k: number): T[] {
  if (k >= items.length) return [...items];
  if (k <= 0) return [];
  if (k === 1) return [items[0]!];
  const out: T[] = [];
  for (let i = 0; i < k; i++) out.push(items[Math.round((i * (items.length - 1)) / (k - 1))]!);
  return [...new Set(out)];
}

export function sampleAccounts(env: Environment, accounts: readonly string[], sample: SampleSettings): string[] {
  if (sample.perOu === 'all') return [...accounts];
  const parentOf = new Map(env.organization.accounts.map((a) => [a.id, a.parent]));
  const byOu = new Map<string, string[]>();
  for (const id of accounts) {
    const p = parentOf.get(id) ?? env.organization.root.id;
    (byOu.get(p) ?? byOu.set(p, []).get(p)!).push(id);
  }
  const chosen = new Set<string>();
  if (accounts.includes(env.pilot.account)) chosen.add(env.pilot.account);
  const ous = [...byOu.keys()].sort();
  for (const ou of ous) for (const id of spread(byOu.get(ou)!, sample.perOu)) chosen.add(id);
  const floor = Math.min(sample.floor, accounts.length);
  // Top up round-robin across OUs so no OU dominates the extra picks.
  const rest = ous.map((ou) => byOu.get(ou)!.filter((id) => !chosen.has(id)));
  let i = 0;
  while (chosen.size < floor && rest.some((r) => r.length)) {
    const r = rest[i % rest.length]!;
    if (r.length) chosen.add(r.shift()!);
    i++;
  }
  // Keep organization order for readable reports.
  return accounts.filter((id) => chosen.has(id));
}
