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
 *    re-applied (a no-op if it had landed) and re-gated — never marked passed without evidence;
 *  - a unit older than what the phase holds (first held, on any phase, before the unit the phase
 *    holds now) is going backwards: refused unless `--to-older "<reason>"` makes it deliberate.
 *
 * Phase histories (the units a phase held with gates passed, or re-verified by a rollback) are
 * kept here too: what `rollback --to` resolves against, and what "older" is judged by.
 */
import { PHASES, type Phase } from '../../model/types.js';
import { differsOnlyByDroppedExceptions, unitLabel } from '../../model/unit.js';
import type { HeldUnit, PhaseRecord, RolloutState, UnitRecord } from './store.js';

/** The unit a promotion computed, before it has a stack (what decidePromotion compares). */
export type CandidateUnit = Omit<UnitRecord, 'stackHash'>;

/** An older unit promoted forward with --to-older: what the ledger records. */
export interface OlderUnit {
  /** The unit the phase holds now (newer). */
  from: string;
  /** The older unit promoted. */
  to: string;
  /** When the older unit was first held (on any phase); absent for state written before histories. */
  firstHeldAt?: string;
  reason: string;
}

export interface PromotionOptions {
  /** `--to-older "<reason>"`: promote a unit older than what the phase holds. */
  toOlder?: string;
}

export type PromotionDecision =
  | { kind: 'proceed'; resume: false; previous: UnitRecord | null; finishBakeOf?: Phase; note?: string; older?: OlderUnit }
  | {
      kind: 'proceed';
      resume: true;
      previous: UnitRecord | null;
      attemptId: string;
      finishBakeOf?: Phase;
      note?: string;
      older?: OlderUnit;
    }
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

export function decidePromotion(
  state: RolloutState,
  phase: Phase,
  unit: CandidateUnit,
  now: Date,
  opts: PromotionOptions = {},
): PromotionDecision {
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

  // After phase order (the older unit must hold the previous phase like any other), before the
  // no-op and resume rules (neither applies: the phase holds another unit).
  const older = olderUnit(state, phase, unit);
  let olderAccepted: OlderUnit | undefined;
  if (older) {
    const first = older.firstHeldAt ? ` (first held ${older.firstHeldAt})` : '';
    // A unit of the phase's own history can be returned to without a promotion.
    const heldHere = phaseHistory(cur).some((h) => h.unit.hash === unit.hash);
    const orRollback = heldHere ? `, or return ${phase} to it with \`rollout rollback ${phase} --to "${label}"\`` : '';
    if (!opts.toOlder)
      return {
        kind: 'refused',
        reason: `older unit: ${label}${first} is older than ${unitLabel(older.newer)}, which ${phase} holds now. Promoting an older unit forward is a deliberate action: review \`rollout plan ${phase} --release ${unit.release.name}\`, then re-run with --to-older "<reason>" (recorded in the ledger)${orRollback}`,
      };
    olderAccepted = {
      from: older.newer.label,
      to: label,
      reason: opts.toOlder,
      ...(older.firstHeldAt ? { firstHeldAt: older.firstHeldAt } : {}),
    };
    const why = `${label} is older than ${unitLabel(older.newer)} on ${phase}; promoted forward deliberately (--to-older)`;
    note = note ? `${note}; ${why}` : why;
  }
  const withOlder = olderAccepted ? { older: olderAccepted } : {};

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
    return {
      kind: 'proceed',
      resume: true,
      attemptId: cur.attemptId,
      previous: cur.previousUnit ?? null,
      finishBakeOf,
      note,
      ...withOlder,
    };
  }
  return { kind: 'proceed', resume: false, previous: rollbackTarget(cur), finishBakeOf, note, ...withOlder };
}

/** Entries a phase's history keeps (the oldest are dropped): enough to undo a few weeks of releases. */
export const HISTORY_LIMIT = 20;

const GOOD: readonly PhaseRecord['status'][] = ['passed', 'gated', 'rolled-back'];

/**
 * The units a phase held, oldest first. State written before histories has only `previousUnit`
 * (a rollback target, so it had passed) and `unit` (counted when its gates passed or a rollback
 * re-verified it): a history of up to two.
 */
export function phaseHistory(rec: PhaseRecord | undefined): HeldUnit[] {
  if (!rec) return [];
  if (rec.history) return rec.history;
  const out: HeldUnit[] = [];
  if (rec.previousUnit) out.push({ unit: rec.previousUnit, how: 'recorded-before-history' });
  if (rec.unit && GOOD.includes(rec.status) && rec.unit.hash !== rec.previousUnit?.hash) {
    const at = rec.passedAt ?? rec.gatedAt ?? rec.rolledBackAt ?? rec.appliedAt;
    out.push({ unit: rec.unit, how: 'recorded-before-history', ...(at ? { at } : {}) });
  }
  return out;
}

/**
 * `history` with `entry` appended (bounded). The same attempt recording the same unit again (gated,
 * then passed after the bake) replaces its entry instead of doubling it.
 */
export function withHeld(history: HeldUnit[], entry: HeldUnit, limit = HISTORY_LIMIT): HeldUnit[] {
  const last = history.at(-1);
  const same = last && entry.attemptId && last.attemptId === entry.attemptId && last.unit.hash === entry.unit.hash;
  return [...(same ? history.slice(0, -1) : history), entry].slice(-limit);
}

/** The phase's history once it holds `rec.unit` (`how`, by `attemptId`, at `at`); unchanged when it holds none. */
export function heldAfter(rec: PhaseRecord, how: HeldUnit['how'], attemptId: string, at: string): HeldUnit[] {
  const history = phaseHistory(rec);
  return rec.unit ? withHeld(history, { unit: rec.unit, how, at, attemptId }) : history;
}

/**
 * `history` without the entries of `attemptId`: an attempt halted after it was recorded (its bake
 * analysis failed) no longer counts as held with gates passed.
 */
export function withoutAttempt(history: HeldUnit[], attemptId: string): HeldUnit[] {
  return history.filter((h) => h.attemptId !== attemptId || h.how !== 'promoted');
}

/** One line per unit, newest first (refusals list what the history holds). */
export function describeHistory(history: HeldUnit[]): string[] {
  return [...history]
    .reverse()
    .map(
      (h) =>
        `  ${h.unit.label} — ${h.how === 'recorded-before-history' ? 'held (recorded before histories)' : h.how}${h.at ? ` ${h.at}` : ''}`,
    );
}

export type HistoryPick = { kind: 'found'; held: HeldUnit } | { kind: 'refused'; reason: string };

/**
 * Resolves `rollback --to <query>` against a phase's history: a unit label, a unit hash (or a
 * prefix of ≥ 8 hex characters, optionally after `#`), or a release name (its one unit in the
 * history). The latest entry of the unit is returned; several units matching is ambiguous.
 */
export function resolveHistoryUnit(phase: Phase, history: HeldUnit[], query: string): HistoryPick {
  const q = query.trim();
  const hex = q.replace(/^#/, '').toLowerCase();
  const rules: [string, (h: HeldUnit) => boolean][] = [
    ['label', (h) => h.unit.label === q],
    ['hash', (h) => /^[0-9a-f]{8,64}$/.test(hex) && h.unit.hash.startsWith(hex)],
    ['release', (h) => h.unit.release.name === q],
  ];
  for (const [what, match] of rules) {
    const hits = history.filter(match);
    if (!hits.length) continue;
    const units = [...new Set(hits.map((h) => h.unit.hash))];
    if (units.length > 1) {
      // Newest first, one line per unit (its latest entry).
      const latest = units.map((u) => hits.filter((h) => h.unit.hash === u).at(-1)!);
      latest.sort((a, b) => history.lastIndexOf(b) - history.lastIndexOf(a));
      return {
        kind: 'refused',
        reason: [
          `--to ${q}: ${units.length} units of ${phase}'s history match this ${what}; name one by its label or hash:`,
          ...describeHistory([...latest].reverse()),
        ].join('\n'),
      };
    }
    return { kind: 'found', held: hits.at(-1)! };
  }
  const short = /^[0-9a-f]{1,7}$/.test(hex) ? ' (a hash prefix needs at least 8 hex characters)' : '';
  return {
    kind: 'refused',
    reason: history.length
      ? [`--to ${q}: not a unit ${phase} held${short}; its history (newest first):`, ...describeHistory(history)].join('\n')
      : `--to ${q}: ${phase} has no history of units to return to${short}`,
  };
}

/** When a unit was first held on any phase ('' for entries without a time: before histories). */
function firstHeld(state: RolloutState, hash: string): string | undefined {
  let first: string | undefined;
  for (const p of PHASES) {
    for (const h of phaseHistory(state.phases[p])) {
      if (h.unit.hash !== hash) continue;
      const at = h.at ?? '';
      if (first === undefined || at < first) first = at;
    }
  }
  return first;
}

/**
 * Whether promoting `unit` into `phase` goes backwards: the unit was first held (on any phase)
 * before the unit the phase holds now. Judged across phases because a wider phase may never
 * have held the older unit (it skipped it) and taking it is still a step back. "Holds now" is
 * the unit in place when some phase held it with gates passed, else the phase's newest history
 * entry (an attempt that never passed anywhere is not a reference).
 */
export function olderUnit(
  state: RolloutState,
  phase: Phase,
  unit: Pick<UnitRecord, 'hash'>,
): { newer: UnitRecord; firstHeldAt?: string } | null {
  const rec = state.phases[phase];
  const own = phaseHistory(rec);
  const current = rec?.unit && firstHeld(state, rec.unit.hash) !== undefined ? rec.unit : own.at(-1)?.unit;
  if (!current || current.hash === unit.hash) return null;
  const fu = firstHeld(state, unit.hash);
  const fv = firstHeld(state, current.hash);
  if (fu === undefined || fv === undefined) return null;
  // Equal times only happen for entries without one (state before histories): the phase's own order decides.
  const iu = own.findIndex((h) => h.unit.hash === unit.hash);
  const iv = own.findIndex((h) => h.unit.hash === current.hash);
  const older = fu < fv || (fu === fv && iu >= 0 && iv >= 0 && iu < iv);
  return older ? { newer: current, ...(fu ? { firstHeldAt: fu } : {}) } : null;
}

/** bakeUntil for gates that passed at `at`. */
export function bakeUntil(at: Date, bakeSeconds: number): string {
  return new Date(at.getTime() + bakeSeconds * 1000).toISOString();
}
