/**
 * Delivery of one event to one sink (the only I/O of rollout/notify): POST with a per-attempt
 * timeout, retries with exponential back-off and jitter, all inside the notifier's budget. Every
 * attempt is reported with its outcome; none ever throws. Outcomes name the sink's answer, never
 * its URL.
 */
import type { NotificationEventName } from '../../model/types.js';
import { resolveSinkUrl, scrubUrl } from './url.js';

/** One attempt never waits longer than this, so a hanging receiver leaves time for a retry. */
export const ATTEMPT_TIMEOUT_MS = 2000;
/** First back-off; doubled per retry (250, 500, 1000 ms …), then jittered to 50–100 %. */
export const BACKOFF_BASE_MS = 250;

export type AttemptOutcome = 'delivered' | `http-${number}` | `error: ${string}` | 'timeout' | 'abandoned';

export interface AttemptRecord {
  /** 1 for the first attempt. */
  attempt: number;
  outcome: AttemptOutcome;
  durationMs: number;
  /** Monotonic start (ms), to write the attempts of all deliveries in the order they happened. */
  startedAt: number;
}

/** delivered: a 2xx. failed: a final answer (4xx, no URL) or retries exhausted. abandoned: the budget ran out first. */
export type DeliveryStatus = 'delivered' | 'failed' | 'abandoned';

export interface DeliveryResult {
  sink: string;
  event: NotificationEventName;
  status: DeliveryStatus;
  attempts: AttemptRecord[];
}

export interface DeliveryRequest {
  sink: string;
  event: NotificationEventName;
  /** As configured: a URL or `${env:VAR}` (resolved here, at send time). */
  url: string;
  body: string;
  headers: Record<string, string>;
  retries: number;
  /** Monotonic ms after which nothing is started and anything in flight is abandoned. */
  deadline: number;
  /** Aborted by settle() when it stops waiting. */
  abandon: AbortSignal;
}

export interface DeliveryDeps {
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  envVars: NodeJS.ProcessEnv;
  monotonic: () => number;
}

class Aborted extends Error {}

/** Rejects when `signal` aborts, even if `p` never settles (a fetch that ignores its signal). */
function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Aborted());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** A network error as a short line: undici's "fetch failed" hides the reason in `cause`. */
function describe(e: unknown): string {
  const err = e as { message?: string; cause?: { code?: string; message?: string } } | undefined;
  const msg = err?.message ?? String(e);
  const cause = err?.cause?.code ?? err?.cause?.message;
  return cause && !msg.includes(cause) ? `${msg} (${cause})` : msg;
}

/** Retry-After in seconds (the HTTP-date form is rare for webhooks and ignored). */
function retryAfterMs(res: Response): number {
  const v = Number(res.headers?.get?.('retry-after'));
  return Number.isFinite(v) && v > 0 ? v * 1000 : 0;
}

export async function deliver(req: DeliveryRequest, deps: DeliveryDeps): Promise<DeliveryResult> {
  const attempts: AttemptRecord[] = [];
  const done = (status: DeliveryStatus): DeliveryResult => ({ sink: req.sink, event: req.event, status, attempts });
  const resolved = resolveSinkUrl(req.url, deps.envVars);
  if (!resolved.ok) {
    // A configuration problem: retrying cannot fix it.
    attempts.push({ attempt: 1, outcome: `error: ${resolved.error}`, durationMs: 0, startedAt: deps.monotonic() });
    return done('failed');
  }
  const url = resolved.url;
  for (let n = 1; ; n++) {
    const startedAt = deps.monotonic();
    const remaining = req.deadline - startedAt;
    if (remaining <= 0 || req.abandon.aborted) {
      // Record that the event was never attempted; later attempts not made are just absent.
      if (n === 1) attempts.push({ attempt: 1, outcome: 'abandoned', durationMs: 0, startedAt });
      return done('abandoned');
    }
    const limit = Math.min(ATTEMPT_TIMEOUT_MS, remaining);
    const ac = new AbortController();
    let cut: 'timeout' | 'abandoned' | undefined;
    // The attempt limit is the budget's end when less than ATTEMPT_TIMEOUT_MS is left: that is abandonment, not a slow receiver.
    const timer = setTimeout(() => {
      cut ??= limit < ATTEMPT_TIMEOUT_MS ? 'abandoned' : 'timeout';
      ac.abort();
    }, limit);
    const onAbandon = () => {
      cut ??= 'abandoned';
      ac.abort();
    };
    req.abandon.addEventListener('abort', onAbandon, { once: true });
    let outcome: AttemptOutcome;
    let retryable = false;
    let wait = 0;
    try {
      const res = await raceAbort(
        deps.fetch(url, { method: 'POST', headers: req.headers, body: req.body, signal: ac.signal, redirect: 'manual' }),
        ac.signal,
      );
      // Nothing in the answer is needed; dropping the body frees the connection.
      res.body?.cancel().catch(() => undefined);
      if (res.status >= 200 && res.status < 300) outcome = 'delivered';
      else {
        outcome = `http-${res.status}`;
        retryable = res.status === 429 || res.status >= 500;
        wait = retryAfterMs(res);
      }
    } catch (e) {
      if (cut) outcome = cut;
      else outcome = `error: ${scrubUrl(describe(e), url)}`;
      retryable = cut !== 'abandoned';
    } finally {
      clearTimeout(timer);
      req.abandon.removeEventListener('abort', onAbandon);
    }
    attempts.push({ attempt: n, outcome, durationMs: Math.round(deps.monotonic() - startedAt), startedAt });
    if (outcome === 'delivered') return done('delivered');
    if (outcome === 'abandoned') return done('abandoned');
    if (!retryable || n > req.retries) return done('failed');
    const backoff = BACKOFF_BASE_MS * 2 ** (n - 1);
    const delay = Math.max(wait, backoff / 2 + (deps.random() * backoff) / 2);
    // A retry that could not start before the deadline is not worth the wait.
    if (deps.monotonic() + delay >= req.deadline) return done('abandoned');
    try {
      await raceAbort(deps.sleep(delay), req.abandon);
    } catch {
      return done('abandoned');
    }
  }
}
