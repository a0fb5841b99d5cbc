/** `phases.<phase>.analysis` of an environment file (model/analysis.ts has the vocabulary and defaults). */
import { z } from 'zod';
import { ACCOUNT_ID } from '../core/patterns.js';
import {
  ANALYSIS_METRICS,
  DEFAULT_ANALYSIS_INTERVAL_SECONDS,
  DEFAULT_BASELINE_FACTOR,
  DEFAULT_BASELINE_POINTS,
  DEFAULT_ERROR_LIMIT,
  DEFAULT_MIN_INVOCATIONS,
  HIGH_RESOLUTION_PERIODS,
  type BakeAnalysis,
} from './analysis.js';
import { show } from './schema-show.js';

const count = (what: string) =>
  z
    .number({ error: (iss) => `expected ${what} (a whole number ≥ 0), got ${show(iss.input)}` })
    .int({ error: `expected ${what} as a whole number` })
    .min(0, { error: `expected ${what} ≥ 0` });

const positive = (what: string) =>
  z
    .number({ error: (iss) => `expected ${what} (a number ≥ 0), got ${show(iss.input)}` })
    .min(0, { error: `expected ${what} ≥ 0` })
    .refine(Number.isFinite, { error: `expected ${what} as a finite number` });

const conditionSchema = z
  .strictObject({
    metric: z.enum(ANALYSIS_METRICS, {
      error: (iss) => `expected one of ${ANALYSIS_METRICS.map((m) => `"${m}"`).join(', ')}, got ${show(iss.input)}`,
    }),
    baselineFactor: positive('a baseline factor').default(DEFAULT_BASELINE_FACTOR),
    baselinePoints: positive('percentage points').default(DEFAULT_BASELINE_POINTS),
    max: positive('a ceiling').optional(),
    failureLimit: count('a failure limit').default(0),
    inconclusiveLimit: count('an inconclusive limit').default(0),
    errorLimit: count('an error limit').default(DEFAULT_ERROR_LIMIT),
  })
  .superRefine((c, ctx) => {
    if (c.metric !== 'intervention-rate' && c.max === undefined) {
      ctx.addIssue({ code: 'custom', path: ['max'], message: `expected max (the ceiling ${c.metric} may not exceed)` });
    }
    if (c.metric === 'intervention-rate' && c.max !== undefined && c.max > 100) {
      ctx.addIssue({ code: 'custom', path: ['max'], message: `expected a percentage of at most 100, got ${c.max}` });
    }
  });

export const analysisSchema = z
  .strictObject({
    interval: z
      .number({ error: (iss) => `expected seconds per measurement (1, 5, 10, 20, 30 or a multiple of 60), got ${show(iss.input)}` })
      .refine((n) => (HIGH_RESOLUTION_PERIODS as readonly number[]).includes(n) || (Number.isInteger(n) && n > 0 && n % 60 === 0), {
        error: (iss) => `expected 1, 5, 10, 20, 30 or a multiple of 60 (a GetMetricData period), got ${show(iss.input)}`,
      })
      .default(DEFAULT_ANALYSIS_INTERVAL_SECONDS),
    minInvocations: count('a minimum number of invocations').default(DEFAULT_MIN_INVOCATIONS),
    belowMinInvocations: z
      .enum(['inconclusive', 'pass-with-warning'], {
        error: (iss) => `expected "inconclusive" or "pass-with-warning", got ${show(iss.input)}`,
      })
      .default('inconclusive'),
    metricsAccount: z
      .string({ error: (iss) => `expected "evaluating", "management" or a 12-digit account id, got ${show(iss.input)}` })
      .refine((v) => v === 'evaluating' || v === 'management' || ACCOUNT_ID.test(v), {
        error: (iss) => `expected "evaluating", "management" or a 12-digit account id, got ${show(iss.input)}`,
      })
      .default('evaluating'),
    conditions: z.array(conditionSchema).min(1, { error: 'expected at least one condition: an analysis without one judges nothing' }),
  })
  .superRefine((a, ctx) => {
    const seen = new Set<string>();
    a.conditions.forEach((c, i) => {
      if (seen.has(c.metric)) ctx.addIssue({ code: 'custom', path: ['conditions', i, 'metric'], message: `${c.metric} is listed twice` });
      seen.add(c.metric);
    });
  });

/** The file's spelling (`interval`) → the model's (`intervalSeconds`). */
export function toBakeAnalysis(raw: z.output<typeof analysisSchema>): BakeAnalysis {
  const { interval, ...rest } = raw;
  return { intervalSeconds: interval, ...rest };
}
