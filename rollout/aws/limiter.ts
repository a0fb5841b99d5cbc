/**
 * Token-bucket rate limiter, one bucket per API (service:operation). A waiting call takes the
 * next free slot, so N calls at R calls/s finish no earlier than (N - burst) / R seconds: the
 * bound the gate benchmark compares against. No I/O apart from timers.
 */
export interface RateLimitOptions {
  /** Default calls per second for every API (0 or Infinity = unlimited). */
  ratePerSecond: number;
  /** Per-API overrides, keyed "<service>:<operation>" (e.g. "organizations:DescribeEffectivePolicy") or "<service>:*". */
  rates?: Record<string, number>;
  /** Tokens a bucket may hold (calls that can start back to back). Default 1. */
  burst?: number;
}

class Bucket {
  private tokens: number;
  private last = Date.now();
  private queue: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly rate: number, private readonly burst: number) {
    this.tokens = burst;
  }

  take(): Promise<void> {
    if (!Number.isFinite(this.rate) || this.rate <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.queue.push(resolve);
      this.drain();
    });
  }

  private refill(): void {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
  }

  private drain(): void {
    if (this.timer) return;
    this.refill();
    while (this.queue.length && this.tokens >= 1) {
      this.tokens -= 1;
      this.queue.shift()!();
    }
    if (this.queue.length) {
      const waitMs = Math.max(1, Math.ceil(((1 - this.tokens) / this.rate) * 1000));
      this.timer = setTimeout(() => { this.timer = undefined; this.drain(); }, waitMs);
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

  /** Resolves when a call of `api` may start. */
  take(api: string): Promise<void> {
    let b = this.buckets.get(api);
    if (!b) {
      b = new Bucket(this.rateFor(api), Math.max(1, this.opts.burst ?? 1));
      this.buckets.set(api, b);
    }
    return b.take();
  }
}
