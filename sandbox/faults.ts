/**
 * Fault injection, per operation, seeded and deterministic: the n-th call of an operation
 * draws the same number for the same seed whatever the interleaving with other operations,
 * so a reliability test can predict exactly which calls fail.
 *
 * A call can be throttled, fail with a 5xx, be delayed (`latencyMs`), or stall (`stallRate`):
 * answered only after `stallMs`, or never (until the client gives up and closes the
 * connection) when `stallMs` is absent — a stalled connection or proxy. The same config file
 * may carry server-side quotas under the key "quotas" (sandbox/quotas.ts) and a propagation delay
under "propagationDelayMs" (sandbox/propagation.ts).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AwsError } from './errors.js';
import type { Service } from './protocol.js';
import { type QuotaConfig, quotaConfigSchema } from './quotas.js';

export interface FaultRule {
  /** Probability (0..1) that a call is answered with the service's throttling error. */
  throttleRate?: number;
  /** Probability (0..1) that a call is answered with a 5xx. */
  errorRate?: number;
  /** Added latency before the call is handled. */
  latencyMs?: number;
  /** Probability (0..1) that a call stalls: answered after `stallMs`, or never. */
  stallRate?: number;
  /** How long a stalled call waits before it is handled normally; absent = it is never answered. */
  stallMs?: number;
}

/**
 * Keyed by operation name (e.g. "ListGuardrails", "Converse") or "*" for every operation; the
 * key "quotas" holds server-side quotas instead (sandbox/quotas.ts):
 * `{ "DescribeEffectivePolicy": { "latencyMs": 50 }, "quotas": { "DescribeEffectivePolicy": { "ratePerSecond": 10, "burst": 10 } } }`.
 */
export interface FaultConfig {
  [operation: string]: FaultRule | QuotaConfig | number | undefined;
  quotas?: QuotaConfig;
  /**
   * Propagation delay, ms (sandbox/propagation.ts): how long a BEDROCK_POLICY attach, detach or
   * update, or an enforced configuration put or delete, takes to be in force.
   */
  propagationDelayMs?: number;
}

const rate = z.number().min(0).max(1);
const ms = z.number().int().min(0).max(600_000);
const faultRuleSchema = z.strictObject({
  throttleRate: rate.optional(),
  errorRate: rate.optional(),
  latencyMs: ms.optional(),
  stallRate: rate.optional(),
  stallMs: ms.optional(),
});
export const faultConfigSchema = z
  .object({ quotas: quotaConfigSchema.optional(), propagationDelayMs: z.number().int().min(0).max(3_600_000).optional() })
  .catchall(faultRuleSchema)
  .superRefine((cfg, ctx) => {
    for (const key of Object.keys(cfg)) if (key === '') ctx.addIssue({ code: 'custom', message: 'empty operation name', path: [key] });
  }) as unknown as z.ZodType<FaultConfig>;

/** `stall`: wait `stallMs` then handle the call normally; never answer when stallMs is undefined. */
export type FaultDecision = { kind: 'none' | 'throttle' | 'error' | 'stall'; latencyMs: number; stallMs?: number };

export class FaultInjector {
  private config: Record<string, FaultRule>;
  private quotaConfig: QuotaConfig = {};
  private delayMs: number | undefined;
  private readonly calls = new Map<string, number>();

  constructor(
    config: FaultConfig = {},
    private readonly seed = 1,
  ) {
    this.config = {};
    this.load(config);
  }

  private load(config: FaultConfig): void {
    const { quotas, propagationDelayMs, ...rules } = faultConfigSchema.parse(config);
    this.config = rules as Record<string, FaultRule>;
    this.quotaConfig = quotas ?? {};
    this.delayMs = propagationDelayMs;
  }

  set(config: FaultConfig): void {
    this.load(config);
    this.calls.clear();
  }

  get(): FaultConfig {
    return {
      ...this.config,
      ...(Object.keys(this.quotaConfig).length ? { quotas: this.quotaConfig } : {}),
      ...(this.delayMs !== undefined ? { propagationDelayMs: this.delayMs } : {}),
    };
  }

  /** The propagation delay of the config (undefined when it has none). */
  propagationDelayMs(): number | undefined {
    return this.delayMs;
  }

  /** The quotas of the config ({} when it has none). */
  quotas(): QuotaConfig {
    return this.quotaConfig;
  }

  /** Decides the fate of the next call of `operation` (advances its counter). */
  decide(operation: string): FaultDecision {
    const rule = this.config[operation] ?? this.config['*'];
    if (!rule) return { kind: 'none', latencyMs: 0 };
    const n = (this.calls.get(operation) ?? 0) + 1;
    this.calls.set(operation, n);
    const u = uniform(`${this.seed}:${operation}:${n}`);
    const throttle = rule.throttleRate ?? 0;
    const error = rule.errorRate ?? 0;
    const stall = rule.stallRate ?? 0;
    const kind = u < throttle ? 'throttle' : u < throttle + error ? 'error' : u < throttle + error + stall ? 'stall' : 'none';
    return kind === 'stall' ? { kind, latencyMs: rule.latencyMs ?? 0, stallMs: rule.stallMs } : { kind, latencyMs: rule.latencyMs ?? 0 };
  }
}

function uniform(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 0x1_0000_0000;
}

/**
 * The error each service really answers when it throttles or fails internally
 * (docs/aws-facts.md#error-envelopes): Organizations `TooManyRequestsException` with HTTP 400
 * (awsJson1_1), STS `Throttling` (awsQuery, 400), Bedrock and Bedrock Runtime
 * `ThrottlingException` with HTTP 429
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/troubleshooting-api-error-codes.html),
 * S3 `SlowDown` 503 and `InternalError` 500 (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html),
 * CloudWatch `Throttling` 400 "Rate exceeded" and `InternalServiceError` 500 (awsQuery codes).
 */
export function faultError(service: Service, kind: 'throttle' | 'error'): AwsError {
  if (kind === 'throttle') {
    switch (service) {
      case 'organizations':
        return new AwsError(
          'TooManyRequestsException',
          400,
          'You have sent too many requests in too short a period of time. Try again later.',
          {
            Type: 'Throttling',
          },
        );
      case 'sts':
      case 'monitoring':
      case 'monitoring-query':
      case 'monitoring-cbor':
        return new AwsError('Throttling', 400, 'Rate exceeded');
      case 's3':
        return new AwsError('SlowDown', 503, 'Please reduce your request rate.');
      default:
        return new AwsError('ThrottlingException', 429, 'Too many requests, please wait before trying again.');
    }
  }
  switch (service) {
    case 'organizations':
      return new AwsError('ServiceException', 500, "AWS Organizations can't complete your request because of an internal service error.");
    case 'sts':
      return new AwsError('InternalFailure', 500, 'The request processing has failed because of an unknown error.');
    case 's3':
      return new AwsError('InternalError', 500, 'We encountered an internal error. Please try again.');
    case 'monitoring':
    case 'monitoring-query':
    case 'monitoring-cbor':
      return new AwsError('InternalServiceError', 500, 'Internal service error.');
    default:
      return new AwsError('InternalServerException', 500, 'An internal server error occurred. Retry your request.');
  }
}
