/**
 * `rollout rollback <phase> [--to <unit>]` (on demand) and `rollout verify <phase>` (re-run the
 * post-apply gates against what is recorded). Both touch only the named phase. `--to` returns the
 * phase to any unit of its history (rollout/state/promotion.ts phaseHistory), re-applying that
 * unit's kept stack; without it the target is the unit held before the latest attempt.
 */
import type { Phase } from '../../model/types.js';
import { UsageError } from '../../core/errors.js';
import { failedChecks, gateDeadlineMs, runPostApplyGates } from '../gates/index.js';
import { gateContext } from './gate-calls.js';
import { resultEvents } from '../notify/index.js';
import {
  heldSettings,
  recordGate,
  rollBackPhase,
  RESULT_SCHEMA_VERSION,
  type FlowDeps,
  type RollbackTo,
  type RolloutResult,
} from './promote.js';
import { releasesInPlace, newAttemptId, type PhaseRecord } from '../state/store.js';
import { phaseHistory, resolveHistoryUnit } from '../state/promotion.js';
import type { Session } from './session.js';
import type { EnginePlan } from '../state/contracts.js';
import { environmentOf, unitDate } from './unit.js';
import { withOrganizationDrift } from './org-drift.js';

export interface RollbackDeps extends FlowDeps {
  /**
   * Sees the rollback's planned changes (the phase stack, then any relocked wider phase) before
   * anything is recorded or applied, as promote shows its plan; false: declined, nothing changes.
   */
  confirmPlans?: (plans: EnginePlan[], to: string) => Promise<boolean>;
}

/** `rollout rollback <phase>`; its outcome is also notified (rollout/notify). */
export async function rollBack(s: Session, phase: Phase, deps: RollbackDeps): Promise<RolloutResult> {
  const r = await rollBackOperator(s, phase, deps);
  for (const e of resultEvents(r)) s.notifier.emit(e);
  return r;
}

async function rollBackOperator(s: Session, phase: Phase, deps: RollbackDeps): Promise<RolloutResult> {
  const state = await s.state();
  const rec = state.phases[phase];
  if (!rec) throw new UsageError(`nothing recorded for ${phase} in ${s.env.name}: nothing to roll back`);
  const base = { schemaVersion: RESULT_SCHEMA_VERSION, kind: 'rollback' as const, env: s.env.name, phase, gates: [], failedChecks: [] };
  if (s.flags.to) return rollBackTo(s, phase, rec, s.flags.to, base, deps);
  if (rec.status === 'rolled-back') {
    // The result's message is printed once by the verb (text or JSON); no progress line too.
    const message = `${phase} was already rolled back to ${rec.release ?? 'nothing'} (from ${rec.attemptRelease}); nothing to do`;
    return { ...base, release: rec.release, ok: true, exitCode: 0, outcome: 'no-op', message, phaseState: rec };
  }
  // An interrupted rollback is finished to where it was going; otherwise the unit in place before
  // the latest attempt (state written before units existed has only its release).
  const to =
    rec.status === 'rolling-back' && rec.rollbackTo
      ? rec.rollbackTo
      : { unit: rec.previousUnit ?? null, release: rec.previousUnit?.release.name ?? rec.previousRelease };
  return runRollback(s, phase, rec, to, `on demand by operator (was ${rec.release ?? 'nothing'}, ${rec.status})`, base, deps);
}

type ResultBase = Pick<RolloutResult, 'schemaVersion' | 'kind' | 'env' | 'phase' | 'gates' | 'failedChecks'>;

/**
 * `rollback <phase> --to <query>`: resolved against the phase's history before anything is
 * connected, recorded or applied (an unknown or ambiguous target exits 2 listing the history). An
 * interrupted rollback is superseded: applying the chosen unit's kept stack converges whatever it
 * left.
 */
async function rollBackTo(
  s: Session,
  phase: Phase,
  rec: PhaseRecord,
  query: string,
  base: ResultBase,
  deps: RollbackDeps,
): Promise<RolloutResult> {
  const pick = resolveHistoryUnit(phase, phaseHistory(rec), query);
  if (pick.kind === 'refused') throw new UsageError(`${pick.reason}\nnothing was rolled back`);
  const unit = pick.held.unit;
  // Holding it already with gates passed or re-verified: nothing to return to. (Failed or
  // interrupted: returning to it again is how that is repaired.)
  if (rec.unit?.hash === unit.hash && ['passed', 'gated', 'rolled-back'].includes(rec.status)) {
    const message = `${phase} already holds ${unit.label} (${rec.status}); nothing to do`;
    return {
      ...base,
      release: rec.release,
      unit: { label: unit.label, hash: unit.hash },
      ok: true,
      exitCode: 0,
      outcome: 'no-op',
      message,
      phaseState: rec,
    };
  }
  const how = pick.held.how === 'recorded-before-history' ? 'held' : pick.held.how;
  const reason = `on demand by operator: --to ${unit.label} (${how}${pick.held.at ? ` ${pick.held.at}` : ''}; was ${rec.unit?.label ?? rec.release ?? 'nothing'}, ${rec.status})`;
  return runRollback(s, phase, rec, { unit, release: unit.release.name }, reason, base, deps);
}

async function runRollback(
  s: Session,
  phase: Phase,
  rec: PhaseRecord,
  to: RollbackTo,
  reason: string,
  base: ResultBase,
  deps: RollbackDeps,
): Promise<RolloutResult> {
  const attemptId = newAttemptId();
  const t = await deps.progress.step(`connect to ${s.env.name}`, () => s.target());
  const rb = await rollBackPhase(
    s,
    t,
    phase,
    to,
    attemptId,
    reason,
    deps,
    deps.confirmPlans
      ? async (plans) => {
          // The same exit as a declined promote: bad input, nothing changed (exit 2).
          if (!(await deps.confirmPlans!(plans, to.unit?.label ?? to.release ?? 'nothing')))
            throw new UsageError('cancelled: nothing was rolled back');
        }
      : undefined,
  );
  const ok = rb.status === 'rolled-back';
  return {
    ...base,
    release: to.release,
    unit: to.unit ? { label: to.unit.label, hash: to.unit.hash } : null,
    attemptId,
    ok,
    exitCode: ok ? 0 : 1,
    outcome: 'rolled-back',
    rollback: rb,
    gates: rb.gates,
    failedChecks: failedChecks(rb.gates),
    message: ok
      ? `${phase} rolled back from ${rec.unit?.label ?? rec.release ?? 'nothing'} to ${to.unit?.label ?? to.release ?? 'nothing'}; effective policy re-verified`
      : `${phase} rolled back to ${to.unit?.label ?? to.release ?? 'nothing'}, but re-verification failed`,
    phaseState: (await s.state()).phases[phase],
  };
}

export async function verify(s: Session, phase: Phase, deps: FlowDeps): Promise<RolloutResult> {
  const state = await s.state();
  const rec = state.phases[phase];
  if (!rec?.release) throw new UsageError(`no release is recorded on ${phase} in ${s.env.name}: promote it first`);
  if (rec.status === 'rolling-back') {
    throw new UsageError(
      `${phase} was left rolling back (attempt ${rec.attemptId}): run \`rollout rollback ${phase}\` (or promote again) to complete it first`,
    );
  }
  const release = rec.release;
  const t = await deps.progress.step(`connect to ${s.env.name}`, () => s.target());
  // Judged against the unit recorded on the phase, not today's environment file.
  const asOf = rec.unit ? unitDate(rec.unit) : s.flags.asOf;
  const ctx = gateContext(s, t, state, phase, release, releasesInPlace(state), {
    env: environmentOf(s.env, rec.unit, asOf),
    asOf,
    phaseEnforcement: heldSettings(state),
  });
  // Plus the organization tree against the file (org-drift.ts): an account the file does not list misses every gate.
  const results = await deps.progress.step(`gates: propagation, smoke, effective-policy (${release} on ${phase})`, async () =>
    withOrganizationDrift(s, await runPostApplyGates(ctx, gateDeadlineMs(t.kind))),
  );
  const attemptId = `verify-${newAttemptId()}`;
  for (const g of results) await recordGate(s, g, { attemptId, phase, release }, deps.progress);
  const failed = failedChecks(results);
  const ok = results.length > 0 && results.every((g) => g.status === 'passed');
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    kind: 'verify',
    env: s.env.name,
    phase,
    release,
    attemptId,
    ok,
    exitCode: ok ? 0 : 1,
    outcome: ok ? 'verified' : 'verify-failed',
    gates: results,
    failedChecks: failed,
    phaseState: rec,
    message: ok
      ? `${release} on ${phase}: gates passed`
      : [
          `${release} on ${phase}: ${failed.length} check(s) did not pass (nothing was changed; consider \`rollout rollback ${phase}\`)`,
          ...failed.map((f) => `  ✖ ${f.gate} ${f.id}: ${f.detail}`),
        ].join('\n'),
  };
}
