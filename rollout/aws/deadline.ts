/**
 * Deadlines over AWS calls: `withDeadline(ms, fn)` gives every SDK call made inside `fn` (through
 * an AwsAccess, whatever the depth of promises, p-limit queues or credential refreshes) an
 * absolute deadline. An attempt in flight when it passes is aborted (its socket destroyed, by
 * the AwsAccess HTTP handler); a call that starts after it, or waits in the rate limiter or in
 * the SDK's retry back-off past it, fails at once with `DeadlineExceeded` — classified as
 * transient (rollout/aws/errors.ts), so a gate check reports it as inconclusive, never passed.
 * The deadline is carried by AsyncLocalStorage, so code between the gate and the SDK needs no
 * extra parameter. Nested deadlines: the earlier one wins.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { setMaxListeners } from 'node:events';

export interface DeadlineScope {
  /** performance.now() at which the deadline passes. */
  readonly at: number;
  /** The length of the scope's deadline, for messages. */
  readonly ms: number;
  /** Aborted when the deadline passes. */
  readonly signal: AbortSignal;
  /** What the deadline bounds (e.g. "gate effective-policy"), for messages. */
  readonly what: string;
}

/** The error of a call stopped by a deadline (name and code `DeadlineExceeded`; not retried by the SDK). */
export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceeded';
  readonly code = 'DeadlineExceeded';
  constructor(readonly scope: Pick<DeadlineScope, 'ms' | 'what'>) {
    super(`${scope.what}: the ${scope.ms} ms deadline passed before the call completed (no answer: no evidence)`);
  }
}

const store = new AsyncLocalStorage<DeadlineScope>();

/** Runs `fn` with a deadline `ms` from now over every AWS call it makes (the earlier of this and any enclosing one). */
export function withDeadline<T>(ms: number, fn: () => Promise<T>, what = 'deadline'): Promise<T> {
  if (!Number.isFinite(ms) || ms <= 0) return fn();
  const outer = store.getStore();
  const at = performance.now() + ms;
  if (outer && outer.at <= at) return fn();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeadlineExceededError({ ms, what })), ms);
  timer.unref?.();
  const signal = outer ? AbortSignal.any([outer.signal, controller.signal]) : controller.signal;
  // Every call in flight under the deadline listens to it (hundreds in a large gate).
  setMaxListeners(0, controller.signal, signal);
  const scope: DeadlineScope = { at, ms, signal, what };
  return store.run(scope, async () => {
    try {
      return await fn();
    } finally {
      clearTimeout(timer);
    }
  });
}

/** The deadline of the current async context, if any. */
export function currentDeadline(): DeadlineScope | undefined {
  return store.getStore();
}

/** Throws DeadlineExceeded when the current deadline has passed. */
export function throwIfDeadlinePassed(scope: DeadlineScope | undefined = currentDeadline()): void {
  if (scope && (scope.signal.aborted || performance.now() >= scope.at)) throw deadlineError(scope);
}

/** The error to report for a scope whose deadline passed (the innermost scope's own error when it has one). */
export function deadlineError(scope: DeadlineScope): DeadlineExceededError {
  const reason: unknown = scope.signal.reason;
  return reason instanceof DeadlineExceededError ? reason : new DeadlineExceededError(scope);
}

/**
 * `p`, or DeadlineExceeded when the current deadline passes first (`p` itself is not cancelled:
 * use it for waits that cost nothing, such as a rate-limiter slot).
 */
export function raceDeadline<T>(p: Promise<T>, scope: DeadlineScope | undefined = currentDeadline()): Promise<T> {
  if (!scope) return p;
  throwIfDeadlinePassed(scope);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(deadlineError(scope));
    scope.signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        scope.signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        scope.signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
