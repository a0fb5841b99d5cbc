/**
 * One terminal line per planned stack, shown while `plan`/`promote` plan: how many changes and of
 * which kind, in the labels of the reviewer report, so an object that stays in AWS reads
 * "forget (kept in AWS)" before anyone approves the apply.
 */
import { CHANGE_ACTIONS, changeLabel } from '../state/change-action.js';
import type { EnginePlan } from '../state/contracts.js';

/** e.g. "guardrails: 3 change(s) (2 create, 1 forget (kept in AWS)), plan 0123456789ab". */
export function planSummaryLine(plan: EnginePlan): string {
  const changed = plan.changes.filter((c) => c.action !== 'no-op');
  const byLabel = new Map<string, number>();
  const ordered = [...changed].sort((a, b) => CHANGE_ACTIONS.indexOf(a.action) - CHANGE_ACTIONS.indexOf(b.action));
  for (const c of ordered) {
    const label = changeLabel({ action: c.action });
    byLabel.set(label, (byLabel.get(label) ?? 0) + 1);
  }
  const kinds = [...byLabel].map(([label, n]) => `${n} ${label}`).join(', ');
  return `${plan.stack}: ${changed.length} change(s)${kinds ? ` (${kinds})` : ''}, plan ${plan.planHash.slice(0, 12)}`;
}
