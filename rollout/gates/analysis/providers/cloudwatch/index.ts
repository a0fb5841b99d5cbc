/**
 * The CloudWatch metric provider: a guardrail version's Invocations, InvocationsIntervened,
 * error and throttle counts (Sum) and InvocationLatency (p99) per bucket, read with
 * GetMetricData in the account and Region where it is evaluated
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html).
 * Any failure after the client's retries — throttling included — is an `error` read, never data.
 */
import { GetMetricDataCommand, type MetricDataQuery, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { pages } from '../../../../../core/paginate.js';
import type { AwsAccess } from '../../../../aws/clients.js';
import { describeError } from '../../../../aws/errors.js';
import type { Bucket, MetricProvider, SeriesQuery, SeriesRead } from '../../provider.js';
import { discoverSets, NAMESPACE, type DimensionSet, type Discovery } from './discover.js';

const SERIES = [
  ['inv', 'Invocations', 'Sum'],
  ['int', 'InvocationsIntervened', 'Sum'],
  ['ce', 'InvocationClientErrors', 'Sum'],
  ['se', 'InvocationServerErrors', 'Sum'],
  ['th', 'InvocationThrottles', 'Sum'],
  ['lat', 'InvocationLatency', 'p99'],
] as const;
type Key = (typeof SERIES)[number][0];
const FIELD: Record<Key, keyof Omit<Bucket, 'startMs'>> = {
  inv: 'invocations',
  int: 'intervened',
  ce: 'clientErrors',
  se: 'serverErrors',
  th: 'throttles',
  lat: 'latencyP99',
};

function queries(sets: DimensionSet[], periodSeconds: number): MetricDataQuery[] {
  return sets.flatMap((dims, i) =>
    SERIES.map(([key, name, stat]) => ({
      Id: `${key}${i}`,
      MetricStat: { Metric: { Namespace: NAMESPACE, MetricName: name, Dimensions: dims }, Period: periodSeconds, Stat: stat },
      ReturnData: true,
    })),
  );
}

function toBuckets(results: MetricDataResult[]): Bucket[] | string {
  const byStart = new Map<number, Bucket>();
  for (const r of results) {
    if (r.StatusCode === 'InternalError' || r.StatusCode === 'Forbidden')
      return `GetMetricData ${r.Id}: ${r.StatusCode}${r.Messages?.[0]?.Value ? ` (${r.Messages[0].Value})` : ''}`;
    const key = (r.Id ?? '').replace(/\d+$/, '') as Key;
    const field = FIELD[key];
    if (!field) continue;
    (r.Timestamps ?? []).forEach((t, i) => {
      const startMs = new Date(t).getTime();
      const b = byStart.get(startMs) ?? { startMs, invocations: 0, intervened: 0, clientErrors: 0, serverErrors: 0, throttles: 0 };
      const v = r.Values?.[i] ?? 0;
      // Several sets (per content source) add up; their p99s cannot, so the worst stands.
      b[field] = field === 'latencyP99' ? Math.max(b.latencyP99 ?? 0, v) : (b[field] ?? 0) + v;
      byStart.set(startMs, b);
    });
  }
  return [...byStart.values()].sort((a, b) => a.startMs - b.startMs);
}

export function cloudWatchProvider(access: AwsAccess): MetricProvider {
  // Dimension sets found stay valid for the provider's life (one bake): later measurements skip
  // ListMetrics. "None found" is not kept: metrics may appear once traffic arrives.
  const known = new Map<string, Discovery & { kind: 'sets' }>();
  return {
    name: 'cloudwatch',
    async read(q: SeriesQuery): Promise<SeriesRead> {
      const where = `${q.account}/${q.region}`;
      try {
        const cw = access.forAccount(q.account, q.region).cloudwatch;
        const key = `${where}|${q.guardrailArn}|${q.version}`;
        const cached = known.get(key);
        const found: Discovery = cached ?? (await discoverSets(cw, q, where));
        if (found.kind === 'none') return { kind: 'no-data', detail: found.detail };
        known.set(key, found);
        const results: MetricDataResult[] = [];
        for await (const page of pages(
          (token) =>
            cw.send(
              new GetMetricDataCommand({
                MetricDataQueries: queries(found.sets, q.periodSeconds),
                StartTime: new Date(q.startMs),
                EndTime: new Date(q.endMs),
                ScanBy: 'TimestampAscending',
                NextToken: token,
              }),
            ),
          (p) => p.NextToken,
        )) {
          results.push(...(page.MetricDataResults ?? []));
        }
        const buckets = toBuckets(results);
        if (typeof buckets === 'string') return { kind: 'error', detail: buckets };
        return { kind: 'data', buckets, ...(found.note ? { note: found.note } : {}) };
      } catch (err) {
        return { kind: 'error', detail: describeError(err) };
      }
    },
  };
}
