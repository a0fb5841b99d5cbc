/**
 * The one interface of a metric provider (Argo Rollouts' model: one folder per provider behind
 * it, providers/<name>/). A provider reads one guardrail version's counts in one account and
 * Region as a series of buckets; it never judges them (measure.ts does).
 */

/** What one bucket (one GetMetricData period) holds. */
export interface Counts {
  invocations: number;
  intervened: number;
  clientErrors: number;
  serverErrors: number;
  throttles: number;
  /** p99 of InvocationLatency, ms; undefined = no latency datapoint. */
  latencyP99?: number;
}

export interface Bucket extends Counts {
  /** Start of the bucket, epoch ms. */
  startMs: number;
}

/** The guardrail version whose metrics are read. */
export interface Subject {
  guardrailArn: string;
  version: string;
}

export interface SeriesQuery extends Subject {
  account: string;
  region: string;
  startMs: number;
  endMs: number;
  periodSeconds: number;
}

export type SeriesRead =
  /** Buckets with data, ascending (none: metrics exist but nothing fell in the window). */
  | { kind: 'data'; buckets: Bucket[]; note?: string }
  /** No metric of this guardrail version in this account and Region at all. */
  | { kind: 'no-data'; detail: string }
  /** The metric API failed (after the client's retries): missing evidence. */
  | { kind: 'error'; detail: string };

export interface MetricProvider {
  readonly name: string;
  read(q: SeriesQuery): Promise<SeriesRead>;
}

export const ZERO: Counts = { invocations: 0, intervened: 0, clientErrors: 0, serverErrors: 0, throttles: 0 };

/** Counts of several reads together; p99s cannot be merged exactly, so the worst one stands. */
export function addCounts(a: Counts, b: Counts): Counts {
  const latency = [a.latencyP99, b.latencyP99].filter((x): x is number => x !== undefined);
  return {
    invocations: a.invocations + b.invocations,
    intervened: a.intervened + b.intervened,
    clientErrors: a.clientErrors + b.clientErrors,
    serverErrors: a.serverErrors + b.serverErrors,
    throttles: a.throttles + b.throttles,
    ...(latency.length ? { latencyP99: Math.max(...latency) } : {}),
  };
}
