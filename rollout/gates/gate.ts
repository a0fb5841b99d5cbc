/**
 * The one shape of a gate: it runs against a context and returns evidence (a GateResult whose
 * status is passed, failed or inconclusive). It never decides anything — promotion
 * (rollout/flows/promote.ts) reads the results and advances, waits, or halts and rolls back.
 */
import type { CheckResult, GateName, GateResult } from '../state/contracts.js';
import type { GateRunContext } from './context.js';

export interface Gate<C> {
  readonly name: GateName;
  run(ctx: C): Promise<GateResult>;
}

/**
 * One family of checks of a gate (preflight runs a list of them). `ids` are the ids of the
 * results it produces, each either exact or a prefix followed by `@<where>` or `:<key>`.
 * A check never throws for an AWS error: it reports it as a failed or inconclusive result.
 */
export interface Check<C = GateRunContext> {
  readonly ids: readonly string[];
  run(ctx: C): Promise<CheckResult[]>;
}

/** Does a result id belong to one of a check's ids? */
export function isCheckId(ids: readonly string[], id: string): boolean {
  return ids.some((p) => id === p || id.startsWith(`${p}@`) || id.startsWith(`${p}:`));
}
