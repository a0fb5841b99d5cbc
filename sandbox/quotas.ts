/**
 * Server-side request quotas: a token bucket per API operation and (caller account, region),
 * as AWS meters API request rates. A call that finds its bucket empty is answered with the
 * service's real throttling error (faultError in sandbox/faults.ts: Organizations
 * `TooManyRequestsException` HTTP 400, STS `Throttling` 400, Bedrock `ThrottlingException`
 * 429) and consumes no token, so a client that backs off gets through. Configured per operation
 * (or "*" for every operation without its own entry):
 *
 *   { "DescribeEffectivePolicy": { "ratePerSecond": 10, "burst": 10 } }
 *
 * in the "quotas" key of the fault config file, or `startSandbox({ quotas })`. Time comes from
 * an injectable monotonic clock (default performance.now), not the sandbox's `now`, which tests
 * freeze for timestamps.
 */
import { z } from 'zod';

export interface QuotaRule {
  /** Sustained calls per second per (operation, account, region). */
  ratePerSecond: number;
  /** Calls that can arrive back to back on a full bucket. Default: max(1, ratePerSecond). */
  burst?: number;
}

/** Keyed by operation name (e.g. "DescribeEffectivePolicy") or "*" for every other operation. */
export type QuotaConfig = Record<string, QuotaRule>;

export const quotaConfigSchema = z.record(
  z.string().min(1),
  z.strictObject({ ratePerSecond: z.number().positive().max(1_000_000), burst: z.number().min(1).max(1_000_000).optional() }),
);

interface Bucket {
  tokens: number;
  last: number;
}

export class QuotaKeeper {
  private config: QuotaConfig;
  private readonly buckets = new Map<string, Bucket>();
  /** Calls answered with a throttling error, per operation. */
  private readonly throttledByOp = new Map<string, number>();

  constructor(
    config: QuotaConfig = {},
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.config = quotaConfigSchema.parse(config);
  }

  set(config: QuotaConfig): void {
    this.config = quotaConfigSchema.parse(config);
    this.buckets.clear();
    this.throttledByOp.clear();
  }

  get(): QuotaConfig {
    return this.config;
  }

  /**
   * Takes a token for one call of `operation` by `account` in `region`: true = within the quota,
   * false = throttle it. No rule for the operation: always true.
   */
  admit(operation: string, account: string, region: string): boolean {
    const rule = this.config[operation] ?? this.config['*'];
    if (!rule) return true;
    const burst = rule.burst ?? Math.max(1, rule.ratePerSecond);
    const key = `${operation}\u0000${account}\u0000${region}`;
    const now = this.clock();
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: burst, last: now };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(burst, b.tokens + ((now - b.last) / 1000) * rule.ratePerSecond);
    b.last = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return true;
    }
    this.throttledByOp.set(operation, (this.throttledByOp.get(operation) ?? 0) + 1);
    return false;
  }

  /** Calls throttled by the quotas so far, per operation. */
  throttled(): Record<string, number> {
    return Object.fromEntries(this.throttledByOp);
  }
}
