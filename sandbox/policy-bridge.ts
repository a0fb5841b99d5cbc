/**
 * The sandbox computes effective BEDROCK_POLICY documents and validates them with the
 * project's policy engine (policy/index.ts) — one implementation of Organizations inheritance
 * for the preview, the gates and the emulator. This module only adapts the sandbox state to
 * the engine's organization snapshot.
 */
import { effectivePolicyFor, orgSnapshotOf, validateEffectivePolicy, type OrgSnapshot } from '../policy/index.js';
import type { SandboxState } from './state.js';

export interface ValidationIssue {
  path: string;
  message: string;
  code?: string;
}

export interface PolicyEngine {
  effective(snapshot: OrgSnapshot, account: string): Record<string, unknown> | null;
  /** Errors of an effective (operator-free) document. */
  validate(doc: Record<string, unknown>, ctx: { managementAccountId: string }): ValidationIssue[];
}

export function snapshotOf(state: SandboxState, policyType = 'BEDROCK_POLICY'): OrgSnapshot {
  return orgSnapshotOf(
    state,
    state.policies
      .filter((p) => p.type === policyType)
      .map((p) => ({ id: p.id, content: p.content, targets: state.attachments.filter((a) => a.policyId === p.id).map((a) => a.targetId) })),
  );
}

export const policyEngine: PolicyEngine = {
  effective: (snapshot, account) => effectivePolicyFor(snapshot, account).policy,
  validate: (doc, ctx) =>
    // Any region key is acceptable to Organizations itself (regions: [] = any).
    validateEffectivePolicy(doc, { managementAccountId: ctx.managementAccountId, regions: [] })
      .filter((i) => i.severity === 'error')
      .map((i) => ({ path: i.path, message: i.message })),
};

/** Kept async so callers need not change if the engine is ever loaded lazily. */
export async function loadPolicyEngine(): Promise<PolicyEngine> {
  return policyEngine;
}
