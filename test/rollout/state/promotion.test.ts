import type { EnforcementDefaults, EnforcementException } from '../../../model/types.js';
import { unitHashOf, unitLabel } from '../../../model/unit.js';
import { bakeLeftMs, type CandidateUnit, decidePromotion, hasPassed, rollbackTarget } from '../../../rollout/state/promotion.js';
import { emptyState, type PhaseRecord, type RolloutState, type UnitRecord } from '../../../rollout/state/store.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const ENF: EnforcementDefaults = { system: 'comprehensive', messages: 'selective', models: { included: ['ALL'], excluded: [] } };
const EXC: EnforcementException = {
  id: 'EXC-1',
  target: '222222222222',
  changes: { system: 'selective' },
  owner: 'o',
  reason: 'r',
  approver: 'a',
  expires: '2026-12-31',
};

/** A unit of `release` with the given settings (hash computed as model/unit.ts does). */
function unit(release: string, over: { enforcement?: EnforcementDefaults; exceptions?: EnforcementException[]; suite?: string } = {}) {
  const content = {
    release: { name: release, contentHash: `${release}-hash` },
    enforcement: over.enforcement ?? ENF,
    exceptions: over.exceptions ?? [],
  };
  const hash = unitHashOf(content);
  return { ...content, hash, label: unitLabel({ hash, release: content.release }), suiteHash: over.suite ?? 'suite-1', asOf: '2026-11-20' };
}
const U1: UnitRecord = { ...unit('baseline@2026.11.1'), stackHash: 's1' };
const U2: CandidateUnit = unit('baseline@2026.11.2');
/** The same release as U1 with one guarding mode changed: a new unit. */
const U1_COMPREHENSIVE = unit('baseline@2026.11.1', { enforcement: { ...ENF, messages: 'comprehensive' } });

function rec(u: UnitRecord | CandidateUnit | null, status: PhaseRecord['status'], extra: Partial<PhaseRecord> = {}): PhaseRecord {
  return {
    release: u?.release.name ?? null,
    unit: (u as UnitRecord) ?? null,
    status,
    attemptRelease: u?.release.name ?? U2.release.name,
    attemptUnit: (u as UnitRecord) ?? undefined,
    attemptId: 'a1',
    previousRelease: null,
    previousUnit: null,
    gates: [],
    ...extra,
  };
}
function state(phases: RolloutState['phases']): RolloutState {
  return { ...emptyState('sandbox'), phases };
}

describe('promotion rules (keyed on the unit hash)', () => {
  test('pilot accepts any unit on a fresh environment; nothing to roll back to', () => {
    expect(decidePromotion(emptyState('sandbox'), 'pilot', U2, NOW)).toEqual({
      kind: 'proceed',
      resume: false,
      previous: null,
      finishBakeOf: undefined,
      note: undefined,
    });
  });

  test('a later phase is refused until the previous phase passed the same unit', () => {
    const d = decidePromotion(emptyState('sandbox'), 'model-rules', U1, NOW);
    expect(d.kind).toBe('refused');
    expect((d as { reason: string }).reason).toMatch(/must pass pilot before model-rules.*pilot has no unit/);
    const other = decidePromotion(state({ pilot: rec(U1, 'passed') }), 'model-rules', U2, NOW);
    expect((other as { reason: string }).reason).toMatch(/pilot holds baseline@2026.11.1 #[0-9a-f]{12} \(passed\)/);
    for (const status of ['applied', 'applying', 'failed'] as const) {
      expect(decidePromotion(state({ pilot: rec(U1, status) }), 'model-rules', U1, NOW).kind).toBe('refused');
    }
    const rolled = decidePromotion(state({ pilot: rec(U1, 'rolled-back', { attemptUnit: { ...U2 } }) }), 'model-rules', U2, NOW);
    expect((rolled as { reason: string }).reason).toMatch(/last attempt baseline@2026.11.2/);
  });

  test('the same release with other enforcement settings is another unit: phase order refuses it (issue example 2)', () => {
    const d = decidePromotion(state({ ou: rec(U1, 'passed') }), 'enterprise', U1_COMPREHENSIVE, NOW);
    expect(d.kind).toBe('refused');
    expect((d as { reason: string }).reason).toMatch(/must pass ou before enterprise; ou holds baseline@2026.11.1 #/);
    // ...and on the phase itself it is not a no-op but a new attempt, U1 being the rollback target.
    expect(decidePromotion(state({ pilot: rec(U1, 'passed') }), 'pilot', U1_COMPREHENSIVE, NOW)).toMatchObject({
      kind: 'proceed',
      previous: U1,
    });
  });

  test('a unit that differs only by an exception no longer in force may follow the previous phase', () => {
    const withExc = { ...unit('baseline@2026.11.1', { exceptions: [EXC] }), stackHash: 'x' };
    const withoutExc = unit('baseline@2026.11.1');
    const d = decidePromotion(state({ ou: rec(withExc, 'passed') }), 'enterprise', withoutExc, NOW);
    expect(d).toMatchObject({ kind: 'proceed', note: expect.stringMatching(/only by exceptions no longer in force/) });
    // The other way round (an exception added) is a new unit that goes through the phases.
    expect(decidePromotion(state({ ou: rec({ ...withoutExc, stackHash: 'y' }, 'passed') }), 'enterprise', withExc, NOW).kind).toBe(
      'refused',
    );
  });

  test('bake time of the previous phase must have elapsed', () => {
    const baking = rec(U1, 'gated', { bakeUntil: '2026-11-20T12:30:00Z' });
    const d = decidePromotion(state({ pilot: baking }), 'model-rules', U1, NOW);
    expect(d).toEqual({ kind: 'refused', reason: expect.stringMatching(/pilot is baking .* for 30m more/) });
    const done = rec(U1, 'gated', { bakeUntil: '2026-11-20T11:59:59Z' });
    expect(decidePromotion(state({ pilot: done }), 'model-rules', U1, NOW)).toMatchObject({ kind: 'proceed', finishBakeOf: 'pilot' });
    expect(decidePromotion(state({ pilot: rec(U1, 'passed') }), 'model-rules', U1, NOW)).toMatchObject({
      kind: 'proceed',
      finishBakeOf: undefined,
    });
  });

  test('the unit already in place with gates passed is a no-op that says so; a changed smoke suite re-gates it', () => {
    const d = decidePromotion(state({ pilot: rec(U1, 'passed', { appliedAt: '2026-11-19T10:00:00Z' }) }), 'pilot', U1, NOW);
    expect(d).toEqual({ kind: 'no-op', reason: expect.stringMatching(/already in place on pilot/) });
    const gated = decidePromotion(state({ pilot: rec(U1, 'gated', { bakeUntil: '2026-11-20T13:00:00Z' }) }), 'pilot', U1, NOW);
    expect(gated).toEqual({ kind: 'no-op', reason: expect.stringMatching(/bake time left 60m/) });
    expect(decidePromotion(state({ pilot: rec(U1, 'gated', { bakeUntil: '2026-11-20T11:00:00Z' }) }), 'pilot', U1, NOW)).toEqual({
      kind: 'finish-bake',
      phase: 'pilot',
    });
    expect(decidePromotion(state({ pilot: rec(U1, 'passed') }), 'pilot', { ...U1, suiteHash: 'suite-2' }, NOW)).toMatchObject({
      kind: 'proceed',
      resume: false,
    });
  });

  test('an attempt left applying/applied is resumed with the same attempt id and rollback target', () => {
    for (const status of ['applying', 'applied'] as const) {
      const d = decidePromotion(
        state({ pilot: rec({ ...U2, stackHash: 's2' }, status, { attemptId: 'crashed', previousUnit: U1 }) }),
        'pilot',
        U2,
        NOW,
      );
      expect(d).toEqual({ kind: 'proceed', resume: true, attemptId: 'crashed', previous: U1, finishBakeOf: undefined, note: undefined });
    }
  });

  test('a new unit replaces the one in place, which becomes the rollback target', () => {
    expect(decidePromotion(state({ pilot: rec(U1, 'passed') }), 'pilot', U2, NOW)).toMatchObject({
      kind: 'proceed',
      resume: false,
      previous: U1,
    });
    // an unverified unit in place is never a rollback target
    expect(decidePromotion(state({ pilot: rec(U1, 'applied', { previousUnit: null }) }), 'pilot', U2, NOW)).toMatchObject({
      previous: null,
    });
  });

  test('rollback target, bake left and passed helpers', () => {
    expect(rollbackTarget(undefined)).toBeNull();
    expect(rollbackTarget(rec({ ...U2, stackHash: 's2' }, 'applied', { previousUnit: U1 }))).toBe(U1);
    expect(rollbackTarget(rec(U1, 'rolled-back'))).toBe(U1);
    expect(bakeLeftMs(rec(U1, 'gated', { bakeUntil: '2026-11-20T12:00:10Z' }), NOW)).toBe(10_000);
    expect(bakeLeftMs(rec(U1, 'passed'), NOW)).toBe(0);
    expect(hasPassed(rec(U1, 'passed'), U1.hash, NOW)).toBe(true);
    expect(hasPassed(rec(U1, 'passed'), U2.hash, NOW)).toBe(false);
  });
});
