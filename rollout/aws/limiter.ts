/**
 * Token-bucket rate limiter, one bucket per API (service:operation). A waiting call takes the
 * next free slot, so N calls at R calls/s finish no earlier than (N - burst) / R seconds: the
 * bound the gate benchmark compares against. Adaptive: a throttled API's rate is halved (AIMD,
 * shared by every account's client, unlike the SDK's per-client adaptive mode) and recovers
 * additively on success. No I/O apart from timers, which go through an injectable clock.
 */

/** Time as the limiter sees it: the wall clock and timers by default; tests pass a simulated one. */
export interface LimiterClock {
  /** Milliseconds (any origin, non-decreasing). */
  now(): number;
  /** Calls `fn` once, `ms` milliseconds from now. */
  sleep(ms: number, fn: () => void): void;
}

const SYSTEM_CLOCK: LimiterClock = {
  now: () => Date.now(),
  sleep: (ms, fn) => {
    setTimeout(fn, ms);
  },
};

export interface RateLimitOptions {
  /** Default calls per second for every API (0 or Infinity = unlimited). */
  ratePerSecond: number;
  /** Per-API overrides, keyed "<service>:<operation>" (e.g. "organizations:DescribeEffectivePolicy") or "<service>:*". */
  rates?: Record<string, number>;
  /** Tokens a bucket may hold (calls that can start back to back). Default 1. */
  burst?: number;
  /** Default: the wall clock and setTimeout. */
  clock?: LimiterClock;
}

class Bucket {
  private tokens: number;
  /** Current rate: the configured rate, lowered on throttling (AIMD) and recovered on success. */
  rate: number;
  private last: number;
  private queue: Array<() => void> = [];
  private waiting = false;

  constructor(
    readonly configured: number,
    private readonly burst: number,
    private readonly clock: LimiterClock,
  ) {
    this.tokens = burst;
    this.rate = configured;
    this.last = clock.now();
  }

  /** Multiplicative decrease: halve the rate (not below 10% of the configured rate, nor 0.5/s). */
  throttled(): void {
    if (!Number.isFinite(this.configured) || this.configured <= 0) return;
    this.rate = Math.max(this.configured * 0.1, 0.5, this.rate / 2);
  }

  /** Additive increase back towards the configured rate. */
  succeeded(): void {
    if (this.rate < this.configured) this.rate = Math.min(this.configured, this.rate + this.configured * 0.05);
  }

  take(): Promise<void> {
    if (!Number.isFinite(this.configured) || this.configured <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.queue.push(resolve);
      this.drain();
    });
  }

  private refill(): void {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
  }

  private drain(): void {
    if (this.waiting) return;
    this.refill();
    while (this.queue.length && this.tokens >= 1) {
      this.tokens -= 1;
      this.queue.shift()!();
    }
    if (this.queue.length) {
      const waitMs = Math.max(1, Math.ceil(((1 - this.tokens) / this.rate) * 1000));
      this.waiting = true;
      this.clock.sleep(waitMs, () => {
        this.waiting = false;
        this.drain();
      });
    }
  }
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  constructor(private readonly opts: RateLimitOptions) {}

  rateFor(api: string): number {
    const rates = this.opts.rates ?? {};
    if (api in rates) return rates[api]!;
    const service = api.split(':')[0];
    if (`${service}:*` in rates) return rates[`${service}:*`]!;
    return this.opts.ratePerSecond;
  }

  private bucket(api: string): Bucket {
    let b = this.buckets.get(api);
    if (!b) {
      b = new Bucket(this.rateFor(api), Math.max(1, this.opts.burst ?? 1), this.opts.clock ?? SYSTEM_CLOCK);
      this.buckets.set(api, b);
    }
    return b;
  }

  /** Resolves when a call of `api` may start. */
  take(api: string): Promise<void> {
    return this.bucket(api).take();
  }

  /** The service throttled a call of `api`: slow that API down for everyone (shared across accounts). */
  throttled(api: string): void {
    this.bucket(api).throttled();
  }

  succeeded(api: string): void {
    this.bucket(api).succeeded();
  }

  /** Current (possibly lowered) rate of an API, calls/s; 0 = unlimited. */
  currentRate(api: string): number {
    const b = this.bucket(api);
    return b.configured > 0 ? b.rate : 0;
  }
}
