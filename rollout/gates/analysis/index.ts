/**
 * The bake analysis: while and after a phase bakes, read the metrics of the guardrail version
 * under test in the accounts and Regions of the phase (a MetricProvider), judge each condition
 * (measure.ts) and report one check per condition, `bake:metric:<metric>`. Missing evidence —
 * too little traffic, no baseline and no max, a metric API that keeps failing or throttling, no
 * metrics at all — is inconclusive, never passed. The flows decide what to do: a waiting promote
 * halts early on a decided failure; a later promote judges the completed window.
 */
import pLimit from 'p-limit';
import type { BakeAnalysis } from '../../../model/analysis.js';
import type { Environment, Phase } from '../../../model/types.js';
import type { CheckResult } from '../../state/contracts.js';
import { accountsForPhase } from '../scope.js';
import { judgeAnalysis, type AccountRead, type Baseline, type ConditionOutcome, type ConditionVerdict } from './measure.js';
import { addCounts, ZERO, type MetricProvider, type Subject } from './provider.js';
import { analysisWindow, baselineWindow, type AnalysisWindow } from './window.js';

export { cloudWatchProvider } from './providers/cloudwatch/index.js';
export type { MetricProvider, SeriesQuery, SeriesRead, Subject } from './provider.js';
export { analysisWindow, nextMeasurementAt, type AnalysisWindow } from './window.js';
export type { ConditionOutcome, Outcome } from './measure.js';

export interface BakeAnalysisContext {
  env: Environment;
  phase: Phase;
  analysis: BakeAnalysis;
  provider: MetricProvider;
  /** The guardrail version under test per Region (pilot: the pilot account's own guardrail). */
  subject: Record<string, Subject>;
  /** The version the previous unit enforced per Region; null = the phase held nothing before. */
  baseline: Record<string, Subject> | null;
  /** When the post-apply gates passed (the window starts here), the apply, and the bake's end (epoch ms). */
  gatedAtMs: number;
  appliedAtMs: number;
  bakeUntilMs: number;
  nowMs: number;
  concurrency?: number;
}

export interface BakeAnalysisResult {
  window: AnalysisWindow;
  verdicts: ConditionVerdict[];
  /** Decided: the window is complete, or some condition already crossed a limit. */
  decided: boolean;
  checks: CheckResult[];
  baseline?: Baseline;
}

const STATUS: Record<ConditionOutcome, CheckResult['status']> = {
  Successful: 'passed',
  Failed: 'failed',
  Inconclusive: 'inconclusive',
  Error: 'inconclusive',
  Running: 'inconclusive',
};

/** The accounts whose metrics are read (`analysis.metricsAccount`). */
export function metricAccounts(env: Environment, phase: Phase, a: Pick<BakeAnalysis, 'metricsAccount'>): string[] {
  if (a.metricsAccount === 'management') return [env.managementAccountId];
  if (a.metricsAccount !== 'evaluating') return [a.metricsAccount];
  return phase === 'pilot' ? [env.pilot.account] : accountsForPhase(env, phase);
}

async function readAll(
  ctx: BakeAnalysisContext,
  subjects: Record<string, Subject>,
  win: { startMs: number; endMs: number; periodSeconds: number },
): Promise<AccountRead[]> {
  const limit = pLimit(Math.max(1, ctx.concurrency ?? 16));
  const jobs: Promise<AccountRead>[] = [];
  for (const account of metricAccounts(ctx.env, ctx.phase, ctx.analysis)) {
    for (const region of ctx.env.regions) {
      const s = subjects[region];
      if (!s) continue;
      jobs.push(
        limit(async () => ({
          account,
          region,
          read:
            win.endMs > win.startMs
              ? await ctx.provider.read({ ...s, account, region, startMs: win.startMs, endMs: win.endMs, periodSeconds: win.periodSeconds })
              : { kind: 'data' as const, buckets: [] },
        })),
      );
    }
  }
  return Promise.all(jobs);
}

/** The previous unit's intervention rate over the window of the same length before the apply. */
async function readBaseline(ctx: BakeAnalysisContext, w: AnalysisWindow): Promise<Baseline | undefined> {
  if (!ctx.analysis.conditions.some((c) => c.metric === 'intervention-rate')) return undefined;
  if (!ctx.baseline) return { invocations: 0, detail: `${ctx.phase} held nothing before this unit` };
  const bw = baselineWindow(w, ctx.appliedAtMs);
  const reads = await readAll(ctx, ctx.baseline, bw);
  const failed = reads.find((r) => r.read.kind === 'error');
  if (failed && failed.read.kind === 'error') return { invocations: 0, detail: `baseline read failed: ${failed.read.detail}` };
  let total = { ...ZERO };
  for (const r of reads) if (r.read.kind === 'data') for (const b of r.read.buckets) total = addCounts(total, b);
  const span = `${new Date(bw.startMs).toISOString()}–${new Date(bw.endMs).toISOString()}`;
  if (total.invocations < Math.max(1, ctx.analysis.minInvocations))
    return { invocations: total.invocations, detail: `the previous unit had ${total.invocations} invocation(s) in ${span}` };
  return {
    ratePercent: (100 * total.intervened) / total.invocations,
    invocations: total.invocations,
    detail: `previous unit ${((100 * total.intervened) / total.invocations).toFixed(1)}% of ${total.invocations} in ${span}`,
  };
}

/**
 * Where there was nothing to judge, say so: the metrics of enforced evaluations may be published
 * in another account or under another version value than the gate reads (docs/bake-analysis.md).
 */
function whereNothing(ctx: BakeAnalysisContext, reads: readonly AccountRead[], noData: readonly string[]): string {
  const invocations = reads.reduce((n, r) => n + (r.read.kind === 'data' ? r.read.buckets.reduce((m, b) => m + b.invocations, 0) : 0), 0);
  if (invocations > 0 || reads.length === 0 || reads.some((r) => r.read.kind === 'error')) return '';
  const missing = noData.length ? `; no metrics at all in ${noData.length} of them, e.g. ${noData[0]}` : '';
  return `; no invocations of the guardrail under test in the window in any of the ${reads.length} account/Region(s) read (metricsAccount: ${ctx.analysis.metricsAccount})${missing}: if applications call Bedrock there, its metrics may be published elsewhere (docs/bake-analysis.md)`;
}

export async function runBakeAnalysis(ctx: BakeAnalysisContext): Promise<BakeAnalysisResult> {
  const window = analysisWindow(ctx.analysis, ctx.gatedAtMs, ctx.bakeUntilMs, ctx.nowMs);
  const [reads, baseline] = await Promise.all([
    readAll(ctx, ctx.subject, { startMs: window.startMs, endMs: window.measuredEndMs, periodSeconds: window.periodSeconds }),
    readBaseline(ctx, window),
  ]);
  const verdicts = judgeAnalysis(ctx.analysis, window, reads, baseline);
  const decided = window.final || verdicts.some((v) => v.outcome !== 'Running' && v.outcome !== 'Successful');
  const noData = reads.filter((r) => r.read.kind === 'no-data').map((r) => (r.read as { detail: string }).detail);
  const checks: CheckResult[] = verdicts.map((v) => ({
    id: `bake:metric:${v.condition.metric}`,
    status: STATUS[v.outcome],
    detail: v.outcome === 'Successful' ? v.detail : `${v.detail}${whereNothing(ctx, reads, noData)}`,
    evidence: {
      outcome: v.outcome,
      window: {
        start: new Date(window.startMs).toISOString(),
        end: new Date(window.endMs).toISOString(),
        periodSeconds: window.periodSeconds,
      },
      measurements: v.measurements.map((m) => ({
        index: m.index,
        outcome: m.outcome,
        value: m.value,
        bound: m.bound,
        invocations: m.invocations,
      })),
      ...(baseline && v.condition.metric === 'intervention-rate' ? { baseline } : {}),
      ...(noData.length ? { noData: noData.slice(0, 5) } : {}),
    },
  }));
  return { window, verdicts, decided, checks, ...(baseline ? { baseline } : {}) };
}
