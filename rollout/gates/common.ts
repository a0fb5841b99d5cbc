/**
 * Shared gate plumbing: the run context, check/result builders and the status rule
 * (failed beats inconclusive beats passed; no evidence at all is inconclusive).
 */
import pLimit from 'p-limit';
import { canonicalJson } from '../../core/canonical-json.js';
import type { Environment, Phase } from '../../model/types.js';
import type { AwsAccess } from '../aws/clients.js';
import { classifyError, describeError } from '../aws/errors.js';
import type { CheckResult, GateName, GateResult, GateStatus, PublishedVersion } from '../state/contracts.js';

export interface GateRunContext {
  env: Environment;
  phase: Phase;
  release: string;
  asOf: Date;
  access: AwsAccess;
  /** Management-account versions of the release per region (pilot phase: the pilot account's). */
  published: Record<string /* region */, PublishedVersion>;
  /** What each phase runs after this apply (for the expected effective policy). */
  phaseStacks: Partial<Record<Phase, { release: string }>>;
  /**
   * Published management-account versions of OTHER releases still in use by other phases
   * (release → region → version). Optional: when missing, the gates look them up by version
   * description ("release <name> sha256:…") with ListGuardrails.
   */
  publishedByRelease?: Record<string, Record<string, PublishedVersion>>;
  /**
   * The organization policies (aws_organizations_policy name, and description where known) in
   * the phase stack about to be applied — what will be in force after this apply. Preflight of
   * the enterprise phase uses it: an expired exception whose policy this apply drops is not a
   * failure (the apply is what removes it). Filled by rollout/promote.ts from the synthesized
   * stack; when missing, the enterprise phase treats an expired exception still in force as failed.
   */
  plannedPolicies?: { name: string; description?: string }[];
  /** Parallel calls (default 16). The per-API rate limit is the AwsAccess's. */
  concurrency?: number;
  /** Informational: the rate the AwsAccess was built with (reported in summaries). */
  ratePerSecond?: number;
  log?: (line: string) => void;
}

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

/** Canonical JSON where lists of strings (model ids) are sets, as they are for enforcement. */
export function canonicalSorted(value: unknown): string {
  return canonicalJson(value, { stringListsAsSets: true });
}
