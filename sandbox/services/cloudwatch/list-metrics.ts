/**
 * ListMetrics over the metric events: only metric and dimension-value combinations that received
 * data appear; a Dimensions filter keeps metrics having at least those dimensions (a filter without
 * Value matches any value); 500 per page.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_ListMetrics.html
 */
import { listedMetrics } from '../../metrics/derive.js';
import { hash32 } from '../../metrics/hash.js';
import type { MetricSource } from './get-metric-data.js';
import { decodeToken, encodeToken, invalidValue, missing } from './wire.js';

const PAGE = 500;
type Obj = Record<string, unknown>;

export function listMetrics(body: Obj, now: number, src: MetricSource): Obj {
  const { Namespace, MetricName, Dimensions, RecentlyActive, NextToken } = body;
  if (Namespace !== undefined && typeof Namespace !== 'string') throw invalidValue('The parameter Namespace must be a string.');
  if (MetricName !== undefined && typeof MetricName !== 'string') throw invalidValue('The parameter MetricName must be a string.');
  if (RecentlyActive !== undefined && RecentlyActive !== 'PT3H')
    throw invalidValue(`The value ${String(RecentlyActive)} for parameter RecentlyActive is not valid (PT3H).`);
  const filters = (Dimensions ?? []) as unknown;
  if (!Array.isArray(filters) || filters.length > 10) throw invalidValue('The parameter Dimensions must be a list of at most 10 filters.');
  for (const [i, f] of filters.entries())
    if (!f || typeof (f as Obj).Name !== 'string' || !(f as Obj).Name) throw missing(`Dimensions.member.${i + 1}.Name`);
  const { NextToken: _t, ...rest } = body;
  const binding = hash32(JSON.stringify(rest)).toString(36);
  const offset = decodeToken(NextToken, 'lm', binding);

  const since = RecentlyActive === 'PT3H' ? now - 3 * 3600_000 : undefined;
  const all = (Namespace === undefined || Namespace === src.namespace ? listedMetrics(src.series, src.dimensionSets, since) : []).filter(
    (m) =>
      (MetricName === undefined || m.MetricName === MetricName) &&
      (filters as { Name: string; Value?: string }[]).every((f) =>
        m.Dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || f.Value === null || d.Value === f.Value)),
      ),
  );
  const page = all.slice(offset, offset + PAGE);
  return { Metrics: page, ...(offset + PAGE < all.length ? { NextToken: encodeToken('lm', offset + PAGE, binding) } : {}) };
}
