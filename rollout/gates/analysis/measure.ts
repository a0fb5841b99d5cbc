/**
 * Judging a bake analysis (pure). Each bucket of the window is one measurement per condition:
 * Successful, Failed, Inconclusive (too few invocations, no baseline) or Error (a metric read
 * failed: no evidence). Per condition, as in Argo Rollouts' analysis, more Failed measurements
 * than failureLimit fail it, more consecutive Errors than errorLimit make it Error, more
 * Inconclusive than inconclusiveLimit make it Inconclusive; a complete window with none of these
 * and at least one Successful measurement is Successful. Until the window is complete and no limit
 * is crossed the condition is Running.
 */
import type { AnalysisCondition, BakeAnalysis } from '../../../model/analysis.js';
import { addCounts, type Counts, type SeriesRead, ZERO } from './provider.js';
import type { AnalysisWindow } from './window.js';

export type Outcome = 'Successful' | 'Failed' | 'Inconclusive' | 'Error';
export type ConditionOutcome = Outcome | 'Running';

/** One account and Region's read over the window. */
export interface AccountRead {
  account: string;
  region: string;
  read: SeriesRead;
}

/** The previous unit's intervention rate over a comparable window; undefined rate = no baseline. */
export interface Baseline {
  ratePercent?: number;
  invocations: number;
  detail: string;
}

export interface Measurement {
  index: number;
  startMs: number;
  outcome: Outcome;
  /** The value judged (percent, count or ms) and the bound it was held to. */
  value?: number;
  bound?: number;
  invocations: number;
  detail: string;
  warning?: string;
}

export interface ConditionVerdict {
  condition: AnalysisCondition;
  outcome: ConditionOutcome;
  measurements: Measurement[];
  detail: string;
}

const pct = (n: number) => `${n.toFixed(1)}%`;
const rate = (c: Counts) => (c.invocations > 0 ? (100 * c.intervened) / c.invocations : 0);

/** The bound of intervention-rate: baseline × factor + points, capped by max; undefined = nothing to hold it to. */
export function rateBound(c: AnalysisCondition, baseline: Baseline | undefined): { bound?: number; why: string } {
  const rel = baseline?.ratePercent !== undefined ? baseline.ratePercent * c.baselineFactor + c.baselinePoints : undefined;
  if (rel !== undefined && c.max !== undefined && c.max < rel)
    return {
      bound: c.max,
      why: `max ${pct(c.max)} (below baseline ${pct(baseline!.ratePercent!)} × ${c.baselineFactor} + ${c.baselinePoints} pp)`,
    };
  if (rel !== undefined)
    return { bound: rel, why: `baseline ${pct(baseline!.ratePercent!)} × ${c.baselineFactor} + ${c.baselinePoints} pp` };
  if (c.max !== undefined) return { bound: c.max, why: `max ${pct(c.max)}; no baseline: ${baseline?.detail ?? 'none'}` };
  return { why: `no baseline (${baseline?.detail ?? 'no previous unit'}) and no max` };
}

interface BucketView {
  total: Counts;
  perAccount: Map<string, Counts>;
  errors: string[];
}

function bucketViews(reads: readonly AccountRead[], w: AnalysisWindow): BucketView[] {
  const views: BucketView[] = Array.from({ length: w.buckets }, () => ({ total: { ...ZERO }, perAccount: new Map(), errors: [] }));
  const periodMs = w.periodSeconds * 1000;
  for (const r of reads) {
    if (r.read.kind === 'error') {
      for (const v of views) v.errors.push(`${r.account}/${r.region}: ${r.read.detail}`);
      continue;
    }
    if (r.read.kind === 'no-data') continue;
    for (const b of r.read.buckets) {
      const k = Math.floor((b.startMs - w.startMs) / periodMs);
      const v = views[k];
      if (!v) continue;
      v.total = addCounts(v.total, b);
      v.perAccount.set(r.account, addCounts(v.perAccount.get(r.account) ?? ZERO, b));
    }
  }
  return views;
}

function judgeBucket(
  c: AnalysisCondition,
  a: BakeAnalysis,
  v: BucketView,
  baseline: Baseline | undefined,
): Omit<Measurement, 'index' | 'startMs'> {
  const n = v.total.invocations;
  if (v.errors.length) return { outcome: 'Error', invocations: n, detail: `metric reads failed: ${v.errors.slice(0, 3).join('; ')}` };
  const events =
    c.metric === 'intervention-rate' || c.metric === 'latency-p99'
      ? n
      : n + v.total.clientErrors + v.total.serverErrors + v.total.throttles;
  if (events < a.minInvocations) {
    const detail = `${n} invocation(s), fewer than minInvocations ${a.minInvocations}`;
    return a.belowMinInvocations === 'pass-with-warning'
      ? { outcome: 'Successful', invocations: n, detail, warning: detail }
      : { outcome: 'Inconclusive', invocations: n, detail };
  }
  switch (c.metric) {
    case 'intervention-rate': {
      const { bound, why } = rateBound(c, baseline);
      if (bound === undefined) return { outcome: 'Inconclusive', invocations: n, detail: why };
      const value = rate(v.total);
      // An account with enough traffic of its own is held to the bound too: a share of the
      // organization that is badly over-blocked must not hide behind the others.
      const worst = [...v.perAccount.entries()]
        .filter(([, x]) => x.invocations >= Math.max(1, a.minInvocations) && rate(x) > bound)
        .sort((x, y) => rate(y[1]) - rate(x[1]));
      if (value > bound || worst.length) {
        const accounts = worst.slice(0, 3).map(([id, x]) => `${id} ${pct(rate(x))} of ${x.invocations}`);
        return {
          outcome: 'Failed',
          value,
          bound,
          invocations: n,
          detail: `intervention rate ${pct(value)} of ${n} invocations, bound ${pct(bound)} (${why})${accounts.length ? `; over the bound: ${accounts.join(', ')}` : ''}`,
        };
      }
      return { outcome: 'Successful', value, bound, invocations: n, detail: `intervention rate ${pct(value)} ≤ ${pct(bound)} (${why})` };
    }
    case 'latency-p99': {
      const value = v.total.latencyP99;
      if (value === undefined) return { outcome: 'Inconclusive', invocations: n, detail: 'no InvocationLatency datapoint' };
      const bound = c.max!;
      return value > bound
        ? { outcome: 'Failed', value, bound, invocations: n, detail: `p99 latency ${value} ms > ${bound} ms` }
        : { outcome: 'Successful', value, bound, invocations: n, detail: `p99 latency ${value} ms ≤ ${bound} ms` };
    }
    default: {
      const key = ({ 'client-errors': 'clientErrors', 'server-errors': 'serverErrors', throttles: 'throttles' } as const)[c.metric];
      const value = v.total[key];
      const bound = c.max!;
      return value > bound
        ? { outcome: 'Failed', value, bound, invocations: n, detail: `${c.metric} ${value} > ${bound}` }
        : { outcome: 'Successful', value, bound, invocations: n, detail: `${c.metric} ${value} ≤ ${bound}` };
    }
  }
}

/** Argo's limits over the measurements so far. */
export function conditionOutcome(
  c: Pick<AnalysisCondition, 'failureLimit' | 'inconclusiveLimit' | 'errorLimit'>,
  ms: readonly Pick<Measurement, 'outcome'>[],
  final: boolean,
): ConditionOutcome {
  const n = (o: Outcome) => ms.filter((m) => m.outcome === o).length;
  let run = 0;
  let longest = 0;
  for (const m of ms) {
    run = m.outcome === 'Error' ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  if (n('Failed') > c.failureLimit) return 'Failed';
  if (longest > c.errorLimit) return 'Error';
  if (n('Inconclusive') > c.inconclusiveLimit) return 'Inconclusive';
  if (!final) return 'Running';
  return n('Successful') > 0 ? 'Successful' : 'Inconclusive';
}

export function judgeAnalysis(
  a: BakeAnalysis,
  w: AnalysisWindow,
  reads: readonly AccountRead[],
  baseline: Baseline | undefined,
): ConditionVerdict[] {
  const views = bucketViews(reads, w);
  return a.conditions.map((c) => {
    const measurements = views.map((v, index) => ({
      index,
      startMs: w.startMs + index * w.periodSeconds * 1000,
      ...judgeBucket(c, a, v, baseline),
    }));
    const outcome = conditionOutcome(c, measurements, w.final);
    return { condition: c, outcome, measurements, detail: verdictDetail(c, outcome, measurements, w) };
  });
}

function verdictDetail(c: AnalysisCondition, outcome: ConditionOutcome, ms: readonly Measurement[], w: AnalysisWindow): string {
  const n = (o: Outcome) => ms.filter((m) => m.outcome === o).length;
  const tally = `${ms.length} measurement(s) of ${w.periodSeconds}s: ${n('Successful')} successful, ${n('Failed')} failed, ${n('Inconclusive')} inconclusive, ${n('Error')} error`;
  const limits = `limits: failure ${c.failureLimit}, inconclusive ${c.inconclusiveLimit}, consecutive error ${c.errorLimit}`;
  const pick = (o: Outcome) => [...ms].reverse().find((m) => m.outcome === o);
  const key =
    outcome === 'Failed'
      ? pick('Failed')
      : outcome === 'Error'
        ? pick('Error')
        : outcome === 'Inconclusive'
          ? (pick('Inconclusive') ?? ms.at(-1))
          : ms.at(-1);
  const at = key
    ? ` — measurement ${key.index + 1} at ${new Date(key.startMs).toISOString()}: ${key.detail}`
    : ms.length === 0
      ? ' — no complete measurement yet'
      : '';
  const warnings = ms.filter((m) => m.warning).length;
  return `${c.metric} ${outcome.toLowerCase()}: ${tally} (${limits})${at}${warnings ? `; ${warnings} passed with a warning (below minInvocations)` : ''}`;
}
