/**
 * The gates' public entry (flows, report, benchmarks): each gate behind the one `Gate`
 * interface, the context they run against, and the list of checks that did not pass. Gates
 * produce evidence — passed, failed or inconclusive (missing evidence, e.g. calls kept
 * failing); only passed lets a release advance, and promotion (rollout/flows) decides.
 */
export type { Check, Gate } from './gate.js';
export type { GateRunContext } from './context.js';
export { failedChecks, gateDeadlineMs, runGateWithDeadline, type FailedCheck } from './result.js';
export { preflightGate, runPreflight } from './preflight/index.js';
export { propagationGate, runPropagation, DEFAULT_PROPAGATION_TIMEOUT_SECONDS } from './propagation/index.js';
export { smokeGate, runSmoke } from './smoke/index.js';
export { effectivePolicyGate, runEffectivePolicyCheck } from './effective-policy/index.js';
export { bakeGate, runBake, type BakeContext } from './bake/bake.js';
export { approvalGate, runApproval, type ApprovalContext } from './bake/approval.js';
export { POST_APPLY_GATES, runPostApplyGates } from './post-apply.js';
export { accountsForPhase } from './scope.js';
export { identifierOf } from './published.js';
export { readEnforcementSnapshot, mergeSnapshots, phaseShare, type EnforcementSnapshot } from './preflight/index.js';
