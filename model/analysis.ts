/**
 * The bake analysis vocabulary: what `phases.<phase>.analysis` in an environment file says about
 * judging a bake by the guardrail's CloudWatch metrics (rollout/gates/analysis). Every field of
 * the file has its default here; model/analysis-schema.ts validates and fills them in.
 *
 * The model follows Argo Rollouts' analysis: a series of measurements, one per interval, each
 * Successful, Failed, Inconclusive or Error, and per-condition limits on how many of each are
 * tolerated (https://argo-rollouts.readthedocs.io/en/stable/features/analysis/).
 */

/** What a condition judges. */
export const ANALYSIS_METRICS = ['intervention-rate', 'client-errors', 'server-errors', 'throttles', 'latency-p99'] as const;
export type AnalysisMetric = (typeof ANALYSIS_METRICS)[number];

/** Periods GetMetricData accepts: 1, 5, 10, 20, 30 (high resolution) or a multiple of 60. */
export const HIGH_RESOLUTION_PERIODS = [1, 5, 10, 20, 30] as const;

export const DEFAULT_ANALYSIS_INTERVAL_SECONDS = 60;
export const DEFAULT_MIN_INVOCATIONS = 20;
export const DEFAULT_BASELINE_FACTOR = 1.5;
export const DEFAULT_BASELINE_POINTS = 2;
/** Argo's consecutiveErrorLimit default. */
export const DEFAULT_ERROR_LIMIT = 4;

export interface AnalysisCondition {
  metric: AnalysisMetric;
  /**
   * intervention-rate: the rate may be at most the previous unit's rate × baselineFactor +
   * baselinePoints percentage points.
   * @default 1.5
   */
  baselineFactor: number;
  /** @default 2 (percentage points) */
  baselinePoints: number;
  /**
   * An absolute ceiling: percent for intervention-rate (also the bound when there is no
   * baseline: a first release, or a previous unit without traffic), a count per measurement for
   * client-errors, server-errors and throttles, milliseconds for latency-p99.
   * @default none for intervention-rate (no baseline ⇒ inconclusive); required for the others
   */
  max?: number;
  /** Failed measurements tolerated; one more fails the analysis (and halts a waiting bake early). @default 0 */
  failureLimit: number;
  /** Inconclusive measurements tolerated; one more makes the analysis inconclusive. @default 0 */
  inconclusiveLimit: number;
  /** Consecutive measurements whose metric reads failed (Error) tolerated. @default 4 */
  errorLimit: number;
}

export interface BakeAnalysis {
  /** Seconds per measurement, the GetMetricData Period: 1, 5, 10, 20, 30 or a multiple of 60. @default 60 */
  intervalSeconds: number;
  /** Invocations a measurement needs before it is judged. @default 20 */
  minInvocations: number;
  /** What a measurement with fewer invocations counts as. @default 'inconclusive' */
  belowMinInvocations: 'inconclusive' | 'pass-with-warning';
  /**
   * Where the metrics are read. AWS does not document where evaluations of an enforced
   * guardrail publish them (docs/bake-analysis.md): 'evaluating' reads each account in the
   * phase's scope (where the guardrail is evaluated), 'management' the management account, an
   * account id that account.
   * @default 'evaluating'
   */
  metricsAccount: 'evaluating' | 'management' | string;
  conditions: AnalysisCondition[];
}
