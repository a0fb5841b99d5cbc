/**
 * The emulator's CloudWatch (GetMetricData, ListMetrics) over the Bedrock Guardrails metrics,
 * through the real CloudWatchClient: Converse calls under an enforced guardrail publish
 * Invocations / InvocationsIntervened / InvocationLatency / TextUnitCount per dimension set.
 */
import { ApplyGuardrailCommand, BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { GetMetricDataCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { cfg } from '../helpers/sandbox.js';
import { dims, NS, PILOT, query, REGION, type Rig, rig, sum, T0 } from './metrics-setup.js';

let r: Rig;
const END = T0 + 3600_000;

beforeAll(async () => {
  r = await rig();
  // Three benign and two harmful calls, one minute apart.
  const texts = ['hello there', 'this is forbidden', 'what time is it', 'forbidden again', 'tell me a story'];
  for (const [i, t] of texts.entries()) {
    r.clock.now = T0 + 60_000 * i + 5_000;
    await r.converse(t);
  }
  r.clock.now = T0 + 600_000;
});
afterAll(() => r.close());

describe('GetMetricData sums per dimension set', () => {
  test('Invocations count one per guardrail per content source evaluated (a blocked input has no output evaluation)', async () => {
    const cw = r.cw();
    expect(await sum(cw, 'Invocations', dims(r.arn), T0, END)).toBe(8);
    expect(await sum(cw, 'Invocations', dims(r.arn, { GuardrailContentSource: 'Input' }), T0, END)).toBe(5);
    expect(await sum(cw, 'Invocations', dims(r.arn, { GuardrailContentSource: 'Output' }), T0, END)).toBe(3);
  });

  test('InvocationsIntervened is 0 rather than missing where nothing intervened', async () => {
    const cw = r.cw();
    expect(await sum(cw, 'InvocationsIntervened', dims(r.arn), T0, END)).toBe(2);
    expect(await sum(cw, 'InvocationsIntervened', dims(r.arn, { GuardrailContentSource: 'Input' }), T0, END)).toBe(2);
    expect(await sum(cw, 'InvocationsIntervened', dims(r.arn, { GuardrailContentSource: 'Output' }), T0, END)).toBe(0);
    expect(await sum(cw, 'InvocationsIntervened', dims(r.arn, { GuardrailPolicyType: 'WordPolicy' }), T0, END)).toBe(2);
    expect(await sum(cw, 'InvocationsIntervened', dims(r.arn, { GuardrailPolicyType: 'TopicPolicy' }), T0, END)).toBeUndefined();
    // Converse has no Operation dimension: only ApplyGuardrail publishes that set.
    expect(await sum(cw, 'Invocations', dims(r.arn, { Operation: 'ApplyGuardrail' }), T0, END)).toBeUndefined();
    expect(await sum(cw, 'TextUnitCount', dims(r.arn), T0, END)).toBe(8);
  });

  test('latency percentiles are positive and ordered', async () => {
    const cw = r.cw();
    const stat = async (s: string) => (await query(cw, 'InvocationLatency', dims(r.arn), s, T0, END)).values[0];
    const [p50, p99, max, min, count] = [
      await stat('p50'),
      await stat('p99'),
      await stat('Maximum'),
      await stat('Minimum'),
      await stat('SampleCount'),
    ];
    expect(min).toBeGreaterThan(0);
    expect(p50).toBeLessThanOrEqual(p99);
    expect(p99).toBeLessThanOrEqual(max);
    expect(count).toBe(8);
    expect(await stat('p99.9')).toBe(max);
  });

  test('buckets start at StartTime, only buckets with data, ScanBy orders them, EndTime is exclusive', async () => {
    const cw = r.cw();
    const desc = await query(cw, 'Invocations', dims(r.arn), 'Sum', T0, END, 60);
    expect(desc.timestamps).toEqual([4, 3, 2, 1, 0].map((i) => T0 + 60_000 * i));
    expect(desc.values).toEqual([2, 1, 2, 1, 2]);
    const asc = await query(cw, 'Invocations', dims(r.arn), 'Sum', T0, END, 60, { ScanBy: 'TimestampAscending' });
    expect(asc.timestamps).toEqual([0, 1, 2, 3, 4].map((i) => T0 + 60_000 * i));
    // A window ending exactly at the third call's instant excludes it; starting 30 s in shifts the buckets.
    const cut = await query(cw, 'Invocations', dims(r.arn), 'Sum', T0 + 30_000, T0 + 125_000, 60, { ScanBy: 'TimestampAscending' });
    expect(cut.timestamps).toEqual([T0 + 30_000]);
    expect(cut.values).toEqual([1]);
  });

  test('MaxDatapoints pages with PartialData and NextToken', async () => {
    const cw = r.cw();
    const input = {
      StartTime: new Date(T0),
      EndTime: new Date(END),
      MaxDatapoints: 2,
      ScanBy: 'TimestampAscending' as const,
      MetricDataQueries: [
        {
          Id: 'inv',
          MetricStat: { Metric: { Namespace: NS, MetricName: 'Invocations', Dimensions: dims(r.arn) }, Period: 60, Stat: 'Sum' },
        },
        {
          Id: 'hidden',
          ReturnData: false,
          MetricStat: { Metric: { Namespace: NS, MetricName: 'Invocations', Dimensions: dims(r.arn) }, Period: 60, Stat: 'Sum' },
        },
      ],
    };
    const values: number[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await cw.send(new GetMetricDataCommand({ ...input, NextToken: token }));
      expect(page.MetricDataResults!.map((x) => x.Id)).toEqual(['inv']);
      const res = page.MetricDataResults![0];
      values.push(...res.Values!);
      token = page.NextToken;
      expect(res.StatusCode).toBe(token ? 'PartialData' : 'Complete');
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(values).toEqual([2, 1, 2, 1, 2]);
    await expect(cw.send(new GetMetricDataCommand({ ...input, MaxDatapoints: 3, NextToken: 'bm9wZQ' }))).rejects.toMatchObject({
      name: 'InvalidNextToken',
    });
  });

  test('dimensions match the full set exactly, order-insensitive', async () => {
    const cw = r.cw();
    expect(await sum(cw, 'Invocations', [{ Name: 'GuardrailArn', Value: r.arn }], T0, END)).toBeUndefined();
    expect(await sum(cw, 'Invocations', [...dims(r.arn)].reverse(), T0, END)).toBe(8);
    expect(
      await sum(cw, 'Invocations', dims(r.arn, { GuardrailContentSource: 'Input', Operation: 'ApplyGuardrail' }), T0, END),
    ).toBeUndefined();
    expect(
      await sum(
        cw,
        'Invocations',
        dims(r.arn).map((d) => (d.Name === 'GuardrailVersion' ? { ...d, Value: '2' } : d)),
        T0,
        END,
      ),
    ).toBeUndefined();
    const other = await cw.send(
      new GetMetricDataCommand({
        StartTime: new Date(T0),
        EndTime: new Date(END),
        MetricDataQueries: [
          {
            Id: 'q',
            MetricStat: { Metric: { Namespace: 'AWS/EC2', MetricName: 'Invocations', Dimensions: dims(r.arn) }, Period: 60, Stat: 'Sum' },
          },
        ],
      }),
    );
    expect(other.MetricDataResults![0]).toMatchObject({ Timestamps: [], Values: [], StatusCode: 'Complete' });
  });

  test('metrics belong to the caller account and the signing region', async () => {
    expect(await sum(r.cw('333333333333'), 'Invocations', dims(r.arn), T0, END)).toBeUndefined();
    const { CloudWatchClient } = await import('@aws-sdk/client-cloudwatch');
    const eu = new CloudWatchClient(cfg(r.sb, PILOT, 'eu-west-1'));
    expect(await sum(eu, 'Invocations', dims(r.arn), T0, END)).toBeUndefined();
  });
});

describe('ApplyGuardrail', () => {
  test('publishes the Operation dimension set, failures count as errors and throttles', async () => {
    const rt = new BedrockRuntimeClient(cfg(r.sb, PILOT, REGION));
    r.clock.now = T0 + 900_000;
    await rt.send(
      new ApplyGuardrailCommand({
        guardrailIdentifier: r.arn,
        guardrailVersion: '1',
        source: 'OUTPUT',
        content: [{ text: { text: 'forbidden' } }],
      }),
    );
    r.sb.setFaults({ ApplyGuardrail: { throttleRate: 1 } });
    await expect(
      rt.send(
        new ApplyGuardrailCommand({
          guardrailIdentifier: r.arn,
          guardrailVersion: '1',
          source: 'INPUT',
          content: [{ text: { text: 'x' } }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'ThrottlingException' });
    r.sb.setFaults({});
    await expect(
      rt.send(new ApplyGuardrailCommand({ guardrailIdentifier: r.arn, guardrailVersion: '1', source: 'INPUT', content: [] })),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    const cw = r.cw();
    const from = T0 + 900_000;
    const op = dims(r.arn, { Operation: 'ApplyGuardrail' });
    expect(await sum(cw, 'Invocations', op, from, END)).toBe(2); // throttled calls are not invocations
    expect(await sum(cw, 'InvocationThrottles', op, from, END)).toBe(1);
    expect(await sum(cw, 'InvocationClientErrors', op, from, END)).toBe(1);
    expect(await sum(cw, 'InvocationsIntervened', dims(r.arn, { GuardrailContentSource: 'Output' }), from, END)).toBe(1);
  });
});

describe('ListMetrics', () => {
  test('lists only dimension sets with data; a filter without Value matches any value', async () => {
    const cw = r.cw();
    const all = (await cw.send(new ListMetricsCommand({ Namespace: NS }))).Metrics!;
    const names = (m: (typeof all)[number]) =>
      m
        .Dimensions!.map((d) => d.Name)
        .sort()
        .join(',');
    const inv = all.filter((m) => m.MetricName === 'Invocations').map(names);
    expect(inv.sort()).toEqual([
      'GuardrailArn,GuardrailContentSource,GuardrailVersion',
      'GuardrailArn,GuardrailContentSource,GuardrailVersion',
      'GuardrailArn,GuardrailVersion',
      'GuardrailArn,GuardrailVersion,Operation',
    ]);
    const byPolicy = (await cw.send(new ListMetricsCommand({ Dimensions: [{ Name: 'GuardrailPolicyType' }] }))).Metrics!;
    expect(byPolicy.map((m) => m.MetricName).sort()).toEqual(['InvocationsIntervened', 'TextUnitCount']);
    expect(byPolicy.every((m) => m.Dimensions!.some((d) => d.Name === 'GuardrailPolicyType' && d.Value === 'WordPolicy'))).toBe(true);
    const output = (
      await cw.send(
        new ListMetricsCommand({ MetricName: 'Invocations', Dimensions: [{ Name: 'GuardrailContentSource', Value: 'Output' }] }),
      )
    ).Metrics!;
    expect(output).toHaveLength(1);
    expect((await cw.send(new ListMetricsCommand({ Namespace: 'AWS/EC2' }))).Metrics).toEqual([]);
    expect((await r.cw('333333333333').send(new ListMetricsCommand({}))).Metrics).toEqual([]);
    // RecentlyActive: the last three hours of the sandbox clock.
    r.clock.now = T0 + 5 * 3600_000;
    expect((await cw.send(new ListMetricsCommand({ RecentlyActive: 'PT3H' }))).Metrics).toEqual([]);
    r.clock.now = T0 + 600_000;
  });
});

describe('errors through the real client', () => {
  const base = () => ({
    StartTime: new Date(T0),
    EndTime: new Date(END),
    MetricDataQueries: [
      { Id: 'q', MetricStat: { Metric: { Namespace: NS, MetricName: 'Invocations', Dimensions: dims(r.arn) }, Period: 60, Stat: 'Sum' } },
    ],
  });
  const gmd = (input: object) => r.cw().send(new GetMetricDataCommand(input as never));

  test('validation errors carry the query codes', async () => {
    const b = base();
    const q = b.MetricDataQueries[0];
    await expect(gmd({ ...b, MetricDataQueries: [{ ...q, Id: 'Bad' }] })).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      Code: 'InvalidParameterValue',
    });
    await expect(gmd({ ...b, MetricDataQueries: [q, q] })).rejects.toMatchObject({ Code: 'InvalidParameterValue' });
    await expect(gmd({ ...b, MetricDataQueries: [{ ...q, MetricStat: { ...q.MetricStat, Period: 7 } }] })).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining('Period'),
    });
    await expect(gmd({ ...b, MetricDataQueries: [{ ...q, MetricStat: { ...q.MetricStat, Stat: 'Median' } }] })).rejects.toMatchObject({
      Code: 'InvalidParameterValue',
    });
    await expect(gmd({ ...b, StartTime: undefined })).rejects.toMatchObject({
      name: 'MissingRequiredParameterException',
      Code: 'MissingParameter',
    });
    await expect(gmd({ ...b, MetricDataQueries: [{ Id: 'e', Expression: 'SUM(METRICS())' }] })).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: expect.stringContaining('metric math is not supported by the sandbox'),
    });
    await expect(gmd({ ...b, MetricDataQueries: [{ Id: 'e' }] })).rejects.toMatchObject({ name: 'InvalidParameterCombinationException' });
    await expect(gmd({ ...b, MetricDataQueries: [{ ...q, AccountId: '333333333333' }] })).rejects.toMatchObject({
      Code: 'InvalidParameterValue',
    });
    await expect(gmd({ ...b, EndTime: new Date(T0) })).rejects.toMatchObject({ Code: 'InvalidParameterValue' });
    await expect(r.cw().send(new ListMetricsCommand({ RecentlyActive: 'P1D' as never }))).rejects.toMatchObject({
      Code: 'InvalidParameterValue',
    });
  });

  test('faults and quotas apply: Throttling and InternalServiceError', async () => {
    r.sb.setFaults({ GetMetricData: { throttleRate: 1 }, ListMetrics: { errorRate: 1 } });
    try {
      await expect(gmd(base())).rejects.toMatchObject({ name: 'Throttling', $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded' });
      await expect(r.cw().send(new ListMetricsCommand({}))).rejects.toMatchObject({
        name: 'InternalServiceFault',
        Code: 'InternalServiceError',
        $metadata: { httpStatusCode: 500 },
      });
    } finally {
      r.sb.setFaults({});
    }
    r.sb.setQuotas({ ListMetrics: { ratePerSecond: 0.001, burst: 1 } });
    try {
      await r.cw().send(new ListMetricsCommand({}));
      await expect(r.cw().send(new ListMetricsCommand({}))).rejects.toMatchObject({ name: 'Throttling' });
      expect(r.sb.quotaThrottles()).toEqual({ ListMetrics: 1 });
    } finally {
      r.sb.setQuotas({});
    }
  });

  test('an unknown key is InvalidClientTokenId', async () => {
    const { CloudWatchClient } = await import('@aws-sdk/client-cloudwatch');
    const bad = new CloudWatchClient({ ...cfg(r.sb, PILOT, REGION), credentials: { accessKeyId: 'AKIANOPE', secretAccessKey: 'x' } });
    await expect(bad.send(new ListMetricsCommand({}))).rejects.toMatchObject({
      name: 'InvalidClientTokenId',
      $metadata: { httpStatusCode: 403 },
    });
  });
});

describe('other wire forms', () => {
  const auth = (service = 'monitoring') =>
    `AWS4-HMAC-SHA256 Credential=${r.sb.accounts[PILOT].accessKeyId}/20261201/${REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0`;
  const post = (body: string | Buffer, headers: Record<string, string>) =>
    fetch(r.sb.endpoint, { method: 'POST', body, headers: { authorization: auth(), ...headers } });

  test('awsQuery (older clients): form body in, XML out, XML errors', async () => {
    const dimsForm = dims(r.arn)
      .map(
        (d, i) =>
          `&MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.${i + 1}.Name=${d.Name}&MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.${i + 1}.Value=${encodeURIComponent(d.Value)}`,
      )
      .join('');
    const form =
      `Action=GetMetricData&Version=2010-08-01&StartTime=${new Date(T0).toISOString()}&EndTime=${new Date(END).toISOString()}` +
      `&MetricDataQueries.member.1.Id=inv&MetricDataQueries.member.1.MetricStat.Metric.Namespace=${encodeURIComponent(NS)}` +
      `&MetricDataQueries.member.1.MetricStat.Metric.MetricName=Invocations&MetricDataQueries.member.1.MetricStat.Period=3600` +
      `&MetricDataQueries.member.1.MetricStat.Stat=Sum${dimsForm}`;
    const res = await post(form, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' });
    const xml = await res.text();
    expect(res.status).toBe(200);
    expect(xml).toContain('<GetMetricDataResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/">');
    expect(xml).toContain(`<Timestamps><member>${new Date(T0).toISOString()}</member></Timestamps>`);
    expect(xml).toMatch(/<Values><member>\d+<\/member><\/Values>/);
    const list = await post('Action=ListMetrics&Version=2010-08-01&Dimensions.member.1.Name=Operation', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(await list.text()).toContain('<Name>Operation</Name><Value>ApplyGuardrail</Value>');
    const bad = await post(form.replace('Id=inv', 'Id=Inv'), { 'content-type': 'application/x-www-form-urlencoded' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/<Error><Type>Sender<\/Type><Code>InvalidParameterValue<\/Code>/);
  });

  test('a gzip-encoded JSON body is accepted', async () => {
    const { gzipSync } = await import('node:zlib');
    const body = gzipSync(
      JSON.stringify({ Namespace: NS, MetricName: 'Invocations', Dimensions: [{ Name: 'GuardrailContentSource', Value: 'Input' }] }),
    );
    const res = await post(body, {
      'content-type': 'application/x-amz-json-1.0',
      'content-encoding': 'gzip',
      'x-amz-target': 'GraniteServiceVersion20100801.ListMetrics',
      'x-amzn-query-mode': 'true',
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { Metrics: unknown[] }).Metrics).toHaveLength(1);
  });
});

describe('Smithy RPC v2 CBOR (botocore, the AWS CLI)', () => {
  // Encoded and decoded by @smithy/core's CBOR codec, independent of the sandbox's own.
  const call = async (operation: string, input: Record<string, unknown>) => {
    const { cbor } = await import('@smithy/core/cbor');
    const res = await fetch(`${r.sb.endpoint}/service/GraniteServiceVersion20100801/operation/${operation}`, {
      method: 'POST',
      body: Buffer.from(cbor.serialize(input)),
      headers: {
        'content-type': 'application/cbor',
        accept: 'application/cbor',
        'smithy-protocol': 'rpc-v2-cbor',
        authorization: `AWS4-HMAC-SHA256 Credential=${r.sb.accounts[PILOT].accessKeyId}/20261201/${REGION}/monitoring/aws4_request, SignedHeaders=host, Signature=0`,
      },
    });
    const body = cbor.deserialize(new Uint8Array(await res.arrayBuffer())) as Record<string, unknown>;
    return { status: res.status, headers: res.headers, body };
  };

  test('GetMetricData with tag-1 timestamps in and out; errors as CBOR with the query code', async () => {
    const { tag } = await import('@smithy/core/cbor');
    const input = {
      StartTime: tag({ tag: 1, value: T0 / 1000 }),
      EndTime: tag({ tag: 1, value: END / 1000 }),
      MetricDataQueries: [
        {
          Id: 'inv',
          MetricStat: { Metric: { Namespace: NS, MetricName: 'Invocations', Dimensions: dims(r.arn) }, Period: 3600, Stat: 'Sum' },
        },
      ],
    };
    const ok = await call('GetMetricData', input);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('smithy-protocol')).toBe('rpc-v2-cbor');
    const res = (ok.body.MetricDataResults as { Timestamps: { tag: number; value: number }[]; Values: number[] }[])[0];
    expect(res.Timestamps).toEqual([expect.objectContaining({ tag: 1, value: T0 / 1000 })]);
    expect(res.Values[0]).toBeGreaterThanOrEqual(8);
    const bad = await call('GetMetricData', { ...input, MetricDataQueries: [{ ...input.MetricDataQueries[0], Id: 'Inv' }] });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-amzn-query-error')).toBe('InvalidParameterValue;Sender');
    expect(bad.body.__type).toBe('com.amazonaws.cloudwatch#InvalidParameterValueException');
    const list = await call('ListMetrics', { Dimensions: [{ Name: 'Operation' }] });
    expect((list.body.Metrics as unknown[]).length).toBeGreaterThan(0);
  });
});
