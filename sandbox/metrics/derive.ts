/**
 * From metric events to CloudWatch metrics: which metrics exist, which dimension sets are
 * published, and the datapoints an event contributes to one metric and dimension set
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/monitoring-guardrails-cw-metrics.html).
 * Which dimension *sets* AWS publishes is not documented: the sets are configurable.
 */
import { POLICY_TYPES } from '../runtime/evaluations.js';
import { eventAt, eventCount, flagsAt, type MetricEvent, type Series, timeAt } from './events.js';

export const GUARDRAILS_NAMESPACE = 'AWS/Bedrock/Guardrails';

export const METRIC_NAMES = [
  'Invocations',
  'InvocationLatency',
  'InvocationClientErrors',
  'InvocationServerErrors',
  'InvocationThrottles',
  'TextUnitCount',
  'InvocationsIntervened',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export const DIMENSION_NAMES = ['GuardrailArn', 'GuardrailVersion', 'GuardrailContentSource', 'Operation', 'GuardrailPolicyType'] as const;
export type DimensionName = (typeof DIMENSION_NAMES)[number];

/**
 * CloudWatch StandardUnit of each metric. The AWS page lists "SampleCount" and "MilliSeconds",
 * which are not CloudWatch units; the sandbox stores Count and Milliseconds and accepts the page's
 * spellings as Unit filters too (unitMatches).
 */
export function unitOf(metric: MetricName): 'Count' | 'Milliseconds' {
  return metric === 'InvocationLatency' ? 'Milliseconds' : 'Count';
}

export function unitMatches(metric: MetricName, unit: string | undefined): boolean {
  if (unit === undefined) return true;
  const u = unitOf(metric);
  return unit === u || (u === 'Count' && unit === 'SampleCount') || (u === 'Milliseconds' && unit === 'MilliSeconds');
}

/** One published dimension set and the metrics published with it (absent = every metric). */
export interface DimensionSetSpec {
  dimensions: DimensionName[];
  metrics?: MetricName[];
}

export const DEFAULT_DIMENSION_SETS: DimensionSetSpec[] = [
  { dimensions: ['GuardrailArn', 'GuardrailVersion'] },
  { dimensions: ['GuardrailArn', 'GuardrailVersion', 'GuardrailContentSource'] },
  // Operation has one value, ApplyGuardrail: only that operation's evaluations publish this set.
  { dimensions: ['GuardrailArn', 'GuardrailVersion', 'Operation'] },
  { dimensions: ['GuardrailArn', 'GuardrailVersion', 'GuardrailPolicyType'], metrics: ['InvocationsIntervened', 'TextUnitCount'] },
];

/** Throws a message (the caller wraps it) when a spec is not usable. */
export function validateDimensionSets(specs: DimensionSetSpec[]): void {
  for (const s of specs) {
    if (!s.dimensions.length) throw new Error('a published dimension set needs at least one dimension');
    for (const d of s.dimensions) if (!DIMENSION_NAMES.includes(d)) throw new Error(`unknown dimension ${d}`);
    if (new Set(s.dimensions).size !== s.dimensions.length) throw new Error(`repeated dimension in ${s.dimensions.join(',')}`);
    for (const m of s.metrics ?? []) if (!METRIC_NAMES.includes(m)) throw new Error(`unknown metric ${m}`);
  }
}

/** The base value an event gives a metric, or undefined when it publishes none for it. */
export function baseValue(e: MetricEvent, metric: MetricName): number | undefined {
  // "Throttled requests don't count as invocations or errors" (the AWS page).
  if (e.outcome === 'throttle') return metric === 'InvocationThrottles' ? 1 : undefined;
  switch (metric) {
    case 'Invocations':
      return 1;
    case 'InvocationClientErrors':
      return e.outcome === 'clientError' ? 1 : 0;
    case 'InvocationServerErrors':
      return e.outcome === 'serverError' ? 1 : 0;
    case 'InvocationThrottles':
      return 0;
    case 'InvocationLatency':
      return e.outcome === 'ok' ? e.latencyMs : undefined;
    case 'TextUnitCount':
      return e.outcome === 'ok' ? e.textUnits : undefined;
    case 'InvocationsIntervened':
      return e.outcome === 'ok' ? (e.intervened ? 1 : 0) : undefined;
  }
}

export type Dims = Record<string, string>;

/**
 * Every (dimension values, value) an event contributes to `metric` under one spec: one entry,
 * or one per intervening policy type for a set with GuardrailPolicyType, or none.
 */
export function contributions(s: Series, e: MetricEvent, metric: MetricName, spec: DimensionSetSpec): { dims: Dims; value: number }[] {
  if (spec.metrics && !spec.metrics.includes(metric)) return [];
  const base = baseValue(e, metric);
  if (base === undefined) return [];
  const dims: Dims = {};
  for (const d of spec.dimensions) {
    if (d === 'GuardrailArn') dims[d] = s.guardrailArn;
    else if (d === 'GuardrailVersion') dims[d] = s.guardrailVersion;
    else if (d === 'GuardrailContentSource') dims[d] = e.source;
    else if (d === 'Operation') {
      if (!e.operation) return [];
      dims[d] = e.operation;
    }
  }
  if (!spec.dimensions.includes('GuardrailPolicyType')) return [{ dims, value: base }];
  const perPolicy = metric === 'TextUnitCount' ? e.policyUnits : base;
  return e.policies.map((p) => ({ dims: { ...dims, GuardrailPolicyType: p }, value: perPolicy }));
}

const sameNames = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** The datapoints (t ms, value) of one metric with exactly these dimensions, t in [from, to). */
export function datapoints(
  series: Series[],
  specs: DimensionSetSpec[],
  metric: MetricName,
  dims: Dims,
  from: number,
  to: number,
): { t: number; v: number }[] {
  const names = Object.keys(dims);
  const spec = specs.find((s) => sameNames(s.dimensions, names));
  if (!spec) return [];
  if (dims.GuardrailPolicyType !== undefined && !(POLICY_TYPES as readonly string[]).includes(dims.GuardrailPolicyType)) return [];
  const out: { t: number; v: number }[] = [];
  for (const s of series) {
    if (dims.GuardrailArn !== undefined && dims.GuardrailArn !== s.guardrailArn) continue;
    if (dims.GuardrailVersion !== undefined && dims.GuardrailVersion !== s.guardrailVersion) continue;
    const n = eventCount(s);
    for (let i = lowerBound(s, from); i < n; i++) {
      const e = eventAt(s, i);
      if (e.t >= to) break;
      for (const c of contributions(s, e, metric, spec)) if (names.every((k) => c.dims[k] === dims[k])) out.push({ t: e.t, v: c.value });
    }
  }
  return out;
}

/** First event index with t >= from (events are sorted by t). */
function lowerBound(s: Series, from: number): number {
  let lo = 0;
  let hi = eventCount(s);
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (timeAt(s, mid) < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface ListedMetric {
  Namespace: string;
  MetricName: MetricName;
  Dimensions: { Name: string; Value: string }[];
}

/** Every metric and dimension-value combination that received data at or after `since`. */
export function listedMetrics(series: Series[], specs: DimensionSetSpec[], since = Number.NEGATIVE_INFINITY): ListedMetric[] {
  const seen = new Map<string, ListedMetric>();
  for (const s of series) {
    // The dimension values of an event depend only on its flags: visit one event per distinct flags.
    const byFlags = new Map<number, number>();
    for (let i = lowerBound(s, since); i < eventCount(s); i++) if (!byFlags.has(flagsAt(s, i))) byFlags.set(flagsAt(s, i), i);
    for (const i of byFlags.values()) {
      const e = eventAt(s, i);
      for (const spec of specs)
        for (const metric of METRIC_NAMES)
          for (const c of contributions(s, e, metric, spec)) {
            const Dimensions = spec.dimensions.map((d) => ({ Name: d, Value: c.dims[d] }));
            const id = `${metric}\u0000${JSON.stringify(Dimensions)}`;
            if (!seen.has(id)) seen.set(id, { Namespace: GUARDRAILS_NAMESPACE, MetricName: metric, Dimensions });
          }
    }
  }
  return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, m]) => m);
}
