/**
 * Judging a bake analysis (pure): buckets → measurements → Argo-style outcomes with limits; the
 * window and the baseline bound.
 */
import type { AnalysisCondition, BakeAnalysis } from '../../../../model/analysis.js';
import { conditionOutcome, judgeAnalysis, rateBound, type AccountRead } from '../../../../rollout/gates/analysis/measure.js';
import { analysisWindow, baselineWindow, periodCovering } from '../../../../rollout/gates/analysis/window.js';

const T0 = Date.parse('2026-12-01T10:00:00Z');
const cond = (over: Partial<AnalysisCondition> = {}): AnalysisCondition => ({
  metric: 'intervention-rate',
  baselineFactor: 1.5,
  baselinePoints: 2,
  failureLimit: 0,
  inconclusiveLimit: 0,
  errorLimit: 4,
  ...over,
});
const analysis = (conditions: AnalysisCondition[], over: Partial<BakeAnalysis> = {}): BakeAnalysis => ({
  intervalSeconds: 60,
  minInvocations: 20,
  belowMinInvocations: 'inconclusive',
  metricsAccount: 'evaluating',
  conditions,
  ...over,
});
const bucket = (k: number, invocations: number, intervened: number, extra: object = {}) => ({
  startMs: T0 + k * 60_000,
  invocations,
  intervened,
  clientErrors: 0,
  serverErrors: 0,
  throttles: 0,
  ...extra,
});
const data = (account: string, buckets: ReturnType<typeof bucket>[]): AccountRead => ({
  account,
  region: 'us-east-1',
  read: { kind: 'data', buckets },
});
const win3 = analysisWindow({ intervalSeconds: 60 }, T0, T0 + 180_000, T0 + 180_000);

describe('window', () => {
  test('starts on the next whole minute after the gates passed, is at least one interval, counts complete buckets', () => {
    const w = analysisWindow({ intervalSeconds: 60 }, T0 + 10_000, T0 + 20_000, T0 + 90_000);
    expect(new Date(w.startMs).toISOString()).toBe('2026-12-01T10:01:00.000Z');
    expect(w.endMs - w.startMs).toBe(60_000);
    expect(w.final).toBe(false);
    expect(w.buckets).toBe(0);
    const done = analysisWindow({ intervalSeconds: 60 }, T0, T0 + 150_000, T0 + 200_000);
    expect(done).toMatchObject({ final: true, buckets: 3, measuredEndMs: T0 + 150_000 });
    expect(analysisWindow({ intervalSeconds: 5 }, T0 + 1_500, T0 + 20_000, T0 + 13_000)).toMatchObject({ startMs: T0 + 2_000, buckets: 2 });
  });

  test('baseline: the same length before the apply, in one valid period', () => {
    expect(periodCovering(3)).toBe(5);
    expect(periodCovering(31)).toBe(60);
    expect(periodCovering(61)).toBe(120);
    expect(baselineWindow(win3, T0 - 5_000)).toEqual({ startMs: T0 - 5_000 - 180_000, endMs: T0 - 5_000, periodSeconds: 180 });
  });
});

describe('rate bound', () => {
  test('baseline × factor + points, capped by max; max alone without a baseline; neither = nothing to hold it to', () => {
    expect(rateBound(cond(), { ratePercent: 10, invocations: 100, detail: '' }).bound).toBe(17);
    expect(rateBound(cond({ max: 12 }), { ratePercent: 10, invocations: 100, detail: '' }).bound).toBe(12);
    expect(rateBound(cond({ max: 30 }), { invocations: 0, detail: 'first release' })).toMatchObject({ bound: 30 });
    expect(rateBound(cond(), { invocations: 0, detail: 'first release' }).bound).toBeUndefined();
  });
});

describe('judging', () => {
  const baseline = { ratePercent: 10, invocations: 300, detail: 'previous unit 10%' };

  test('every bucket within the bound: Successful', () => {
    const [v] = judgeAnalysis(
      analysis([cond()]),
      win3,
      [data('111111111111', [bucket(0, 100, 10), bucket(1, 100, 12), bucket(2, 100, 9)])],
      baseline,
    );
    expect(v.outcome).toBe('Successful');
    expect(v.measurements.map((m) => m.outcome)).toEqual(['Successful', 'Successful', 'Successful']);
    expect(v.detail).toMatch(/3 successful, 0 failed/);
  });

  test('one bucket over the bound fails (failureLimit 0), tolerated with failureLimit 1', () => {
    const reads = [data('111111111111', [bucket(0, 100, 10), bucket(1, 100, 40), bucket(2, 100, 9)])];
    const [v] = judgeAnalysis(analysis([cond()]), win3, reads, baseline);
    expect(v.outcome).toBe('Failed');
    expect(v.detail).toMatch(/measurement 2 .*intervention rate 40\.0% of 100 invocations, bound 17\.0%/);
    expect(judgeAnalysis(analysis([cond({ failureLimit: 1 })]), win3, reads, baseline)[0].outcome).toBe('Successful');
  });

  test('an over-blocked account fails the measurement even when the total is within the bound', () => {
    const reads = [data('111111111111', [bucket(0, 30, 15)]), data('222222222222', [bucket(0, 500, 20)])];
    const w = analysisWindow({ intervalSeconds: 60 }, T0, T0 + 60_000, T0 + 60_000);
    const [v] = judgeAnalysis(analysis([cond()]), w, reads, baseline);
    expect(v.outcome).toBe('Failed');
    expect(v.detail).toMatch(/over the bound: 111111111111 50\.0% of 30/);
  });

  test('too little traffic is inconclusive, or passed with a warning where configured', () => {
    const reads = [data('111111111111', [bucket(0, 5, 0), bucket(1, 5, 0), bucket(2, 5, 0)])];
    expect(judgeAnalysis(analysis([cond()]), win3, reads, baseline)[0].outcome).toBe('Inconclusive');
    const warned = judgeAnalysis(analysis([cond()], { belowMinInvocations: 'pass-with-warning' }), win3, reads, baseline)[0];
    expect(warned.outcome).toBe('Successful');
    expect(warned.detail).toMatch(/3 passed with a warning/);
  });

  test('no data at all (no metrics in the account) is inconclusive, never passed', () => {
    const reads: AccountRead[] = [{ account: '111111111111', region: 'us-east-1', read: { kind: 'no-data', detail: 'no metrics' } }];
    const [v] = judgeAnalysis(analysis([cond({ inconclusiveLimit: 5 })]), win3, reads, baseline);
    expect(v.outcome).toBe('Inconclusive');
  });

  test('failing reads are Error measurements: within errorLimit and nothing else → inconclusive; beyond → Error', () => {
    const reads: AccountRead[] = [
      { account: '111111111111', region: 'us-east-1', read: { kind: 'error', detail: 'Throttling: Rate exceeded' } },
    ];
    expect(judgeAnalysis(analysis([cond()]), win3, reads, baseline)[0].outcome).toBe('Inconclusive');
    const [v] = judgeAnalysis(analysis([cond({ errorLimit: 2 })]), win3, reads, baseline);
    expect(v.outcome).toBe('Error');
    expect(v.detail).toMatch(/Throttling: Rate exceeded/);
  });

  test('no baseline and no max: inconclusive; with max: judged against it', () => {
    const reads = [data('111111111111', [bucket(0, 100, 10), bucket(1, 100, 10), bucket(2, 100, 10)])];
    const first = { invocations: 0, detail: 'pilot held nothing before this unit' };
    expect(judgeAnalysis(analysis([cond({ inconclusiveLimit: 3 })]), win3, reads, first)[0].outcome).toBe('Inconclusive');
    expect(judgeAnalysis(analysis([cond({ max: 25 })]), win3, reads, first)[0].outcome).toBe('Successful');
  });

  test('counts and latency against their max', () => {
    const reads = [
      data('111111111111', [bucket(0, 100, 1, { clientErrors: 7, latencyP99: 900 }), bucket(1, 100, 1, { latencyP99: 1400 })]),
    ];
    const w = analysisWindow({ intervalSeconds: 60 }, T0, T0 + 120_000, T0 + 120_000);
    const [ce, lat] = judgeAnalysis(
      analysis([cond({ metric: 'client-errors', max: 5 }), cond({ metric: 'latency-p99', max: 1000 })]),
      w,
      reads,
      undefined,
    );
    expect(ce.outcome).toBe('Failed');
    expect(ce.detail).toMatch(/client-errors 7 > 5/);
    expect(lat.outcome).toBe('Failed');
    expect(lat.detail).toMatch(/p99 latency 1400 ms > 1000 ms/);
  });

  test('limits as in Argo: Running until the window is complete or a limit is crossed', () => {
    const c = { failureLimit: 1, inconclusiveLimit: 1, errorLimit: 1 };
    const o = (...xs: ('Successful' | 'Failed' | 'Inconclusive' | 'Error')[]) => xs.map((outcome) => ({ outcome }));
    expect(conditionOutcome(c, o('Successful', 'Failed'), false)).toBe('Running');
    expect(conditionOutcome(c, o('Failed', 'Successful', 'Failed'), false)).toBe('Failed');
    expect(conditionOutcome(c, o('Error', 'Successful', 'Error'), false)).toBe('Running');
    expect(conditionOutcome(c, o('Error', 'Error'), false)).toBe('Error');
    expect(conditionOutcome(c, o('Inconclusive', 'Inconclusive'), false)).toBe('Inconclusive');
    expect(conditionOutcome(c, o('Inconclusive', 'Successful'), true)).toBe('Successful');
    expect(conditionOutcome(c, o('Inconclusive'), true)).toBe('Inconclusive');
    expect(conditionOutcome(c, [], true)).toBe('Inconclusive');
  });
});
