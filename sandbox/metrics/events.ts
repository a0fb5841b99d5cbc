/**
 * The metric events store: one compact event per guardrail invocation, per (account, region,
 * guardrail ARN, version) series. Datapoints of any dimension set are derived from the events at
 * query time (sandbox/metrics/derive.ts), so the published dimension sets can change without
 * re-recording anything. Events are kept for a retention horizon (default 6 h) and capped in
 * number, oldest first. Pure data: persistence is sandbox/metrics/persist.ts.
 */
import { POLICY_TYPES, type PolicyType } from '../runtime/evaluations.js';

export type ContentSource = 'Input' | 'Output';
export type Outcome = 'ok' | 'clientError' | 'serverError' | 'throttle';
const OUTCOMES: Outcome[] = ['ok', 'clientError', 'serverError', 'throttle'];

export interface MetricEvent {
  /** Epoch ms on the sandbox clock. */
  t: number;
  source: ContentSource;
  /** 'ApplyGuardrail' for that operation; Converse/InvokeModel evaluations have no Operation. */
  operation?: 'ApplyGuardrail';
  intervened: boolean;
  policies: PolicyType[];
  latencyMs: number;
  /** Text units over all configured policies. */
  textUnits: number;
  /** Text units per policy (the value of a GuardrailPolicyType TextUnitCount datapoint). */
  policyUnits: number;
  outcome: Outcome;
}

export interface SeriesKey {
  account: string;
  region: string;
  guardrailArn: string;
  guardrailVersion: string;
}

/** Fields per event in Series.data: t, flags, latency, textUnits, policyUnits. */
export const EVENT_WIDTH = 5;
const W = EVENT_WIDTH;

export interface Series extends SeriesKey {
  /** Flat numbers, W per event, ascending t. */
  data: number[];
  /** Events ever recorded in this series (salts the simulated latency). */
  recorded: number;
}

function pack(e: MetricEvent): number[] {
  let flags = (e.source === 'Output' ? 1 : 0) | (e.operation ? 2 : 0) | (e.intervened ? 4 : 0);
  POLICY_TYPES.forEach((p, i) => {
    if (e.policies.includes(p)) flags |= 8 << i;
  });
  flags |= OUTCOMES.indexOf(e.outcome) << 8;
  return [e.t, flags, e.latencyMs, e.textUnits, e.policyUnits];
}

export function eventAt(s: Series, i: number): MetricEvent {
  const o = i * W;
  const flags = s.data[o + 1];
  return {
    t: s.data[o],
    source: flags & 1 ? 'Output' : 'Input',
    ...(flags & 2 ? { operation: 'ApplyGuardrail' as const } : {}),
    intervened: !!(flags & 4),
    policies: POLICY_TYPES.filter((_, k) => flags & (8 << k)),
    outcome: OUTCOMES[(flags >> 8) & 3],
    latencyMs: s.data[o + 2],
    textUnits: s.data[o + 3],
    policyUnits: s.data[o + 4],
  };
}

export const eventCount = (s: Series) => s.data.length / W;
export const timeAt = (s: Series, i: number) => s.data[i * W];
/** The packed flags of event i: events with equal flags have equal dimension values. */
export const flagsAt = (s: Series, i: number) => s.data[i * W + 1];

export interface MetricStoreOptions {
  /** Events older than this (ms before now) are dropped. Default 6 h. */
  retentionMs?: number;
  /** At most this many events in all; the oldest go first. Default 500,000. */
  maxEvents?: number;
}

export interface MetricStoreSnapshot {
  format: 1;
  series: Series[];
}

const key = (k: SeriesKey) => `${k.account}\u0000${k.region}\u0000${k.guardrailArn}\u0000${k.guardrailVersion}`;

export class MetricStore {
  private readonly series = new Map<string, Series>();
  private total = 0;
  /** Bumped on every change (the persister writes when it moved). */
  revision = 0;
  readonly retentionMs: number;
  readonly maxEvents: number;

  constructor(opts: MetricStoreOptions = {}) {
    this.retentionMs = opts.retentionMs ?? 6 * 3600_000;
    this.maxEvents = opts.maxEvents ?? 500_000;
  }

  /** Records one event; returns how many events its series had before (a deterministic salt). */
  record(k: SeriesKey, e: MetricEvent): number {
    const id = key(k);
    let s = this.series.get(id);
    if (!s) {
      s = { ...k, data: [], recorded: 0 };
      this.series.set(id, s);
    }
    const packed = pack(e);
    // Events mostly arrive in time order; a clock that went back inserts in place.
    let i = eventCount(s);
    while (i > 0 && s.data[(i - 1) * W] > e.t) i--;
    s.data.splice(i * W, 0, ...packed);
    const n = s.recorded;
    s.recorded += 1;
    this.total += 1;
    this.revision += 1;
    if (this.total > this.maxEvents) this.dropOldest(this.total - this.maxEvents);
    return n;
  }

  /** Events ever recorded in a series (0 for a new one). */
  recordedIn(k: SeriesKey): number {
    return this.series.get(key(k))?.recorded ?? 0;
  }

  /** Series of one account and region. */
  seriesOf(account: string, region: string): Series[] {
    return [...this.series.values()].filter((s) => s.account === account && s.region === region);
  }

  /** Drops events older than the retention horizon. */
  prune(now: number): void {
    const cutoff = now - this.retentionMs;
    for (const [id, s] of this.series) {
      let n = 0;
      while (n < eventCount(s) && s.data[n * W] < cutoff) n++;
      if (n > 0) {
        s.data.splice(0, n * W);
        this.total -= n;
        this.revision += 1;
      }
      if (s.data.length === 0) this.series.delete(id);
    }
  }

  private dropOldest(n: number): void {
    // Oldest across series: repeatedly trim the series whose first event is oldest.
    for (let left = n; left > 0; left--) {
      let oldest: Series | undefined;
      for (const s of this.series.values()) if (s.data.length && (!oldest || s.data[0] < oldest.data[0])) oldest = s;
      if (!oldest) return;
      oldest.data.splice(0, W);
      this.total -= 1;
    }
  }

  size(): number {
    return this.total;
  }

  toJSON(): MetricStoreSnapshot {
    return { format: 1, series: [...this.series.values()] };
  }

  load(snapshot: MetricStoreSnapshot): void {
    if (snapshot?.format !== 1 || !Array.isArray(snapshot.series)) return;
    this.series.clear();
    this.total = 0;
    for (const s of snapshot.series) {
      if (!Array.isArray(s.data) || s.data.length % W !== 0) continue;
      this.series.set(key(s), { ...s, data: [...s.data] });
      this.total += s.data.length / W;
    }
    this.revision += 1;
  }
}
