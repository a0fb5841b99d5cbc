/**
 * The notifier a verb holds: emit() starts deliveries at once in the background, each with its own
 * budget (`notifications.timeoutSeconds` from its emit, so an event of a long bake's end has as
 * much time as the first); settle() at the verb's end waits at most until the last budget ends —
 * never longer than timeoutSeconds —, abandons the rest and records every attempt in the ledger. Notifications are
 * best-effort: neither method ever throws, so a dead webhook never fails a rollout.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Environment, NotificationSink } from '../../model/types.js';
import type { LedgerInput, LedgerLog } from '../state/ledger.js';
import { toolVersion } from '../state/tool-version.js';
import { deliver, type DeliveryDeps, type DeliveryResult } from './deliver.js';
import type { NotificationEvent } from './events.js';
import { buildPayload } from './payload.js';
import { slackMessage } from './slack.js';

export interface NotifierOptions {
  env: Pick<Environment, 'name' | 'notifications'>;
  ledger: Pick<LedgerLog, 'append'>;
  fetch?: typeof fetch;
  /** Wall clock for the payloads' `at`. The budget runs on the monotonic clock. */
  now?: () => Date;
  /** Back-off waits (tests pass an instant one). settle() waits on real time regardless. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Where `${env:VAR}` URLs are read from, at send time. */
  envVars?: NodeJS.ProcessEnv;
}

export interface DeliverySummary {
  /** One per event and sink, in emit order. */
  deliveries: DeliveryResult[];
  delivered: number;
  failed: number;
  abandoned: number;
  /** Ledger entries written (one per attempt). */
  recorded: number;
  /** The first ledger write that failed; the attempts after it were not recorded. */
  ledgerError?: string;
  /** Events that could not even be prepared (a bug, reported rather than thrown). */
  emitErrors: string[];
}

export interface Notifier {
  /** False when the environment has no sinks: emit and settle do nothing. */
  readonly enabled: boolean;
  /** Starts delivery in the background at once; never throws, never blocks. */
  emit(event: NotificationEvent): void;
  /**
   * Waits for outstanding deliveries at most until the last of their budgets ends (so at most
   * timeoutSeconds), abandons the others, then appends one ledger entry per attempt, one after
   * the other (the ledger is a hash chain). Never throws.
   */
  settle(): Promise<DeliverySummary>;
}

/** Lets the deadline timers inside deliveries fire first, so their attempts say what happened. */
const SETTLE_GRACE_MS = 25;

const empty = (): DeliverySummary => ({ deliveries: [], delivered: 0, failed: 0, abandoned: 0, recorded: 0, emitErrors: [] });

const unrefSleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

interface Pending {
  event: NotificationEvent;
  result: Promise<DeliveryResult>;
  /** Monotonic ms at which this delivery's budget ends. */
  deadline: number;
}

export function createNotifier(opts: NotifierOptions): Notifier {
  const settings = opts.env.notifications;
  const sinks: NotificationSink[] = settings?.sinks ?? [];
  if (!settings || sinks.length === 0) return { enabled: false, emit: () => undefined, settle: async () => empty() };
  const deps: DeliveryDeps = {
    fetch: opts.fetch ?? globalThis.fetch,
    sleep: opts.sleep ?? unrefSleep,
    random: opts.random ?? Math.random,
    envVars: opts.envVars ?? process.env,
    monotonic: () => performance.now(),
  };
  const now = opts.now ?? (() => new Date());
  let version = 'unknown';
  try {
    version = toolVersion();
  } catch {
    // package.json unreadable: the payload says "unknown" rather than failing the event
  }
  // Entries of events without an attempt (exceptions-expiring) share one id per notifier.
  const ownAttemptId = `notify-${randomUUID().slice(0, 8)}`;
  let pending: Pending[] = [];
  let emitErrors: string[] = [];
  let abandon = new AbortController();

  function emit(event: NotificationEvent): void {
    try {
      const deadline = deps.monotonic() + settings!.timeoutSeconds * 1000;
      const payload = buildPayload(event, { env: opts.env.name, at: now(), toolVersion: version });
      for (const sink of sinks) {
        if (!sink.events.includes(event.event)) continue;
        const body = JSON.stringify(sink.type === 'slack' ? slackMessage(payload) : payload);
        const headers = {
          'content-type': 'application/json',
          'user-agent': `guardrail-rollout/${version}`,
          // The same key on every retry of this delivery, so a receiver can drop a duplicate.
          'idempotency-key': randomUUID(),
        };
        const result = deliver(
          {
            sink: sink.name,
            event: event.event,
            url: sink.url,
            body,
            headers,
            retries: settings!.retries,
            deadline,
            abandon: abandon.signal,
          },
          deps,
        ).catch(
          (e): DeliveryResult => ({
            sink: sink.name,
            event: event.event,
            status: 'failed',
            attempts: [{ attempt: 1, outcome: `error: ${(e as Error)?.message ?? String(e)}`, durationMs: 0, startedAt: deps.monotonic() }],
          }),
        );
        pending.push({ event, result, deadline });
      }
    } catch (e) {
      emitErrors.push(`${event?.event ?? 'event'}: ${(e as Error)?.message ?? String(e)}`);
    }
  }

  async function settle(): Promise<DeliverySummary> {
    const mine = pending;
    const summary = { ...empty(), emitErrors };
    const end = Math.max(deps.monotonic(), ...mine.map((p) => p.deadline));
    const stop = abandon;
    pending = [];
    emitErrors = [];
    abandon = new AbortController();
    if (mine.length === 0) return summary;

    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, end - deps.monotonic()) + SETTLE_GRACE_MS);
    });
    await Promise.race([Promise.all(mine.map((p) => p.result)), budget]);
    clearTimeout(timer);
    // Whatever is still in flight or backing off ends now, as abandoned.
    stop.abort();
    const results = await Promise.all(mine.map((p) => p.result));

    summary.deliveries = results;
    for (const r of results) summary[r.status] += 1;
    const rows = results
      .flatMap((r, i) => r.attempts.map((a) => ({ r, a, event: mine[i].event })))
      .sort((x, y) => x.a.startedAt - y.a.startedAt);
    for (const { r, a, event } of rows) {
      const entry: LedgerInput = {
        env: opts.env.name,
        kind: 'notification',
        attemptId: event.attemptId ?? ownAttemptId,
        ...(event.phase !== undefined ? { phase: event.phase } : {}),
        ...(event.release !== undefined ? { release: event.release } : {}),
        ...(event.unit !== undefined ? { unit: event.unit } : {}),
        summary: `${r.event} → ${r.sink}: attempt ${a.attempt} ${a.outcome} (${a.durationMs} ms)`,
        notification: { sink: r.sink, event: r.event, attempt: a.attempt, outcome: a.outcome, durationMs: a.durationMs },
      };
      try {
        await opts.ledger.append(entry);
        summary.recorded += 1;
      } catch (e) {
        // One failed write means the ledger is unavailable: report it, do not retry each row.
        summary.ledgerError = (e as Error)?.message ?? String(e);
        break;
      }
    }
    return summary;
  }

  return { enabled: true, emit, settle };
}
