/**
 * Check and gate results: the status rule (failed beats inconclusive beats passed; no evidence
 * at all is inconclusive), builders, and the one list of what did not pass.
 */
import pLimit from 'p-limit';
import { withDeadline } from '../aws/deadline.js';
import { classifyError, describeError } from '../aws/errors.js';
import type { CheckResult, GateName, GateResult, GateStatus } from '../state/contracts.js';
import type { Gate } from './gate.js';

export function worst(statuses: readonly GateStatus[]): GateStatus {
  if (statuses.includes('failed')) return 'failed';
  if (statuses.includes('inconclusive') || statuses.length === 0) return 'inconclusive';
  return 'passed';
}

export function gateResult(gate: GateName, startedAt: Date, checks: CheckResult[], summaryOverride?: string): GateResult {
  const status = worst(checks.map((c) => c.status));
  const n = (s: GateStatus) => checks.filter((c) => c.status === s).length;
  const summary =
    summaryOverride ??
    (checks.length === 0
      ? `${gate}: no evidence collected (inconclusive)`
      : `${gate}: ${status} — ${n('passed')} passed, ${n('failed')} failed, ${n('inconclusive')} inconclusive of ${checks.length} checks`);
  return { gate, status, summary, checks, startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString() };
}

/** A check from an SDK error: transient failures are missing evidence (inconclusive), the rest failed. */
export function errorCheck(id: string, what: string, err: unknown, where: { account?: string; region?: string } = {}): CheckResult {
  const kind = classifyError(err);
  return {
    id,
    status: kind === 'transient' ? 'inconclusive' : 'failed',
    detail: `${what}: ${describeError(err)}${kind === 'transient' ? ' (kept failing after retries: no evidence)' : ''}`,
    ...where,
  };
}

/** Runs tasks with bounded concurrency; each task must return its own checks (never throw). */
export async function runAll<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T) => Promise<CheckResult[]>,
): Promise<CheckResult[]> {
  const limit = pLimit(Math.max(1, concurrency));
  const results = await Promise.all(
    items.map((it) =>
      limit(async () => {
        try {
          return await task(it);
        } catch (err) {
          return [errorCheck('internal', 'check crashed', err)];
        }
      }),
    ),
  );
  return results.flat();
}

/** A check that did not pass, with the gate it belongs to (`failedChecks` of promote, rollback and verify). */
export interface FailedCheck extends CheckResult {
  gate: GateName;
}

/**
 * Every check that did not pass, gate by gate. A gate that did not pass although none of its
 * checks failed (no evidence at all) is listed as one entry with the gate's name as id and its
 * summary as detail, so a result that is not ok always names something.
 */
export function failedChecks(results: readonly GateResult[]): FailedCheck[] {
  return results.flatMap((g) => {
    const bad: FailedCheck[] = g.checks.filter((c) => c.status !== 'passed').map((c) => ({ ...c, gate: g.gate }));
    if (g.status !== 'passed' && bad.length === 0) bad.push({ gate: g.gate, id: g.gate, status: g.status, detail: g.summary });
    return bad;
  });
}

/**
 * Overall deadline of one gate run, ms: ROLLOUT_GATE_DEADLINE_MS, else 30 minutes on AWS (a gate
 * over 10,000 accounts at 20 calls/s needs about 8) and 5 minutes against the local sandbox.
 */
export function gateDeadlineMs(kind: 'aws' | 'sandbox', env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.ROLLOUT_GATE_DEADLINE_MS;
  if (raw !== undefined && raw.trim() !== '') {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`ROLLOUT_GATE_DEADLINE_MS must be a whole number ≥ 1, got "${raw}"`);
    return n;
  }
  return kind === 'aws' ? 30 * 60_000 : 5 * 60_000;
}

/**
 * Runs a gate under an overall deadline (rollout/aws/deadline.ts): every AWS call the gate makes
 * is bounded by it — an attempt still in flight when it passes is aborted, a call started later
 * fails at once — and such a call is missing evidence, so its check is inconclusive (errorCheck).
 * If the gate has still not returned a short grace period after the deadline (something other
 * than an AWS call is stuck), the result is one inconclusive check `<gate>:deadline`. Either way
 * the gate returns within about the deadline, never passed for want of an answer, never a hang.
 */
export async function runGateWithDeadline<C>(gate: Gate<C>, ctx: C, deadlineMs: number): Promise<GateResult> {
  const startedAt = new Date();
  const run = withDeadline(deadlineMs, () => gate.run(ctx), `gate ${gate.name}`);
  const graceMs = Math.min(5_000, Math.max(250, deadlineMs / 10));
  let timer: NodeJS.Timeout | undefined;
  const backstop = new Promise<GateResult>((resolve) => {
    timer = setTimeout(
      () =>
        resolve(
          gateResult(gate.name, startedAt, [
            {
              id: `${gate.name}:deadline`,
              status: 'inconclusive',
              detail: `the gate did not finish within its ${deadlineMs} ms deadline (no evidence)`,
            },
          ]),
        ),
      deadlineMs + graceMs,
    );
  });
  try {
    return await Promise.race([run, backstop]);
  } finally {
    clearTimeout(timer);
    run.catch(() => {}); // a gate that throws after the backstop answered is not an unhandled rejection
  }
}
