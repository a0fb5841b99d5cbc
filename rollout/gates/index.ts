/**
 * Gates: evidence that a phase works. Each returns a GateResult whose status is passed,
 * failed or inconclusive (missing evidence, e.g. calls kept failing); only passed lets a
 * release advance — promotion (rollout/promote*) decides, gates only report.
 */
import type { GateResult } from '../state/contracts.js';
import type { GateRunContext } from './common.js';
import { runEffectivePolicyCheck } from './effective.js';
import { runSmoke } from './smoke.js';

export type { GateRunContext } from './common.js';
export { worst, gateResult } from './common.js';
export { runPreflight, grantsOrganization } from './preflight.js';
export { runSmoke, converseInput, excludedModelsFor, BENIGN_USER_TURN } from './smoke.js';
export { runEffectivePolicyCheck, expectedEffective } from './effective.js';
export { runBake, runApproval, bakeRemainingSeconds, type BakeContext, type ApprovalContext } from './bake.js';
export { accountsForPhase, sampleAccounts, phaseTarget } from './scope.js';
export { classifyConverse, type Outcome, type ConverseEvidence } from './outcome.js';
export { findPublished, identifiersByRelease, versionDescriptionOf, identifierOf } from './published.js';

/** After an apply: smoke invocations, then effective-policy verification (both always run). */
export async function runPostApplyGates(ctx: GateRunContext): Promise<GateResult[]> {
  const smoke = await runSmoke(ctx);
  const effective = await runEffectivePolicyCheck(ctx);
  return [smoke, effective];
}
