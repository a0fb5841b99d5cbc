/**
 * Effective BEDROCK_POLICY per account before → after a phase change, from the policy engine
 * (pure): the organization of the environment plus the policies every phase attaches for the
 * release it holds. Used by the reviewer report; the effective-policy gate checks the same
 * thing against DescribeEffectivePolicy after apply.
 */
import type { Environment, Phase } from '../../model/types.js';
import {
  buildOrgPolicies,
  effectivePolicies,
  enforcementByRegion,
  orgSnapshotOf,
  type EnforcementByPhase,
  type OrgSnapshot,
} from '../../policy/index.js';
import type { RolloutState } from '../state/store.js';
import { identifierOf } from '../gates/index.js';

/** region → identifier for a release; a release not yet published gets an opaque placeholder. */
export function identifiersFor(env: Environment, state: RolloutState, release: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const region of env.regions) {
    const p = state.published[release]?.[region];
    out[region] = p ? identifierOf(p) : `\${unpublished:${release}:${region}}`;
  }
  return out;
}

export function orgSnapshotFor(
  env: Environment,
  state: RolloutState,
  releases: Partial<Record<Phase, string>>,
  asOf: Date,
  enforcement?: EnforcementByPhase,
): OrgSnapshot {
  // The same builder, inputs and locks as the stacks and the effective-policy gate.
  const policies = buildOrgPolicies({
    env,
    releases,
    identifiers: (release) => identifiersFor(env, state, release),
    asOf,
    enforcement,
  }).map(({ phase, spec }) => ({ id: `${phase}/${spec.key}`, content: spec.content, targets: spec.targets }));
  return orgSnapshotOf(env, policies);
}

/** One line per region: which release/version, guarding modes, model rules. */
export function summarizeEffective(
  policy: Record<string, unknown> | null,
  releaseOfIdentifier: (id: string | undefined) => string,
): string {
  if (!policy) return 'none';
  const regions = enforcementByRegion(policy);
  if (!regions.length) return 'none';
  return regions
    .map(
      (r) =>
        `${r.region}: ${releaseOfIdentifier(r.identifier)} system=${r.system} messages=${r.messages} models=${r.includedModels.join('+')}${r.excludedModels.length ? ` −${r.excludedModels.join(',')}` : ''}`,
    )
    .join('; ');
}

export interface AccountEffectiveChange {
  account: string;
  name: string;
  before: string;
  after: string;
}

export interface EffectiveDiff {
  changed: AccountEffectiveChange[];
  unchanged: number;
}

export function effectiveDiff(
  env: Environment,
  state: RolloutState,
  before: Partial<Record<Phase, string>>,
  after: Partial<Record<Phase, string>>,
  asOf: Date,
  /** What each phase holds before and after (policy/locks.ts); default: every phase holds env.enforcement. */
  enforcement: { before?: EnforcementByPhase; after?: EnforcementByPhase } = {},
): EffectiveDiff {
  const reverse = new Map<string, string>();
  for (const [release, regions] of Object.entries(state.published)) {
    for (const p of Object.values(regions)) reverse.set(`${p.guardrailArn}:${p.version}`, `${release} (v${p.version})`);
  }
  const label = (id: string | undefined) => {
    if (!id) return '(no identifier)';
    const m = /^\$\{unpublished:(.+):[^:]+\}$/.exec(id);
    if (m) return `${m[1]} (to be published)`;
    return reverse.get(id) ?? id;
  };
  const b = effectivePolicies(orgSnapshotFor(env, state, before, asOf, enforcement.before));
  const a = effectivePolicies(orgSnapshotFor(env, state, after, asOf, enforcement.after));
  const changed: AccountEffectiveChange[] = [];
  let unchanged = 0;
  for (const acct of env.organization.accounts) {
    const sb = summarizeEffective(b.get(acct.id)?.policy ?? null, label);
    const sa = summarizeEffective(a.get(acct.id)?.policy ?? null, label);
    if (sb === sa) unchanged++;
    else changed.push({ account: acct.id, name: acct.name, before: sb, after: sa });
  }
  return { changed, unchanged };
}
