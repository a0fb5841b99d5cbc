/**
 * The orchestrator's side of the gates: builds the GateRunContext from recorded state (the
 * gates, rollout/gates, only produce evidence; promotion decides what to do with it).
 */
import type { Environment, Phase } from '../../model/types.js';
import type { GateRunContext } from '../gates/index.js';
import type { Session } from './session.js';
import type { Target } from './target.js';
import type { RolloutState } from '../state/store.js';
import type { PublishedVersion } from '../state/contracts.js';
import type { StackArtifact } from '../../stacks/artifact.js';
import { adoptedInForce } from './adopt/state.js';

export function withRegion(
  versions: Record<string, { account: string; guardrailArn: string; guardrailId: string; version: string }> | undefined,
): Record<string, PublishedVersion> {
  return Object.fromEntries(Object.entries(versions ?? {}).map(([region, v]) => [region, { ...v, region }]));
}

export function gateContext(
  s: Session,
  t: Target,
  state: RolloutState,
  phase: Phase,
  release: string,
  releases: Partial<Record<Phase, string>>,
  /**
   * The unit under judgement: the environment as it sees it (model/unit.ts environmentOfUnit) and
   * the date its exceptions are judged by. Default: the session's environment and --as-of.
   */
  view: { env?: Environment; asOf?: Date; phaseEnforcement?: GateRunContext['phaseEnforcement'] } = {},
): GateRunContext {
  const env = view.env ?? s.env;
  const published =
    phase === 'pilot' && state.phases.pilot?.versions && state.phases.pilot.release === release
      ? withRegion(state.phases.pilot.versions)
      : withRegion(state.published[release]);
  const publishedByRelease = Object.fromEntries(Object.keys(state.published).map((r) => [r, withRegion(state.published[r])]));
  const phaseStacks: GateRunContext['phaseStacks'] = {};
  for (const [p, r] of Object.entries(releases) as [Phase, string | undefined][]) if (r) phaseStacks[p] = { release: r };
  return {
    env,
    phase,
    release,
    asOf: view.asOf ?? s.flags.asOf,
    access: t.access,
    published,
    publishedByRelease,
    phaseStacks,
    ...(view.phaseEnforcement ? { phaseEnforcement: view.phaseEnforcement } : {}),
    // Adopted policies still in force as found (rollout adopt): the effective policy includes them.
    ...adoptedInForce(state),
  };
}

/**
 * The organization policies a synthesized phase stack declares (its `aws_organizations_policy`
 * resources: name and description), i.e. what will be in force after it is applied — for
 * GateRunContext.plannedPolicies. The pilot stack declares none.
 */
export function plannedPoliciesOf(stack: StackArtifact): NonNullable<GateRunContext['plannedPolicies']> {
  const resources = (stack.json.resource ?? {}) as Record<string, Record<string, { name?: unknown; description?: unknown }>>;
  return Object.values(resources.aws_organizations_policy ?? {})
    .filter((r) => typeof r.name === 'string')
    .map((r) => ({ name: r.name as string, ...(typeof r.description === 'string' ? { description: r.description } : {}) }));
}
