/**
 * Exception expiry (pure). An exception applies through the END of its expiry day in UTC:
 * `expires: 2026-10-31` is active at 2026-10-31T23:59:59.999Z and expired at 2026-11-01T00:00:00Z.
 */
import type { EnforcementException, Environment } from './types.js';
import { isUnder } from './org.js';

export type ExceptionStatus = 'active' | 'expired';

/** First instant at which the exception no longer applies (00:00 UTC the day after `expires`). */
export function exceptionEndsAt(exc: Pick<EnforcementException, 'expires'>): Date {
  const [y, m, d] = exc.expires.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1));
}

export function exceptionStatus(exc: Pick<EnforcementException, 'expires'>, asOf: Date): ExceptionStatus {
  return asOf.getTime() < exceptionEndsAt(exc).getTime() ? 'active' : 'expired';
}

/**
 * The gates ask this for every account of a phase (500+ times per gate): memoized per exception
 * list and instant. Exception lists are treated as immutable once loaded, like the org index.
 */
const activeMemo = new WeakMap<readonly EnforcementException[], Map<number, EnforcementException[]>>();

export function activeExceptions(env: Pick<Environment, 'exceptions'>, asOf: Date): EnforcementException[] {
  let byInstant = activeMemo.get(env.exceptions);
  if (!byInstant) activeMemo.set(env.exceptions, (byInstant = new Map()));
  let active = byInstant.get(asOf.getTime());
  if (!active) byInstant.set(asOf.getTime(), (active = env.exceptions.filter((x) => exceptionStatus(x, asOf) === 'active')));
  return [...active];
}

export function expiredExceptions(env: Pick<Environment, 'exceptions'>, asOf: Date): EnforcementException[] {
  return env.exceptions.filter((x) => exceptionStatus(x, asOf) === 'expired');
}

/**
 * Days before its end an exception counts as expiring soon (docs/rollout.md: `expiring-soon`
 * is ≤ 30 days left). `rollout exceptions`, the plan report and `exceptions check` all use it.
 */
export const EXPIRY_WARNING_DAYS = 30;

/** Whole days from `asOf` until the exception stops applying (0 on its last day, negative once expired). */
export function daysLeft(exc: Pick<EnforcementException, 'expires'>, asOf: Date): number {
  return Math.ceil((exceptionEndsAt(exc).getTime() - asOf.getTime()) / 86_400_000) - 1;
}

/**
 * The one "expiring soon" rule: still active and at most `days` whole days left (daysLeft ≤ days,
 * so 30 days left is expiring soon, 31 is not; the last day, 0 days left, is too).
 */
export function isExpiringSoon(exc: Pick<EnforcementException, 'expires'>, asOf: Date, days = EXPIRY_WARNING_DAYS): boolean {
  return exceptionStatus(exc, asOf) === 'active' && daysLeft(exc, asOf) <= days;
}

/** Active exceptions with at most `days` days left (isExpiringSoon), soonest first. */
export function expiringWithin(
  env: Pick<Environment, 'exceptions'>,
  asOf: Date,
  days: number = EXPIRY_WARNING_DAYS,
): EnforcementException[] {
  return env.exceptions
    .filter((x) => isExpiringSoon(x, asOf, days))
    .sort((a, b) => exceptionEndsAt(a).getTime() - exceptionEndsAt(b).getTime() || a.id.localeCompare(b.id));
}

/** Active exceptions whose target covers the account (the account itself or an OU above it). */
export function exceptionsForAccount(env: Environment, accountId: string, asOf: Date): EnforcementException[] {
  return activeExceptions(env, asOf).filter((x) => isUnder(env, accountId, x.target));
}
