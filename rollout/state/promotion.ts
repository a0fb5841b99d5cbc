/**
 * Promotion rules: whether a release may enter a phase. Pure (state + settings + clock in,
 * decision out) so every rule is unit-tested without AWS.
 *
 *  - phase k > 0 needs the same release to have passed phase k-1's gates and that phase's bake
 *    time (`phases.<p>.bakeSeconds`, 0 allowed, counted from its apply) to have elapsed;
 *  - a release already in place on the phase (applied and gates passed) is a no-op;
 *  - an attempt of the same release left `applying`/`applied` (crash) is resumed: re-planned,
 *    re-applied (a no-op if it had landed) and re-gated — never marked passed without evidence.
 */
import { PHASES, type Phase } from '../../model/types.js';
import type { PhaseRecord, RolloutState } from './store.js';

export type PromotionDecision =
  | { kind: 'proceed'; resume: false; previousRelease: string | null; finishBakeOf?: Phase }
  | { kind: 'proceed'; resume: true; previousRelease: string | null; attemptId: string; finishBakeOf?: Phase }
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

/** The release a phase returns to when its current attempt is rolled back. */
export function rollbackTarget(rec: PhaseRecord | undefined): string | null {
  if (!rec) return null;
  // Only a release whose gates passed (or that a rollback re-verified) is a safe target.
  if (rec.status === 'passed' || rec.status === 'gated' || rec.status === 'rolled-back') return rec.release;
  return rec.previousRelease;
}

/** True when the phase holds `release` with gates passed and bake over. */
export function hasPassed(rec: PhaseRecord | undefined, release: string, now: Date): boolean {
  if (!rec || rec.release !== release) return false;
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

export function decidePromotion(state: RolloutState, phase: Phase, release: string, now: Date): PromotionDecision {
  const cur = state.phases[phase];
  const prevPhase = previousPhase(phase);
  let finishBakeOf: Phase | undefined;

  if (prevPhase) {
    const prev = state.phases[prevPhase];
    if (!prev || prev.release !== release || !['passed', 'gated'].includes(prev.status)) {
      const where = prev
        ? `${prevPhase} holds ${prev.release ?? 'nothing'} (${prev.status}${prev.attemptRelease !== prev.release ? `, last attempt ${prev.attemptRelease}` : ''})`
        : `${prevPhase} has no release`;
      return {
        kind: 'refused',
        reason: `phase order: ${release} must pass ${prevPhase} before ${phase}; ${where}. Run \`rollout promote ${prevPhase} --release ${release}\` first`,
      };
    }
    const left = bakeLeftMs(prev, now);
    if (left > 0) {
      return {
        kind: 'refused',
        reason: `phase order: ${prevPhase} is baking ${release} for ${fmtDuration(left)} more (until ${prev.bakeUntil}); promote ${phase} after that`,
      };
    }
    if (prev.status === 'gated') finishBakeOf = prevPhase;
  }

  if (cur && cur.release === release) {
    if (cur.status === 'passed')
      return {
        kind: 'no-op',
        reason: `${release} is already in place on ${phase} (applied ${cur.appliedAt ?? '?'}, gates passed ${cur.passedAt ?? cur.gatedAt ?? '?'}); nothing to do`,
      };
    if (cur.status === 'gated') {
      const left = bakeLeftMs(cur, now);
      if (left > 0)
        return {
          kind: 'no-op',
          reason: `${release} is already in place on ${phase}, gates passed; bake time left ${fmtDuration(left)} (until ${cur.bakeUntil})`,
        };
      return { kind: 'finish-bake', phase };
    }
  }

  if (cur && cur.attemptRelease === release && (cur.status === 'applying' || cur.status === 'applied')) {
    return { kind: 'proceed', resume: true, attemptId: cur.attemptId, previousRelease: cur.previousRelease, finishBakeOf };
  }
  return { kind: 'proceed', resume: false, previousRelease: rollbackTarget(cur), finishBakeOf };
}

/** bakeUntil for gates that passed at `at`. */
export function bakeUntil(at: Date, bakeSeconds: number): string {
  return new Date(at.getTime() + bakeSeconds * 1000).toISOString();
}
