/**
 * GetMetricData over the metric events (MetricStat queries only; metric math is refused).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
 * StartTime inclusive, EndTime exclusive; buckets start at StartTime and step Period; only buckets
 * with data are returned; ScanBy orders the parallel Timestamps/Values arrays; MaxDatapoints pages
 * the datapoints of all queries together (PartialData + NextToken).
 */
import { datapoints, type DimensionSetSpec, METRIC_NAMES, type MetricName, unitMatches } from '../../metrics/derive.js';
import type { Series } from '../../metrics/events.js';
import { hash32 } from '../../metrics/hash.js';
import { bucketize, isSupportedStat, isValidPeriod } from '../../metrics/stats.js';
import { combination, decodeToken, encodeToken, invalidValue, missing, timestamp } from './wire.js';

const ID_RE = /^[a-z][a-zA-Z0-9_]*$/;
const DEFAULT_MAX_DATAPOINTS = 100_800;

interface ParsedQuery {
  id: string;
  label: string;
  returnData: boolean;
  metricName: string;
  namespace: string;
  dims: Record<string, string>;
  period: number;
  stat: string;
  unit?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

function parseQuery(q: unknown, i: number, caller: string, ids: Set<string>): ParsedQuery {
  const at = `MetricDataQueries.member.${i + 1}`;
  if (!isObj(q)) throw invalidValue(`The parameter ${at} must be a structure.`);
  if (typeof q.Id !== 'string' || q.Id === '') throw missing(`${at}.Id`);
  if (!ID_RE.test(q.Id) || q.Id.length > 255)
    throw invalidValue(
      `The value ${q.Id} for parameter ${at}.Id is not valid: it must start with a lowercase letter and contain only letters, numbers and underscores.`,
    );
  if (ids.has(q.Id)) throw invalidValue(`The value ${q.Id} for parameter ${at}.Id is not unique.`);
  ids.add(q.Id);
  const hasStat = q.MetricStat !== undefined && q.MetricStat !== null;
  const hasExpr = q.Expression !== undefined && q.Expression !== null;
  if (hasStat === hasExpr) throw combination(`Exactly one element of MetricStat or Expression must be set in ${at}.`);
  if (hasExpr) throw invalidValue(`${at}.Expression: metric math is not supported by the sandbox.`);
  if (q.AccountId !== undefined && q.AccountId !== caller)
    throw invalidValue(`${at}.AccountId: cross-account queries are not supported by the sandbox (use the caller's account ${caller}).`);
  const ms = q.MetricStat;
  if (!isObj(ms)) throw invalidValue(`The parameter ${at}.MetricStat must be a structure.`);
  const metric = ms.Metric;
  if (!isObj(metric)) throw missing(`${at}.MetricStat.Metric`);
  if (typeof metric.Namespace !== 'string' || !metric.Namespace) throw missing(`${at}.MetricStat.Metric.Namespace`);
  if (typeof metric.MetricName !== 'string' || !metric.MetricName) throw missing(`${at}.MetricStat.Metric.MetricName`);
  const dims: Record<string, string> = {};
  const list = metric.Dimensions ?? [];
  if (!Array.isArray(list) || list.length > 30)
    throw invalidValue(`${at}.MetricStat.Metric.Dimensions must be a list of at most 30 dimensions.`);
  for (const [j, d] of list.entries()) {
    if (!isObj(d) || typeof d.Name !== 'string' || !d.Name) throw missing(`${at}.MetricStat.Metric.Dimensions.member.${j + 1}.Name`);
    if (typeof d.Value !== 'string') throw missing(`${at}.MetricStat.Metric.Dimensions.member.${j + 1}.Value`);
    if (d.Name in dims) throw invalidValue(`${at}.MetricStat.Metric.Dimensions: the dimension ${d.Name} is repeated.`);
    dims[d.Name] = d.Value;
  }
  if (ms.Period === undefined || ms.Period === null) throw missing(`${at}.MetricStat.Period`);
  if (typeof ms.Period !== 'number' || !isValidPeriod(ms.Period))
    throw invalidValue(`The parameter ${at}.MetricStat.Period must be 1, 5, 10, 20, 30, or a multiple of 60.`);
  if (typeof ms.Stat !== 'string' || !ms.Stat) throw missing(`${at}.MetricStat.Stat`);
  if (!isSupportedStat(ms.Stat))
    throw invalidValue(
      `The value ${ms.Stat} for parameter ${at}.MetricStat.Stat is not valid (the sandbox supports Sum, SampleCount, Average, Minimum, Maximum and pNN.NN).`,
    );
  if (ms.Unit !== undefined && typeof ms.Unit !== 'string') throw invalidValue(`${at}.MetricStat.Unit must be a string.`);
  return {
    id: q.Id,
    label: typeof q.Label === 'string' && q.Label ? q.Label : metric.MetricName,
    returnData: q.ReturnData !== false,
    metricName: metric.MetricName,
    namespace: metric.Namespace,
    dims,
    period: ms.Period,
    stat: ms.Stat,
    unit: ms.Unit as string | undefined,
  };
}

export interface MetricSource {
  series: Series[];
  namespace: string;
  dimensionSets: DimensionSetSpec[];
}

export function getMetricData(body: Obj, caller: string, src: MetricSource): Obj {
  const queries = body.MetricDataQueries;
  if (!Array.isArray(queries) || queries.length === 0) throw missing('MetricDataQueries');
  if (queries.length > 500) throw invalidValue('The collection MetricDataQueries must not have a size greater than 500.');
  const start = timestamp(body.StartTime, 'StartTime');
  const end = timestamp(body.EndTime, 'EndTime');
  if (start >= end) throw invalidValue('The parameter StartTime must be less than the parameter EndTime.');
  const scanBy = body.ScanBy ?? 'TimestampDescending';
  if (scanBy !== 'TimestampDescending' && scanBy !== 'TimestampAscending')
    throw invalidValue(`The value ${String(scanBy)} for parameter ScanBy is not valid (TimestampDescending or TimestampAscending).`);
  const max = body.MaxDatapoints ?? DEFAULT_MAX_DATAPOINTS;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 1)
    throw invalidValue('The parameter MaxDatapoints must be a positive integer.');
  const ids = new Set<string>();
  const parsed = queries.map((q, i) => parseQuery(q, i, caller, ids));
  const { NextToken, ...rest } = body;
  const binding = hash32(JSON.stringify(rest)).toString(36);
  const offset = decodeToken(NextToken, 'gmd', binding);

  const full = parsed
    .filter((q) => q.returnData)
    .map((q) => {
      const known = q.namespace === src.namespace && (METRIC_NAMES as readonly string[]).includes(q.metricName);
      const metric = q.metricName as MetricName;
      const points = known && unitMatches(metric, q.unit) ? datapoints(src.series, src.dimensionSets, metric, q.dims, start, end) : [];
      const buckets = bucketize(points, start, q.period, q.stat);
      if (scanBy === 'TimestampDescending') buckets.reverse();
      return { q, buckets };
    });

  // One window of MaxDatapoints over the datapoints of all results, in result order.
  let pos = 0;
  const windowEnd = offset + max;
  const results = full.map(({ q, buckets }) => {
    const from = Math.max(0, offset - pos);
    const to = Math.max(from, Math.min(buckets.length, windowEnd - pos));
    const page = buckets.slice(from, to);
    const partial = pos + buckets.length > windowEnd;
    pos += buckets.length;
    return {
      Id: q.id,
      Label: q.label,
      Timestamps: page.map((b) => b.t / 1000),
      Values: page.map((b) => b.v),
      StatusCode: partial ? 'PartialData' : 'Complete',
      Messages: [],
    };
  });
  return {
    MetricDataResults: results,
    ...(pos > windowEnd ? { NextToken: encodeToken('gmd', windowEnd, binding) } : {}),
    Messages: [],
  };
}
