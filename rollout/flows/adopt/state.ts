/**
 * What the other flows read from the adopted objects in the rollout state (RolloutState.adopted):
 * until the owning phase records what it enforces after its next apply or rollback ("settled"),
 * an adopted object is accepted by preflight's drift check by the content it had when adopted,
 * expected by the effective-policy gate as in force, and (terraform engine) imported by the
 * owning phase's next plan.
 */
import type { Phase } from '../../../model/types.js';
import type { GateRunContext } from '../../gates/context.js';
import type { EnforcementSnapshot, RecordedAccountConfig, RecordedPolicy } from '../../gates/preflight/recorded.js';
import type { AdoptedRecord, RolloutState } from '../../state/store.js';

const open = (state: Pick<RolloutState, 'adopted'>): AdoptedRecord[] => (state.adopted ?? []).filter((a) => !a.settledAt);

/** The unsettled adopted objects as a record for preflight (merged under the phases' own records). */
export function adoptedSnapshot(state: Pick<RolloutState, 'adopted'>): EnforcementSnapshot {
  const items = open(state);
  return {
    policies: items.filter((a) => a.kind === 'policy').map((a) => a.object as RecordedPolicy),
    accountConfigs: items.filter((a) => a.kind === 'account-config').map((a) => a.object as RecordedAccountConfig),
  };
}

/** GateRunContext.adoptedPolicies and adoptedConfigs: adopted objects still in force as found. */
export function adoptedInForce(state: Pick<RolloutState, 'adopted'>): Pick<GateRunContext, 'adoptedPolicies' | 'adoptedConfigs'> {
  const snap = adoptedSnapshot(state);
  const policies = snap.policies.map((p) => ({ id: p.id, content: p.content, targets: p.targets }));
  return {
    ...(policies.length ? { adoptedPolicies: policies } : {}),
    ...(snap.accountConfigs.length ? { adoptedConfigs: snap.accountConfigs } : {}),
  };
}

/**
 * Marks the adopted objects `phase` owns that its new record holds as settled: that record says
 * from now on what is in place. One the record lacks (a rollback left it as it was found, under
 * a name that is not the phase's) stays adopted.
 */
export function settleAdopted(state: RolloutState, phase: Phase, record: EnforcementSnapshot, at = new Date().toISOString()): void {
  const held = new Set([...record.policies.map((p) => p.id), ...record.accountConfigs.map((c) => `${c.account}/${c.region}`)]);
  for (const a of unsettledOf(state, phase)) if (held.has(a.id)) a.settledAt = at;
}

/** The unsettled adopted objects `phase` owns. */
export const unsettledOf = (state: Pick<RolloutState, 'adopted'>, phase: Phase): AdoptedRecord[] =>
  open(state).filter((a) => a.owner === phase);

/** Terraform `import` blocks the next plan of `phase` carries (unsettled adopted objects it owns). */
export function pendingImports(state: Pick<RolloutState, 'adopted'>, phase: Phase): NonNullable<AdoptedRecord['imports']> {
  return open(state)
    .filter((a) => a.owner === phase)
    .flatMap((a) => a.imports ?? []);
}
