/**
 * Promotion rules: whether a promoted unit (model/unit.ts: release + enforcement settings +
 * exceptions in force) may enter a phase. Pure (state + unit + clock in, decision out), so every
 * rule is unit-tested without AWS. Everything is keyed on the unit hash, never the release name:
 *
 *  - phase k > 0 needs the same unit to have passed phase k-1's gates and that phase's bake time
 *    (`phases.<p>.bakeSeconds`, 0 allowed, counted from its apply) to have elapsed. One exception
 *    (docs/rollout.md): a unit that differs from phase k-1's only by exceptions no longer in force
 *    (expired or revoked) may follow it — exception policies attach at the root only, so the
 *    narrower phases never enforced them and their evidence still holds;
 *  - the unit already in place on the phase (applied, gates passed, same smoke suite) is a no-op;
 *    the same unit with a changed smoke suite is re-gated;
 *  - an attempt of the same unit left `applying`/`applied` (crash) is resumed: re-planned,
 *    re-applied (a no-op if it had landed) and re-gated — never marked passed without evidence.
 */
import { PHASES, type Phase } from '../../model/types.js';
import { differsOnlyByDroppedExceptions, unitLabel } from '../../model/unit.js';
import type { PhaseRecord, RolloutState, UnitRecord } from './store.js';

/** The unit a promotion computed, before it has a stack (what decidePromotion compares). */
export type CandidateUnit = Omit<UnitRecord, 'stackHash'>;

export type PromotionDecision =
  | { kind: 'proceed'; resume: false; previous: UnitRecord | null; finishBakeOf?: Phase; note?: string }
  | { kind: 'proceed'; resume: true; previous: UnitRecord | null; attemptId: string; finishBakeOf?: Phase; note?: string }
  /** Gates passed earlier, bake time is now over: only record the phase passed (after the bake gate). */
  | { kind: 'finish-bake'; phase: Phase }
  | { kind: 'no-op'; reason: string }
  | { kind: 'refused'; reason: string };

export function phaseIndex(phase: Phase): number {
  return PHASES.indexOf(phase);
}

export function previousPhase(phase: Phase): Phase | undefined {
  const i = phaseIndex(phase);
  return i > 0 ? PHASES[i - 1] : undefined;
}

/** Milliseconds of bake left for a gated phase (0 when elapsed or not gated). */
export function bakeLeftMs(rec: PhaseRecord | undefined, now: Date): number {
  if (rec?.status !== 'gated' || !rec.bakeUntil) return 0;
  return Math.max(0, Date.parse(rec.bakeUntil) - now.getTime());
}

/** The unit a phase returns to when its current attempt is rolled back. */
export function rollbackTarget(rec: PhaseRecord | undefined): UnitRecord | null {
  if (!rec) return null;
  // Only a unit whose gates passed (or that a rollback re-verified) is a safe target.
  if (rec.status === 'passed' || rec.status === 'gated' || rec.status === 'rolled-back') return rec.unit ?? null;
  return rec.previousUnit ?? null;
}

/** True when the phase holds the unit `hash` with gates passed and bake over. */
export function hasPassed(rec: PhaseRecord | undefined, hash: string, now: Date): boolean {
  if (!rec || rec.unit?.hash !== hash) return false;
  return rec.status === 'passed' || (rec.status === 'gated' && bakeLeftMs(rec, now) === 0);
}

function fmtDuration(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 120) return `${s}s`;
  const m = Math.ceil(s / 60);
  if (m < 120) return `${m}m`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function formatDuration(ms: number): string {
  return fmtDuration(ms);
}

const held = (rec: PhaseRecord | undefined) =>
  rec?.unit ? unitLabel(rec.unit) : rec?.release ? `${rec.release} (no unit recorded)` : 'nothing';

export function decidePromotion(state: RolloutState, phase: Phase, unit: CandidateUnit, now: Date): PromotionDecision {
  const cur = state.phases[phase];
  const prevPhase = previousPhase(phase);
  const label = unitLabel(unit);
  let finishBakeOf: Phase | undefined;
  let note: string | undefined;

  if (prevPhase) {
    const prev = state.phases[prevPhase];
    const same = prev?.unit?.hash === unit.hash;
    const narrowedOnly = !same && prev?.unit ? differsOnlyByDroppedExceptions(prev.unit, unit) : false;
    if (!prev || !(same || narrowedOnly) || !['passed', 'gated'].includes(prev.status)) {
      const attempt = prev?.attemptUnit && prev.attemptUnit.hash !== prev.unit?.hash ? `, last attempt ${unitLabel(prev.attemptUnit)}` : '';
      const where = prev ? `${prevPhase} holds ${held(prev)} (${prev.status}${attempt})` : `${prevPhase} has no unit`;
      return {
        kind: 'refused',
        reason: `phase order: ${label} must pass ${prevPhase} before ${phase}; ${where}. Run \`rollout promote ${prevPhase} --release ${unit.release.name}\` first`,
      };
    }
    if (narrowedOnly)
      note = `${prevPhase} passed ${unitLabel(prev.unit!)}, which differs from ${label} only by exceptions no longer in force`;
    const left = bakeLeftMs(prev, now);
    if (left > 0) {
      return {
        kind: 'refused',
        reason: `phase order: ${prevPhase} is baking ${held(prev)} for ${fmtDuration(left)} more (until ${prev.bakeUntil}); promote ${phase} after that`,
      };
    }
    if (prev.status === 'gated') finishBakeOf = prevPhase;
  }

  if (cur?.unit && cur.unit.hash === unit.hash && cur.unit.suiteHash === unit.suiteHash) {
    if (cur.status === 'passed')
      return {
        kind: 'no-op',
        reason: `${label} is already in place on ${phase} (applied ${cur.appliedAt ?? '?'}, gates passed ${cur.passedAt ?? cur.gatedAt ?? '?'}); nothing to do`,
      };
    if (cur.status === 'gated') {
      const left = bakeLeftMs(cur, now);
      if (left > 0)
        return {
          kind: 'no-op',
          reason: `${label} is already in place on ${phase}, gates passed; bake time left ${fmtDuration(left)} (until ${cur.bakeUntil})`,
        };
      return { kind: 'finish-bake', phase };
    }
  }

  if (cur && cur.attemptUnit?.hash === unit.hash && (cur.status === 'applying' || cur.status === 'applied')) {
    return { kind: 'proceed', resume: true, attemptId: cur.attemptId, previous: cur.previousUnit ?? null, finishBakeOf, note };
  }
  return { kind: 'proceed', resume: false, previous: rollbackTarget(cur), finishBakeOf, note };
}

/** bakeUntil for gates that passed at `at`. */
export function bakeUntil(at: Date, bakeSeconds: number): string {
  return new Date(at.getTime() + bakeSeconds * 1000).toISOString();
}
