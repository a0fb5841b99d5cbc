/**
 * The orchestrator's side of the gates: builds the GateRunContext from recorded state and
 * calls rollout/gates (which only produce evidence; promotion decides what to do with it).
 */
import { ListEnforcedGuardrailsConfigurationCommand } from '@aws-sdk/client-bedrock';
import type { Phase } from '../environments/types.js';
import { errorName } from './aws/errors.js';
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

/**
 * Evidence for "pilot rolled back to nothing": no account-level enforced configuration is left
 * in the pilot account in any region (ListEnforcedGuardrailsConfiguration). The effective-policy
 * gate checks a configuration that should exist; this checks one that should not.
 */
export async function verifyPilotRemoved(ctx: GateRunContext): Promise<GateResult> {
  const startedAt = new Date().toISOString();
  const account = ctx.env.pilot.account;
  const checks = await Promise.all(ctx.env.regions.map(async (region) => {
    const id = `effective:account-config:${account}/${region}`;
    try {
      const out = await ctx.access.forAccount(account, region).bedrock.send(new ListEnforcedGuardrailsConfigurationCommand({}));
      const left = out.guardrailsConfig ?? [];
      return left.length
        ? { id, status: 'failed' as const, account, region, detail: `an account-level enforced configuration is still in place (${left.map((c) => `${c.guardrailId}:${c.guardrailVersion}`).join(', ')})` }
        : { id, status: 'passed' as const, account, region, detail: 'no account-level enforced configuration, as expected after removal' };
    } catch (err) {
      if (errorName(err) === 'ResourceNotFoundException') return { id, status: 'passed' as const, account, region, detail: 'no account-level enforced configuration, as expected after removal' };
      return { id, status: 'inconclusive' as const, account, region, detail: `ListEnforcedGuardrailsConfiguration: ${(err as Error).message}` };
    }
  }));
  const status = checks.some((c) => c.status === 'failed') ? 'failed' : checks.some((c) => c.status === 'inconclusive') ? 'inconclusive' : 'passed';
  return { gate: 'effective-policy', status, summary: `effective-policy: ${status} — pilot enforcement removed in ${checks.filter((c) => c.status === 'passed').length}/${checks.length} regions`, checks, startedAt, finishedAt: new Date().toISOString() };
}
