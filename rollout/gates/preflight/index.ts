/**
 * Preflight: evidence, gathered before the phase's apply (after the guardrails stack), that
 * switching enforcement on cannot break callers — the checks AWS's best practices ask for
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_bedrock_best_practices.html)
 * and the failure cases of docs/gates.md. One file per family of checks; the gate runs them all
 * (concurrently) and lists their results in this order.
 */
import type { CheckResult, GateResult } from '../../state/contracts.js';
import { releaseOf, type GateRunContext } from '../context.js';
import type { Check, Gate } from '../gate.js';
import { gateResult } from '../result.js';
import { automatedReasoningCheck } from './automated-reasoning.js';
import { documentsCheck } from './documents.js';
import { identifiersCheck } from './identifiers.js';
import { modelsCheck } from './models.js';
import { organizationCheck } from './organization.js';
import { profilePolicyCheck } from './profile-policy.js';
import { publishedContentCheck } from './published-content.js';
import { probeFallbackWarning, reachabilityCheck } from './reachability.js';
import { resourcePolicyCheck } from './resource-policy.js';

export const PREFLIGHT_CHECKS: readonly Check[] = [
  identifiersCheck,
  automatedReasoningCheck,
  publishedContentCheck,
  resourcePolicyCheck,
  profilePolicyCheck,
  organizationCheck,
  documentsCheck,
  modelsCheck,
  reachabilityCheck,
];

export async function runPreflight(ctx: GateRunContext): Promise<GateResult> {
  const startedAt = new Date();
  let checks: CheckResult[];
  try {
    releaseOf(ctx);
    checks = (await Promise.all(PREFLIGHT_CHECKS.map((c) => c.run(ctx)))).flat();
  } catch (err) {
    checks = [{ id: 'preflight', status: 'failed', detail: (err as Error).message }];
  }
  const r = gateResult('preflight', startedAt, checks);
  // A pass on the deployment role's evidence stays visible: it does not prove workloads can call.
  const warning = probeFallbackWarning(checks.filter((c) => c.id.startsWith('preflight:apply-guardrail@')));
  if (warning) r.summary += `; ${warning}`;
  return r;
}

export const preflightGate: Gate<GateRunContext> = { name: 'preflight', run: runPreflight };

// What the flows record after each apply and rollback, and give back to preflight (ctx.recorded).
export {
  type EnforcementSnapshot,
  type ReadSnapshotOptions,
  type RecordedAccountConfig,
  type RecordedPolicy,
  mergeSnapshots,
  phaseShare,
  readEnforcementSnapshot,
} from './recorded.js';
