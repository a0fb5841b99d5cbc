import { decidePromotion, rollbackTarget, bakeLeftMs, hasPassed } from '../../../rollout/state/promotion.js';
import { emptyState, type PhaseRecord, type RolloutState } from '../../../rollout/state/store.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const R1 = 'baseline@2026.11.1';
const R2 = 'baseline@2026.11.2';

function rec(release: string | null, status: PhaseRecord['status'], extra: Partial<PhaseRecord> = {}): PhaseRecord {
  return { release, status, attemptRelease: release ?? R2, attemptId: 'a1', previousRelease: null, gates: [], ...extra };
}
function state(phases: RolloutState['phases']): RolloutState {
  return { ...emptyState('sandbox'), phases };
}

describe('promotion rules', () => {
  test('pilot accepts any release on a fresh environment; nothing to roll back to', () => {
    expect(decidePromotion(emptyState('sandbox'), 'pilot', R1, NOW)).toEqual({
      kind: 'proceed',
      resume: false,
      previousRelease: null,
      finishBakeOf: undefined,
    });
  });

  test('a later phase is refused until the previous phase passed the same release', () => {
    const d = decidePromotion(emptyState('sandbox'), 'model-rules', R1, NOW);
    expect(d.kind).toBe('refused');
    expect((d as { reason: string }).reason).toMatch(/must pass pilot before model-rules.*pilot has no release/);
    const other = decidePromotion(state({ pilot: rec(R1, 'passed') }), 'model-rules', R2, NOW);
    expect((other as { reason: string }).reason).toMatch(/pilot holds baseline@2026.11.1 \(passed\)/);
    for (const status of ['applied', 'applying', 'failed'] as const) {
      expect(decidePromotion(state({ pilot: rec(R1, status) }), 'model-rules', R1, NOW).kind).toBe('refused');
    }
    const rolled = decidePromotion(state({ pilot: rec(R1, 'rolled-back', { attemptRelease: R2 }) }), 'model-rules', R2, NOW);
    expect((rolled as { reason: string }).reason).toMatch(/last attempt baseline@2026.11.2/);
  });

  test('bake time of the previous phase must have elapsed', () => {
    const baking = rec(R1, 'gated', { bakeUntil: '2026-11-20T12:30:00Z' });
    const d = decidePromotion(state({ pilot: baking }), 'model-rules', R1, NOW);
    expect(d).toEqual({ kind: 'refused', reason: expect.stringMatching(/pilot is baking .* for 30m more/) });
    const done = rec(R1, 'gated', { bakeUntil: '2026-11-20T11:59:59Z' });
    expect(decidePromotion(state({ pilot: done }), 'model-rules', R1, NOW)).toMatchObject({ kind: 'proceed', finishBakeOf: 'pilot' });
    expect(decidePromotion(state({ pilot: rec(R1, 'passed') }), 'model-rules', R1, NOW)).toMatchObject({
      kind: 'proceed',
      finishBakeOf: undefined,
    });
  });

  test('a release already in place with gates passed is a no-op that says so', () => {
    const d = decidePromotion(state({ pilot: rec(R1, 'passed', { appliedAt: '2026-11-19T10:00:00Z' }) }), 'pilot', R1, NOW);
    expect(d).toEqual({ kind: 'no-op', reason: expect.stringMatching(/already in place on pilot/) });
    const gated = decidePromotion(state({ pilot: rec(R1, 'gated', { bakeUntil: '2026-11-20T13:00:00Z' }) }), 'pilot', R1, NOW);
    expect(gated).toEqual({ kind: 'no-op', reason: expect.stringMatching(/bake time left 60m/) });
    expect(decidePromotion(state({ pilot: rec(R1, 'gated', { bakeUntil: '2026-11-20T11:00:00Z' }) }), 'pilot', R1, NOW)).toEqual({
      kind: 'finish-bake',
      phase: 'pilot',
    });
  });

  test('an attempt left applying/applied is resumed with the same attempt id and rollback target', () => {
    for (const status of ['applying', 'applied'] as const) {
      const d = decidePromotion(state({ pilot: rec(R2, status, { attemptId: 'crashed', previousRelease: R1 }) }), 'pilot', R2, NOW);
      expect(d).toEqual({ kind: 'proceed', resume: true, attemptId: 'crashed', previousRelease: R1, finishBakeOf: undefined });
    }
  });

  test('a new release replaces the one in place, which becomes the rollback target', () => {
    expect(decidePromotion(state({ pilot: rec(R1, 'passed') }), 'pilot', R2, NOW)).toMatchObject({
      kind: 'proceed',
      resume: false,
      previousRelease: R1,
    });
    // an unverified release in place is never a rollback target
    expect(decidePromotion(state({ pilot: rec(R1, 'applied', { previousRelease: null }) }), 'pilot', R2, NOW)).toMatchObject({
      previousRelease: null,
    });
  });

  test('rollback target, bake left and passed helpers', () => {
    expect(rollbackTarget(undefined)).toBeNull();
    expect(rollbackTarget(rec(R2, 'applied', { previousRelease: R1 }))).toBe(R1);
    expect(rollbackTarget(rec(R1, 'rolled-back'))).toBe(R1);
    expect(bakeLeftMs(rec(R1, 'gated', { bakeUntil: '2026-11-20T12:00:10Z' }), NOW)).toBe(10_000);
    expect(bakeLeftMs(rec(R1, 'passed'), NOW)).toBe(0);
    expect(hasPassed(rec(R1, 'passed'), R1, NOW)).toBe(true);
    expect(hasPassed(rec(R1, 'passed'), R2, NOW)).toBe(false);
  });
});
