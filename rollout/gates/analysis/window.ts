/**
 * When a bake analysis measures (pure): the window after the post-apply gates passed (so the
 * smoke invocations, which block on purpose, are not counted), cut into buckets of the
 * analysis interval, and the baseline window of the same length just before the apply, when
 * the previous unit was in force.
 */
import { HIGH_RESOLUTION_PERIODS, type BakeAnalysis } from '../../../model/analysis.js';

export interface AnalysisWindow {
  startMs: number;
  /** Planned end: the bake's end, but at least one interval after the start. */
  endMs: number;
  /** How far it is measured now (≤ endMs). */
  measuredEndMs: number;
  /** The window is complete: this is the last measurement. */
  final: boolean;
  periodSeconds: number;
  /** Buckets that are complete now (the last, partial one only when final). */
  buckets: number;
}

export function analysisWindow(
  a: Pick<BakeAnalysis, 'intervalSeconds'>,
  gatedAtMs: number,
  bakeUntilMs: number,
  nowMs: number,
): AnalysisWindow {
  const period = a.intervalSeconds;
  // CloudWatch rounds a StartTime down to the minute for periods of a minute or more: start on
  // the next whole minute, so no bucket reaches back before the gates passed.
  const align = period >= 60 ? 60_000 : 1000;
  const startMs = Math.ceil(gatedAtMs / align) * align;
  const endMs = Math.max(bakeUntilMs, startMs + period * 1000);
  const measuredEndMs = Math.min(endMs, Math.max(startMs, nowMs));
  const final = nowMs >= endMs;
  const whole = Math.floor((measuredEndMs - startMs) / (period * 1000));
  const buckets = final ? Math.ceil((endMs - startMs) / (period * 1000)) : whole;
  return { startMs, endMs, measuredEndMs, final, periodSeconds: period, buckets };
}

/** The smallest period GetMetricData accepts that covers `seconds`. */
export function periodCovering(seconds: number): number {
  const s = Math.max(1, Math.ceil(seconds));
  const high = HIGH_RESOLUTION_PERIODS.find((p) => p >= s);
  return high ?? Math.ceil(s / 60) * 60;
}

/** The baseline: the same length as the window, ending at the apply. */
export function baselineWindow(
  w: Pick<AnalysisWindow, 'startMs' | 'endMs'>,
  appliedAtMs: number,
): { startMs: number; endMs: number; periodSeconds: number } {
  const lengthS = (w.endMs - w.startMs) / 1000;
  const periodSeconds = periodCovering(lengthS);
  return { startMs: appliedAtMs - periodSeconds * 1000, endMs: appliedAtMs, periodSeconds };
}

/** When the next bucket completes (the next interim measurement), epoch ms. */
export function nextMeasurementAt(w: AnalysisWindow): number {
  return Math.min(w.endMs, w.startMs + (w.buckets + 1) * w.periodSeconds * 1000);
}
