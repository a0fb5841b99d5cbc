/**
 * What the effective policy should be (the policy engine over every org phase's recorded
 * release and unit settings), and how a difference is told to a reader. Pure.
 */
import diff from 'microdiff';
import { canonicalJson } from '../../../core/canonical-json.js';
import { buildOrgPolicies, effectivePolicies, ORG_PHASES, orgSnapshotOf, type OrgSnapshot } from '../../../policy/index.js';
import type { GateRunContext } from '../context.js';

export { ORG_PHASES };

/**
 * Expected effective policy per account for the org phases recorded in phaseStacks (plus the
 * adopted policies still in force as found), each phase's
 * policy carrying the settings of the unit it holds (phaseEnforcement, default env.enforcement)
 * and the locks the narrower phases require: the same policies the stacks synthesize.
 */
export function expectedEffective(
  ctx: Pick<GateRunContext, 'env' | 'asOf' | 'phaseStacks' | 'phaseEnforcement' | 'adoptedPolicies'>,
  identifiers: Record<string, Record<string, string>>,
): Map<string, Record<string, unknown> | null> {
  const { env } = ctx;
  const releases = Object.fromEntries(ORG_PHASES.map((p) => [p, ctx.phaseStacks[p]?.release]));
  const policies: OrgSnapshot['policies'] = buildOrgPolicies({
    env,
    releases,
    identifiers: (rel) => identifiers[rel] ?? {},
    asOf: ctx.asOf,
    enforcement: ctx.phaseEnforcement,
  }).map(({ phase, spec }) => ({ id: `${phase}/${spec.key}`, content: spec.content, targets: spec.targets }));
  // Adopted policies not yet rewritten by their phase are in force as found (rollout adopt).
  for (const a of ctx.adoptedPolicies ?? []) policies.push({ id: `adopted/${a.id}`, content: a.content, targets: a.targets });
  const out = new Map<string, Record<string, unknown> | null>();
  for (const [id, r] of effectivePolicies(orgSnapshotOf(env, policies))) out.set(id, r.policy);
  return out;
}

/** Canonical JSON where lists of strings (model ids) are sets, as they are for enforcement. */
export const AS_ENFORCED = { stringListsAsSets: true } as const;

/** The first differences, expected → actual, in one line. */
export function shortDiff(actual: unknown, expected: unknown): string {
  const a = JSON.parse(canonicalJson(actual ?? {}, AS_ENFORCED)) as Record<string, unknown>;
  const e = JSON.parse(canonicalJson(expected ?? {}, AS_ENFORCED)) as Record<string, unknown>;
  const d = diff(e, a)
    .slice(0, 4)
    .map((x) => {
      const p = x.path.join('.');
      if (x.type === 'CHANGE') return `${p}: expected ${JSON.stringify(x.oldValue)}, got ${JSON.stringify(x.value)}`;
      if (x.type === 'CREATE') return `${p}: unexpected ${JSON.stringify(x.value)}`;
      return `${p}: missing (expected ${JSON.stringify(x.oldValue)})`;
    });
  return d.join('; ');
}
