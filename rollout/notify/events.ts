/**
 * What a verb reports (pure): the events a notifier sends, built from values the flows already
 * have. Only structural types of the flows' results are used here: rollout/flows sits above this
 * layer, so it hands its values down, never the other way.
 */
import { expiringWithin, daysLeft } from '../../model/exceptions.js';
import type { Environment, NotificationEventName, Phase } from '../../model/types.js';
import type { GateResult, GateStatus } from '../state/contracts.js';

export interface NotificationCheck {
  gate: string;
  id: string;
  status: GateStatus | string;
  detail: string;
}

export interface ExpiringException {
  id: string;
  target: string;
  /** YYYY-MM-DD: the exception applies through the end of that day (UTC). */
  expires: string;
  daysLeft: number;
  owner: string;
}

/** One event as a verb emits it; the notifier adds env, at and toolVersion. */
export interface NotificationEvent {
  event: NotificationEventName;
  /** One line a person reads first. */
  summary: string;
  phase?: Phase;
  release?: string;
  /** Hash of the promoted unit. */
  unit?: string;
  attemptId?: string;
  checks?: NotificationCheck[];
  exceptions?: ExpiringException[];
}

/** The fields every event of one attempt shares. */
export type EventBase = Pick<NotificationEvent, 'phase' | 'release' | 'unit' | 'attemptId'>;

const base = (b: EventBase): EventBase => {
  const out: EventBase = {};
  if (b.phase !== undefined) out.phase = b.phase;
  if (b.release !== undefined && b.release !== null) out.release = b.release;
  if (b.unit !== undefined) out.unit = b.unit;
  if (b.attemptId !== undefined) out.attemptId = b.attemptId;
  return out;
};

/** The checks of a gate that did not pass (a gate without failed checks is itself one). */
export function failedChecksOf(g: Pick<GateResult, 'gate' | 'status' | 'summary' | 'checks'>): NotificationCheck[] {
  const bad = g.checks.filter((c) => c.status !== 'passed').map((c) => ({ gate: g.gate, id: c.id, status: c.status, detail: c.detail }));
  return bad.length || g.status === 'passed' ? bad : [{ gate: g.gate, id: g.gate, status: g.status, detail: g.summary }];
}

/** `gate-failed` for a gate result that is not `passed`; undefined for one that passed. */
export function gateFailedEvent(
  g: Pick<GateResult, 'gate' | 'status' | 'summary' | 'checks'>,
  b: EventBase,
): NotificationEvent | undefined {
  if (g.status === 'passed') return undefined;
  return { event: 'gate-failed', ...base(b), summary: `gate ${g.gate} ${g.status}: ${g.summary}`, checks: failedChecksOf(g) };
}

/**
 * The shape of a flow's result this needs (rollout/flows/promote.ts RolloutResult, structurally):
 * which event(s) a finished verb reports.
 */
export interface ResultLike {
  kind: 'promote' | 'rollback' | 'verify';
  outcome: string;
  phase: Phase;
  release: string | null;
  unit?: { hash: string } | null;
  attemptId?: string;
  message: string;
  failedChecks: readonly NotificationCheck[];
  rollback?: { to: string | null; status: string };
}

/**
 * promote promoted/baking/bake-finished → promotion-passed; promote halted → promotion-halted;
 * promote rolled-back (halted, then rolled back) → promotion-halted and rolled-back; rollback
 * rolled-back → rolled-back. Anything else (no-op, verify) reports nothing.
 */
export function resultEvents(r: ResultLike): NotificationEvent[] {
  const b = base({ phase: r.phase, release: r.release ?? undefined, unit: r.unit?.hash, attemptId: r.attemptId });
  const checks = r.failedChecks.map((c) => ({ gate: c.gate, id: c.id, status: c.status, detail: c.detail }));
  const summary = r.message.split('\n')[0];
  const rolledBack = (): NotificationEvent => ({
    event: 'rolled-back',
    ...b,
    summary: r.rollback ? `${r.phase} rolled back to ${r.rollback.to ?? 'nothing'} (${r.rollback.status})` : summary,
  });
  if (r.kind === 'rollback') return r.outcome === 'rolled-back' ? [rolledBack()] : [];
  if (r.kind !== 'promote') return [];
  if (r.outcome === 'promoted' || r.outcome === 'baking' || r.outcome === 'bake-finished')
    return [{ event: 'promotion-passed', ...b, summary }];
  if (r.outcome === 'halted') return [{ event: 'promotion-halted', ...b, summary, checks }];
  if (r.outcome === 'rolled-back') return [{ event: 'promotion-halted', ...b, summary, checks }, rolledBack()];
  return [];
}

/** `promotion-started` as a verb emits it once the attempt id is known. */
export function promotionStartedEvent(b: EventBase & { phase: Phase }): NotificationEvent {
  const out = base(b);
  return { event: 'promotion-started', ...out, summary: `promoting ${out.release ?? 'the current release'} to ${b.phase}` };
}

/**
 * `exceptions-expiring`: the active exceptions with at most `days` whole days left as of `asOf`
 * (model/exceptions.ts expiringWithin), soonest first; undefined when there are none.
 */
export function exceptionsExpiringEvent(env: Pick<Environment, 'exceptions'>, asOf: Date, days: number): NotificationEvent | undefined {
  const soon = expiringWithin(env, asOf, days);
  if (soon.length === 0) return undefined;
  const exceptions = soon.map((x) => ({ id: x.id, target: x.target, expires: x.expires, daysLeft: daysLeft(x, asOf), owner: x.owner }));
  const first = exceptions[0];
  return {
    event: 'exceptions-expiring',
    summary: `${soon.length} exception${soon.length === 1 ? '' : 's'} expire${soon.length === 1 ? 's' : ''} within ${days} days (first: ${first.id}, ${first.daysLeft} days left)`,
    exceptions,
  };
}
