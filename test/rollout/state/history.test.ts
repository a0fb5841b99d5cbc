/**
 * Phase histories and the older-unit rule (rollout/state/promotion.ts): what `rollback --to`
 * resolves against, how state written before histories reads, and when a promotion goes
 * backwards (refused without --to-older). Pure: state in, decision out.
 */
import type { EnforcementDefaults } from '../../../model/types.js';
import { unitHashOf, unitLabel } from '../../../model/unit.js';
import {
  decidePromotion,
  HISTORY_LIMIT,
  heldAfter,
  olderUnit,
  phaseHistory,
  resolveHistoryUnit,
  withHeld,
  withoutAttempt,
} from '../../../rollout/state/promotion.js';
import { emptyState, type HeldUnit, type PhaseRecord, type RolloutState, type UnitRecord } from '../../../rollout/state/store.js';

const NOW = new Date('2026-11-20T12:00:00Z');
const ENF: EnforcementDefaults = { system: 'comprehensive', messages: 'selective', models: { included: ['ALL'], excluded: [] } };

function unit(release: string, excluded: string[] = []): UnitRecord {
  const content = {
    release: { name: release, contentHash: `${release}-hash` },
    enforcement: { ...ENF, models: { included: ['ALL'], excluded } },
    exceptions: [],
  };
  const hash = unitHashOf(content);
  return {
    ...content,
    hash,
    label: unitLabel({ hash, release: content.release }),
    suiteHash: 'suite-1',
    asOf: '2026-11-20',
    stackHash: `stack-${hash.slice(0, 6)}`,
  };
}
const R1 = 'baseline@2026.11.1';
const R2 = 'baseline@2026.11.2';
const A = unit(R1);
const B = unit(R2);
/** R2 again with one more excluded model: another unit of the same release. */
const C = unit(R2, ['amazon.titan-image-generator-v2:0']);

const held = (u: UnitRecord, at: string, how: HeldUnit['how'] = 'promoted', attemptId = `a-${at}`): HeldUnit => ({
  unit: u,
  at,
  how,
  attemptId,
});

function rec(u: UnitRecord | null, status: PhaseRecord['status'], extra: Partial<PhaseRecord> = {}): PhaseRecord {
  return {
    release: u?.release.name ?? null,
    unit: u,
    status,
    attemptRelease: u?.release.name ?? R2,
    attemptUnit: u ?? undefined,
    attemptId: 'a1',
    previousRelease: null,
    previousUnit: null,
    gates: [],
    ...extra,
  };
}
const state = (phases: RolloutState['phases']): RolloutState => ({ ...emptyState('sandbox'), phases });

describe('phase history', () => {
  test('state written before histories reads as previousUnit then unit (a history of up to two)', () => {
    const legacy = rec(B, 'passed', { previousUnit: A, passedAt: '2026-11-19T00:00:00.000Z' });
    expect(phaseHistory(legacy)).toEqual([
      { unit: A, how: 'recorded-before-history' },
      { unit: B, how: 'recorded-before-history', at: '2026-11-19T00:00:00.000Z' },
    ]);
    // An attempt that never passed is not a unit the phase held; its rollback target is.
    expect(phaseHistory(rec(B, 'applied', { previousUnit: A })).map((h) => h.unit.hash)).toEqual([A.hash]);
    // Rolled back to the previous unit: one entry, not two.
    expect(phaseHistory(rec(A, 'rolled-back', { previousUnit: A })).map((h) => h.unit.hash)).toEqual([A.hash]);
    expect(phaseHistory(undefined)).toEqual([]);
  });

  test('bounded; the same attempt recording the same unit again (gated, then passed) replaces its entry', () => {
    let h: HeldUnit[] = [];
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) h = withHeld(h, held(i % 2 ? A : B, `2026-11-${String(i).padStart(2, '0')}`));
    expect(h).toHaveLength(HISTORY_LIMIT);
    expect(h[0].at).toBe('2026-11-05');
    const gated = withHeld([held(A, 't1')], held(B, 't2', 'promoted', 'x'));
    expect(withHeld(gated, held(B, 't3', 'promoted', 'x'))).toEqual([held(A, 't1'), held(B, 't3', 'promoted', 'x')]);
    // heldAfter starts from a legacy record's derived history.
    expect(heldAfter(rec(B, 'passed', { previousUnit: A }), 'promoted', 'x', 't9').map((e) => [e.unit.hash, e.how])).toEqual([
      [A.hash, 'recorded-before-history'],
      [B.hash, 'recorded-before-history'],
      [B.hash, 'promoted'],
    ]);
  });

  test('a halted attempt loses its promoted entry (its bake failed); rollback entries stay', () => {
    const h = [held(A, 't1', 'promoted', 'p1'), held(B, 't2', 'promoted', 'p2'), held(A, 't3', 'rolled-back-to', 'p2')];
    expect(withoutAttempt(h, 'p2')).toEqual([h[0], h[2]]);
  });
});

describe('rollback --to resolution', () => {
  const history = [
    held(A, '2026-11-01T00:00:00Z'),
    held(B, '2026-11-02T00:00:00Z'),
    held(C, '2026-11-03T00:00:00Z'),
    held(B, '2026-11-04T00:00:00Z', 'rolled-back-to'),
  ];

  test('a label, a hash, a hash prefix of ≥ 8 hex (with or without #) or a release with one unit', () => {
    expect(resolveHistoryUnit('pilot', history, A.label)).toEqual({ kind: 'found', held: history[0] });
    expect(resolveHistoryUnit('pilot', history, C.hash)).toEqual({ kind: 'found', held: history[2] });
    expect(resolveHistoryUnit('pilot', history, B.hash.slice(0, 8))).toEqual({ kind: 'found', held: history[3] });
    expect(resolveHistoryUnit('pilot', history, `#${A.hash.slice(0, 10)}`)).toEqual({ kind: 'found', held: history[0] });
    expect(resolveHistoryUnit('pilot', history, R1)).toEqual({ kind: 'found', held: history[0] });
  });

  test('a release with several units in the history is ambiguous, listing them newest first', () => {
    const r = resolveHistoryUnit('pilot', history, R2);
    expect(r.kind).toBe('refused');
    const reason = (r as { reason: string }).reason;
    expect(reason).toMatch(/2 units of pilot's history match this release/);
    expect(reason.indexOf(B.label)).toBeLessThan(reason.indexOf(C.label));
    expect(reason).not.toContain(A.label);
  });

  test('a unit not in the history is refused naming what the history holds; short prefixes say why', () => {
    const r = resolveHistoryUnit('pilot', history, 'baseline@2026.10.9');
    expect(r.kind).toBe('refused');
    for (const u of [A, B, C]) expect((r as { reason: string }).reason).toContain(u.label);
    expect((resolveHistoryUnit('pilot', history, A.hash.slice(0, 6)) as { reason: string }).reason).toMatch(/at least 8 hex/);
    expect((resolveHistoryUnit('ou', [], A.label) as { reason: string }).reason).toMatch(/ou has no history/);
  });
});

describe('older units (promoting backwards is deliberate)', () => {
  const t = (d: number) => `2026-11-${String(d).padStart(2, '0')}T00:00:00.000Z`;
  // Pilot went A → B → C and was rolled back to A (re-gated: passed); model-rules held A and C.
  const st = state({
    pilot: rec(A, 'passed', { history: [held(A, t(1)), held(B, t(2)), held(C, t(3)), held(A, t(6), 'rolled-back-to'), held(A, t(7))] }),
    'model-rules': rec(C, 'passed', { history: [held(A, t(2)), held(C, t(4))] }),
    ou: rec(C, 'passed', { history: [held(C, t(5))] }),
  });

  test('a unit first held before the one the phase holds is older, judged across phases', () => {
    expect(olderUnit(st, 'model-rules', A)).toEqual({ newer: C, firstHeldAt: t(1) });
    // ou never held A: taking it is still a step back.
    expect(olderUnit(st, 'ou', A)).toEqual({ newer: C, firstHeldAt: t(1) });
    // The unit in place, or a newer one, is not; nor a unit never held anywhere.
    expect(olderUnit(st, 'pilot', A)).toBeNull();
    expect(olderUnit(st, 'pilot', C)).toBeNull();
    expect(olderUnit(st, 'ou', unit(R2, ['x']))).toBeNull();
  });

  test('refused without --to-older (exit 2 explaining); with it proceeds and says what is recorded', () => {
    const refused = decidePromotion(st, 'model-rules', A, NOW);
    expect(refused.kind).toBe('refused');
    expect((refused as { reason: string }).reason).toMatch(
      /^older unit: baseline@2026\.11\.1 #[0-9a-f]{12} \(first held .*\) is older than baseline@2026\.11\.2 #[0-9a-f]{12}, which model-rules holds now\..*--to-older "<reason>"/,
    );
    // model-rules held A before: a rollback there is the other way back.
    expect((refused as { reason: string }).reason).toContain(`rollout rollback model-rules --to "${A.label}"`);
    const skipped = state({
      pilot: rec(A, 'passed', { history: [held(A, t(1)), held(B, t(2)), held(A, t(5))] }),
      'model-rules': rec(B, 'passed', { history: [held(B, t(3))] }),
    });
    const never = decidePromotion(skipped, 'model-rules', A, NOW);
    expect(never).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/^older unit: .*--to-older/) });
    expect((never as { reason: string }).reason).not.toContain('rollback');
    const d = decidePromotion(st, 'model-rules', A, NOW, { toOlder: 'C breaks the summarizer' });
    expect(d).toMatchObject({
      kind: 'proceed',
      resume: false,
      previous: C,
      older: { from: C.label, to: A.label, reason: 'C breaks the summarizer', firstHeldAt: t(1) },
    });
  });

  test('the older unit must still hold the previous phase, as any promotion', () => {
    // ou's previous phase (model-rules) holds C, not A: phase order refuses first, flag or not.
    const d = decidePromotion(st, 'ou', A, NOW, { toOlder: 'go back' });
    expect(d.kind).toBe('refused');
    expect((d as { reason: string }).reason).toMatch(/^phase order: .* must pass model-rules before ou/);
  });

  test('a phase rolled back to an older unit takes newer units forward without the flag; re-gating it is no step back', () => {
    const back = state({ pilot: rec(A, 'rolled-back', { history: [held(A, t(1)), held(B, t(2)), held(A, t(3), 'rolled-back-to')] }) });
    expect(decidePromotion(back, 'pilot', B, NOW)).toMatchObject({ kind: 'proceed', previous: A });
    expect(decidePromotion(back, 'pilot', B, NOW)).not.toHaveProperty('older');
    expect(decidePromotion(back, 'pilot', A, NOW)).toMatchObject({ kind: 'proceed', previous: A });
  });

  test('state written before histories: the phase order of previousUnit and unit decides', () => {
    const legacy = state({ pilot: rec(B, 'passed', { previousUnit: A }) });
    expect(olderUnit(legacy, 'pilot', A)).toEqual({ newer: B });
    expect(decidePromotion(legacy, 'pilot', A, NOW).kind).toBe('refused');
  });
});
