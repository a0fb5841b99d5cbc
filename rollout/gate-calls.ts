/**
 * The orchestrator's side of the gates: builds the GateRunContext from recorded state and
 * calls rollout/gates (which only produce evidence; promotion decides what to do with it).
 */
import type { Phase } from '../environments/types.js';
import { runApproval, runBake, runEffectivePolicyCheck, runPostApplyGates, runPreflight, type ApprovalContext, type BakeContext, type GateRunContext } from './gates/index.js';
import type { Session } from './session.js';
import type { Target } from './target.js';
import type { RolloutState } from './state.js';
import type { GateResult, PublishedVersion } from './types.js';

export function withRegion(versions: Record<string, { account: string; guardrailArn: string; guardrailId: string; version: string }> | undefined): Record<string, PublishedVersion> {
  return Object.fromEntries(Object.entries(versions ?? {}).map(([region, v]) => [region, { ...v, region }]));
}

export function gateContext(
  s: Session,
  t: Target,
  state: RolloutState,
  phase: Phase,
  release: string,
  releases: Partial<Record<Phase, string>>,
  log?: (line: string) => void,
): GateRunContext {
  const published = phase === 'pilot' && state.phases.pilot?.versions && state.phases.pilot.release === release
    ? withRegion(state.phases.pilot.versions)
    : withRegion(state.published[release]);
  const publishedByRelease = Object.fromEntries(Object.keys(state.published).map((r) => [r, withRegion(state.published[r])]));
  const phaseStacks: GateRunContext['phaseStacks'] = {};
  for (const [p, r] of Object.entries(releases) as [Phase, string | undefined][]) if (r) phaseStacks[p] = { release: r };
  return { env: s.env, phase, release, asOf: s.flags.asOf, access: t.access, published, publishedByRelease, phaseStacks, log };
}

export const gates = {
  preflight: (ctx: GateRunContext): Promise<GateResult> => runPreflight(ctx),
  postApply: (ctx: GateRunContext): Promise<GateResult[]> => runPostApplyGates(ctx),
  effectivePolicy: (ctx: GateRunContext): Promise<GateResult> => runEffectivePolicyCheck(ctx),
  bake: (ctx: BakeContext): Promise<GateResult> => runBake(ctx),
  approval: (ctx: ApprovalContext): Promise<GateResult> => runApproval(ctx),
};
