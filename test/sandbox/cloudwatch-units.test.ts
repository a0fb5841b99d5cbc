/** The pure parts behind the emulator's CloudWatch: statistics, periods, the event store, CBOR, the traffic schedule. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cbor, tag } from '@smithy/core/cbor';
import { datapoints, DEFAULT_DIMENSION_SETS, listedMetrics } from '../../sandbox/metrics/derive.js';
import { type MetricEvent, MetricStore } from '../../sandbox/metrics/events.js';
import { loadMetricsFile, MetricsWriter } from '../../sandbox/metrics/persist.js';
import { simulatedLatency } from '../../sandbox/metrics/publish.js';
import { bucketize, isSupportedStat, isValidPeriod, statistic } from '../../sandbox/metrics/stats.js';
import { decodeCbor, encodeCbor } from '../../sandbox/services/cloudwatch/cbor.js';
import { parseQueryParams } from '../../sandbox/services/cloudwatch/query.js';
import { callsIn } from '../../sandbox/traffic/schedule.js';

const ev = (t: number, over: Partial<MetricEvent> = {}): MetricEvent => ({
  t,
  source: 'Input',
  intervened: false,
  policies: [],
  latencyMs: 10,
  textUnits: 1,
  policyUnits: 1,
  outcome: 'ok',
  ...over,
});
const key = {
  account: '222222222222',
  region: 'us-east-1',
  guardrailArn: 'arn:aws:bedrock:us-east-1:222222222222:guardrail/abc',
  guardrailVersion: '1',
};
const gdims = { GuardrailArn: key.guardrailArn, GuardrailVersion: '1' };

test('statistics: nearest-rank percentiles, the simple stats, supported names', () => {
  const v = [...Array(100).keys()].map((i) => i + 1);
  expect(statistic(v, 'p99')).toBe(99);
  expect(statistic(v, 'p50')).toBe(50);
  expect(statistic(v, 'p99.5')).toBe(100);
  expect(statistic([3, 1, 2], 'Average')).toBe(2);
  expect([
    statistic([3, 1, 2], 'Sum'),
    statistic([3, 1, 2], 'SampleCount'),
    statistic([3, 1, 2], 'Minimum'),
    statistic([3, 1, 2], 'Maximum'),
  ]).toEqual([6, 3, 1, 3]);
  expect(['Sum', 'p0', 'p99.99', 'p100'].every(isSupportedStat)).toBe(true);
  expect(['sum', 'p101', 'tm99', 'IQM', 'p'].some(isSupportedStat)).toBe(false);
  expect([1, 5, 10, 20, 30, 60, 120, 86400].every(isValidPeriod)).toBe(true);
  expect([0, 2, 45, 61, 1.5].some(isValidPeriod)).toBe(false);
  expect(
    bucketize(
      [
        { t: 1000, v: 1 },
        { t: 1999, v: 2 },
        { t: 5000, v: 4 },
      ],
      1000,
      1,
      'Sum',
    ),
  ).toEqual([
    { t: 1000, v: 3 },
    { t: 5000, v: 4 },
  ]);
});

test('store: sorted inserts, retention horizon, event cap, derived dimension sets', () => {
  const s = new MetricStore({ retentionMs: 10_000, maxEvents: 3 });
  s.record(key, ev(2000, { intervened: true, policies: ['WordPolicy', 'TopicPolicy'], source: 'Output' }));
  s.record(key, ev(1000));
  expect(datapoints(s.seriesOf(key.account, key.region), DEFAULT_DIMENSION_SETS, 'Invocations', gdims, 0, 5000).map((p) => p.t)).toEqual([
    1000, 2000,
  ]);
  const byPolicy = datapoints(
    s.seriesOf(key.account, key.region),
    DEFAULT_DIMENSION_SETS,
    'InvocationsIntervened',
    { ...gdims, GuardrailPolicyType: 'TopicPolicy' },
    0,
    5000,
  );
  expect(byPolicy).toEqual([{ t: 2000, v: 1 }]);
  expect(
    listedMetrics(s.seriesOf(key.account, key.region), DEFAULT_DIMENSION_SETS).filter((m) => m.MetricName === 'TextUnitCount'),
  ).toHaveLength(5);
  s.record(key, ev(3000));
  s.record(key, ev(4000));
  expect(s.size()).toBe(3); // the oldest went
  s.prune(13_500);
  expect(s.size()).toBe(1);
  s.prune(100_000);
  expect(s.seriesOf(key.account, key.region)).toEqual([]);
});

test('metrics file: written when changed, read back with the traffic tick', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sbx-metrics-'));
  try {
    const path = join(dir, 's.json.metrics.json');
    const s = new MetricStore();
    const writer = new MetricsWriter(path, s, () => 1234);
    writer.flushSync();
    expect(loadMetricsFile(path, new MetricStore())).toBeUndefined(); // nothing changed: nothing written
    s.record(key, ev(1000, { operation: 'ApplyGuardrail', outcome: 'throttle' }));
    writer.flushSync();
    const back = new MetricStore();
    expect(loadMetricsFile(path, back)).toBe(1234);
    expect(back.toJSON()).toEqual(s.toJSON());
    expect(loadMetricsFile(join(dir, 'absent.json'), back)).toBeUndefined();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('simulated latency is deterministic and has a tail', () => {
  const l = [...Array(1000).keys()].map((i) => simulatedLatency(`1:arn:1:Input:${i}`, 200, 1));
  expect(simulatedLatency('1:arn:1:Input:5', 200, 1)).toBe(l[5]);
  expect(Math.min(...l)).toBeGreaterThanOrEqual(31);
  expect(statistic(l, 'p99')).toBeGreaterThan(statistic(l, 'p50') + 30);
});

test('CBOR bodies: timestamps decode to epoch seconds and encode as tag 1, the rest round-trips', () => {
  const value = { a: 1, b: -20, c: 1.5, d: 'héllo', e: [true, false, null], f: { g: 2 ** 40, h: '' }, big: 70000 };
  expect(cbor.deserialize(new Uint8Array(encodeCbor(value)))).toEqual(value);
  expect(decodeCbor(Buffer.from(cbor.serialize(value)))).toEqual(value);
  expect(decodeCbor(Buffer.from(cbor.serialize({ StartTime: tag({ tag: 1, value: 1700000000 }) })))).toEqual({ StartTime: 1700000000 });
  const withTime = cbor.deserialize(new Uint8Array(encodeCbor({ Timestamps: [1700000000, 1700000060.5] }, new Set(['Timestamps'])))) as {
    Timestamps: { tag: number; value: number }[];
  };
  expect(withTime.Timestamps.map((t) => [t.tag, t.value])).toEqual([
    [1, 1700000000],
    [1, 1700000060.5],
  ]);
});

test('awsQuery parameters become the JSON shape', () => {
  const p = new URLSearchParams(
    'Action=GetMetricData&Version=2010-08-01&MaxDatapoints=5&MetricDataQueries.member.1.Id=a&MetricDataQueries.member.1.ReturnData=false' +
      '&MetricDataQueries.member.1.MetricStat.Period=60&MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.2.Name=B' +
      '&MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name=A',
  );
  expect(parseQueryParams(p)).toEqual({
    MaxDatapoints: 5,
    MetricDataQueries: [{ Id: 'a', ReturnData: false, MetricStat: { Period: 60, Metric: { Dimensions: [{ Name: 'A' }, { Name: 'B' }] } } }],
  });
});

test('traffic schedule: fractional rates carry exactly, the same calls however the interval is cut', () => {
  const prompts = [
    { id: 'a', text: 'x', model: 'm', surface: 'message' as const, weight: 3, kind: 'benign' as const },
    { id: 'b', text: 'y', model: 'm', surface: 'message' as const, weight: 1, kind: 'harmful' as const },
  ];
  const whole = callsIn(1, '222222222222', 'us-east-1', 0.5, prompts, 1_000_000, 1_100_000);
  expect(whole).toHaveLength(50);
  const cut = [
    ...callsIn(1, '222222222222', 'us-east-1', 0.5, prompts, 1_000_000, 1_033_333),
    ...callsIn(1, '222222222222', 'us-east-1', 0.5, prompts, 1_033_333, 1_100_000),
  ];
  expect(cut).toEqual(whole);
  const many = callsIn(1, '222222222222', 'us-east-1', 10, prompts, 0, 100_000);
  const share = many.filter((c) => c.prompt.id === 'b').length / many.length;
  expect(share).toBeGreaterThan(0.2);
  expect(share).toBeLessThan(0.3);
});
