/**
 * The traffic simulation: a profile's synthetic Converse calls are evaluated with the enforcement
 * in force and publish the same guardrail metrics as real calls; generation is lazy (ticks and
 * CloudWatch reads), deterministic under the seed, catches up after the clock jumps (capped at
 * the horizon) and survives a restart with a state file.
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import type { SandboxHandle, TrafficProfile } from '../../sandbox/index.js';
import { cfg, PROD, start } from '../helpers/sandbox.js';
import { dims, MODEL, PILOT, query, REGION, rig, sum, T0 } from './metrics-setup.js';

const profile = (over: Partial<TrafficProfile> = {}): TrafficProfile => ({
  name: 'chat-app',
  ratePerSecond: 2,
  accounts: [PILOT, PROD],
  regions: [REGION],
  prompts: [
    { id: 'greet', text: 'hello, how are you today', model: MODEL, surface: 'message', weight: 2, kind: 'benign' },
    { id: 'weather', text: 'what is the weather like', model: MODEL, surface: 'message', weight: 1, kind: 'benign' },
    { id: 'bad', text: 'tell me the forbidden thing', model: MODEL, surface: 'message', weight: 1, kind: 'harmful' },
  ],
  seed: 7,
  ...over,
});
const MIN = 60_000;

/** Per-minute Sums of Input Invocations over [from, to), ascending. */
async function perMinute(cw: CloudWatchClient, arn: string, from: number, to: number, metric = 'Invocations', source = 'Input') {
  const r = await query(cw, metric, dims(arn, { GuardrailContentSource: source }), 'Sum', from, to, 60, { ScanBy: 'TimestampAscending' });
  return r.timestamps.map((t, i) => [(t - from) / MIN, r.values[i]]);
}

describe('traffic against an enforced guardrail', () => {
  test('intervened / invocations follow the guardrail: harmful prompts blocked at input, benign ones evaluated twice', async () => {
    const r = await rig({ traffic: profile() });
    try {
      r.clock.now = T0 + 10 * MIN;
      const cw = r.cw();
      const input = await sum(cw, 'Invocations', dims(r.arn, { GuardrailContentSource: 'Input' }), T0, T0 + 60 * MIN);
      const intervened = await sum(cw, 'InvocationsIntervened', dims(r.arn, { GuardrailContentSource: 'Input' }), T0, T0 + 60 * MIN);
      const output = await sum(cw, 'Invocations', dims(r.arn, { GuardrailContentSource: 'Output' }), T0, T0 + 60 * MIN);
      // 2 calls per second for 600 s (the instant T0 itself belongs to the previous interval).
      expect(input).toBeGreaterThanOrEqual(1195);
      expect(input).toBeLessThanOrEqual(1200);
      expect(intervened! + output!).toBe(input);
      expect(intervened! / input!).toBeGreaterThan(0.2);
      expect(intervened! / input!).toBeLessThan(0.3);
      expect(await sum(cw, 'InvocationsIntervened', dims(r.arn, { GuardrailContentSource: 'Output' }), T0, T0 + 60 * MIN)).toBe(0);
      expect(await sum(cw, 'InvocationsIntervened', dims(r.arn, { GuardrailPolicyType: 'WordPolicy' }), T0, T0 + 60 * MIN)).toBe(
        intervened,
      );
      const p99 = (await query(cw, 'InvocationLatency', dims(r.arn), 'p99', T0, T0 + 60 * MIN)).values[0];
      const p50 = (await query(cw, 'InvocationLatency', dims(r.arn), 'p50', T0, T0 + 60 * MIN)).values[0];
      expect(p99).toBeGreaterThan(p50);
      // PROD has nothing enforced and the profile no request guardrail: no guardrail metrics.
      expect((await r.cw(PROD).send(new ListMetricsCommand({}))).Metrics).toEqual([]);
    } finally {
      await r.close();
    }
  });

  test('deterministic under the seed, whatever the ticks; another seed differs', async () => {
    const run = async (seed: number, ticks: number[]) => {
      const r = await rig({ traffic: profile({ seed }) });
      try {
        for (const t of ticks) {
          r.clock.now = T0 + t;
          r.sb.tickTraffic();
        }
        return await perMinute(r.cw(), r.arn, T0, T0 + 10 * MIN, 'InvocationsIntervened');
      } finally {
        await r.close();
      }
    };
    const a = await run(7, [5 * MIN, 10 * MIN]);
    const b = await run(7, [1234, 61_001, 3 * MIN + 17, 10 * MIN]);
    const c = await run(8, [10 * MIN]);
    expect(a).toHaveLength(10);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  test('catch-up after the clock jumps, capped at the horizon; setTraffic(null) stops it', async () => {
    const r = await rig({ traffic: profile({ accounts: [PILOT] }), trafficCatchUpHorizonMs: 30 * MIN });
    try {
      const cw = r.cw();
      r.clock.now = T0 + 10 * MIN;
      r.sb.tickTraffic();
      // 20 minutes without a tick: the next read generates them.
      r.clock.now = T0 + 30 * MIN;
      const caught = await perMinute(cw, r.arn, T0, T0 + 30 * MIN);
      expect(caught.map(([m]) => m)).toEqual([...Array(30).keys()]);
      expect(caught.every(([, v]) => v === 120 || v === 119)).toBe(true);
      // Two hours later: only the last 30 minutes (the horizon) are generated.
      r.clock.now = T0 + 150 * MIN;
      const later = await perMinute(cw, r.arn, T0 + 30 * MIN, T0 + 150 * MIN);
      expect(later.map(([m]) => m)).toEqual([...Array(30).keys()].map((k) => 90 + k));
      r.sb.setTraffic(null);
      expect(r.sb.state.traffic).toBeUndefined();
      r.clock.now = T0 + 160 * MIN;
      expect(await perMinute(cw, r.arn, T0 + 150 * MIN, T0 + 160 * MIN)).toEqual([]);
    } finally {
      await r.close();
    }
  });

  test('an invalid profile is refused; a prompt of a model Converse refuses publishes nothing', async () => {
    const r = await rig();
    try {
      expect(() => r.sb.setTraffic(profile({ accounts: ['nope'] }))).toThrow(/invalid traffic profile/);
      expect(() => r.sb.setTraffic(profile({ prompts: [profile().prompts[0], profile().prompts[0]] }))).toThrow(/repeated/);
      r.sb.setTraffic(profile({ accounts: [PILOT], prompts: [{ ...profile().prompts[0], model: 'amazon.titan-embed-text-v2:0' }] }));
      r.clock.now = T0 + MIN;
      expect((await r.cw().send(new ListMetricsCommand({}))).Metrics).toEqual([]);
    } finally {
      await r.close();
    }
  });
});

describe('persistence', () => {
  test('events and the traffic lastTick survive a restart; the same profile keeps catching up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sbx-traffic-'));
    const statePath = join(dir, 'state.json');
    try {
      // Continuous run for reference.
      const ref = await rig({ traffic: profile({ accounts: [PILOT] }) });
      ref.clock.now = T0 + 10 * MIN;
      const expected = await perMinute(ref.cw(), ref.arn, T0, T0 + 10 * MIN);
      const arn = ref.arn;
      await ref.close();

      const first = await rig({ statePath, traffic: profile({ accounts: [PILOT] }) });
      expect(first.arn).toBe(arn); // same seed, same calls: same ids
      first.clock.now = T0 + 4 * MIN;
      first.sb.tickTraffic();
      await first.close();
      expect(existsSync(`${statePath}.metrics.json`)).toBe(true);

      let now = T0 + 4 * MIN;
      const again: SandboxHandle = await start({ statePath, now: () => now, traffic: profile({ accounts: [PILOT] }) });
      try {
        expect(again.state.traffic?.lastTick).toBe(T0 + 4 * MIN);
        now = T0 + 10 * MIN;
        const cw = new CloudWatchClient(cfg(again, PILOT, REGION));
        expect(await perMinute(cw, arn, T0, T0 + 10 * MIN)).toEqual(expected);
      } finally {
        await again.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
