/**
 * Fault injection, per operation, seeded and deterministic: the n-th call of an operation
 * draws the same number for the same seed whatever the interleaving with other operations,
 * so a reliability test can predict exactly which calls fail.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AwsError } from './errors.js';
import type { Service } from './protocol.js';

export interface FaultRule {
  /** Probability (0..1) that a call is answered with the service's throttling error. */
  throttleRate?: number;
  /** Probability (0..1) that a call is answered with a 5xx. */
  errorRate?: number;
  /** Added latency before the call is handled. */
  latencyMs?: number;
}

/** Keyed by operation name (e.g. "ListGuardrails", "Converse") or "*" for every operation. */
export type FaultConfig = Record<string, FaultRule>;

const rate = z.number().min(0).max(1);
export const faultConfigSchema = z.record(
  z.string().min(1),
  z.strictObject({ throttleRate: rate.optional(), errorRate: rate.optional(), latencyMs: z.number().int().min(0).max(600_000).optional() }),
);

export type FaultDecision = { kind: 'none' | 'throttle' | 'error'; latencyMs: number };

export class FaultInjector {
  private config: FaultConfig;
  private readonly calls = new Map<string, number>();

  constructor(
    config: FaultConfig = {},
    private readonly seed = 1,
  ) {
    this.config = faultConfigSchema.parse(config);
  }

  set(config: FaultConfig): void {
    this.config = faultConfigSchema.parse(config);
    this.calls.clear();
  }

  get(): FaultConfig {
    return this.config;
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
    const kind = u < throttle ? 'throttle' : u < throttle + error ? 'error' : 'none';
    return { kind, latencyMs: rule.latencyMs ?? 0 };
  }
}

function uniform(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0) / 0x1_0000_0000;
}

/** The error each service really answers when it throttles or fails internally. */
export function faultError(service: Service, kind: 'throttle' | 'error'): AwsError {
  if (kind === 'throttle') {
    switch (service) {
      case 'organizations':
        return new AwsError('TooManyRequestsException', 400, 'You have sent too many requests in too short a period of time.', {
          Type: 'Throttling',
        });
      case 'sts':
        return new AwsError('Throttling', 400, 'Rate exceeded');
      default:
        return new AwsError('ThrottlingException', 429, 'Too many requests, please wait before trying again.');
    }
  }
  switch (service) {
    case 'organizations':
      return new AwsError('ServiceException', 500, "AWS Organizations can't complete your request because of an internal service error.");
    case 'sts':
      return new AwsError('InternalFailure', 500, 'The request processing has failed because of an unknown error.');
    default:
      return new AwsError('InternalServerException', 500, 'An internal server error occurred. Retry your request.');
  }
}
