/**
 * Promote's weakening rule (docs/rollout.md, "Weakening changes"): a unit that weakens what a
 * phase enforces now (a PII entity removed, a strength lowered, a model newly excluded, …) is
 * refused before anything is applied, unless the person promoting acknowledges it with
 * `--accept-weakening "<reason>"`; the acknowledgement is recorded in the ledger with the actor
 * and every weakening item. The gates cannot catch this: a weakened filter that no smoke case
 * exercises passes them. Rollback needs no acknowledgement: it restores what was in force.
 */
import { UsageError } from '../../core/errors.js';
import type { DiffItem } from '../../guardrail/diff.js';
import type { Environment, Phase } from '../../model/types.js';
import type { PromotedUnit } from '../../model/unit.js';
import { semanticDiff } from '../report/semantic-diff.js';
import type { LedgerInput } from '../state/ledger.js';
import type { UnitRecord } from '../state/store.js';
import type { Session } from './session.js';

/**
 * The weakening items of `unit` against `previous` (the unit in force on the phase, the one a
 * rollback would return to); throws a UsageError (exit 2) listing them unless `accepted` (the
 * --accept-weakening reason) is given. Empty when nothing weakens.
 */
export function refuseUnacceptedWeakening(
  env: Environment,
  phase: Phase,
  previous: UnitRecord | null,
  unit: PromotedUnit & { label: string },
  accepted: string | undefined,
): DiffItem[] {
  const items = semanticDiff(env, previous, unit).items.filter((i) => i.effect === 'weakens');
  if (!items.length || accepted) return items;
  throw new UsageError(
    [
      `${unit.label} weakens what ${phase} enforces now (${previous?.label ?? 'nothing'}); nothing was applied:`,
      ...items.map((i) => `  weakens: ${i.summary}`),
      'Review each item; to promote it anyway, re-run with --accept-weakening "<reason>" (the reason, who and the items are recorded in the ledger).',
    ].join('\n'),
  );
}

/** Records the acknowledgement once per attempt (a resumed attempt does not record it twice). */
export async function recordWeakeningAccepted(
  s: Session,
  entry: Omit<LedgerInput, 'kind' | 'env'> & { attemptId: string },
  items: DiffItem[],
  reason: string,
): Promise<void> {
  await s.ledger.appendOnce({
    ...entry,
    env: s.env.name,
    kind: 'weakening-accepted',
    summary: reason,
    detail: items.map(({ path, before, after, summary }) => ({ path, before, after, summary })),
    key: `${entry.attemptId}:weakening-accepted`,
  });
}
