/**
 * CloudWatch statistics over one period's values and the period buckets of GetMetricData
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Statistics-definitions.html).
 * Percentiles use the nearest-rank method on the raw values (CloudWatch's own estimator is not
 * published; on exact data nearest-rank is what it approximates).
 */
const PERCENTILE = /^p(\d{1,2}(?:\.\d{1,10})?|100)$/;
const SIMPLE = new Set(['Sum', 'SampleCount', 'Average', 'Minimum', 'Maximum']);

export function isSupportedStat(stat: string): boolean {
  if (SIMPLE.has(stat)) return true;
  const m = PERCENTILE.exec(stat);
  return !!m && Number(m[1]) <= 100;
}

/** One statistic of a non-empty list of values. */
export function statistic(values: number[], stat: string): number {
  switch (stat) {
    case 'Sum':
      return values.reduce((a, b) => a + b, 0);
    case 'SampleCount':
      return values.length;
    case 'Average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'Minimum':
      return Math.min(...values);
    case 'Maximum':
      return Math.max(...values);
  }
  const p = Number(stat.slice(1));
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1];
}

/** Periods GetMetricData accepts: 1, 5, 10, 20, 30 (high resolution) or a multiple of 60 seconds. */
export function isValidPeriod(period: number): boolean {
  return Number.isInteger(period) && period > 0 && ([1, 5, 10, 20, 30].includes(period) || period % 60 === 0);
}

/**
 * Buckets of `period` seconds from `start` (ms): [start + k·period, start + (k+1)·period);
 * only buckets with values, ascending, each with its statistic.
 */
export function bucketize(points: { t: number; v: number }[], start: number, periodSec: number, stat: string): { t: number; v: number }[] {
  const step = periodSec * 1000;
  const buckets = new Map<number, number[]>();
  for (const p of points) {
    const k = Math.floor((p.t - start) / step);
    let list = buckets.get(k);
    if (!list) buckets.set(k, (list = []));
    list.push(p.v);
  }
  return [...buckets.keys()].sort((a, b) => a - b).map((k) => ({ t: start + k * step, v: statistic(buckets.get(k)!, stat) }));
}
