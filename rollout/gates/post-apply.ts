/** The gates that run after a phase's apply, in order: smoke invocations, then effective-policy verification (both always run). */
import type { GateResult } from '../state/contracts.js';
import type { GateRunContext } from './context.js';
import { effectivePolicyGate } from './effective-policy/index.js';
import type { Gate } from './gate.js';
import { smokeGate } from './smoke/index.js';
import { runGateWithDeadline } from './result.js';

export const POST_APPLY_GATES: readonly Gate<GateRunContext>[] = [smokeGate, effectivePolicyGate];

export async function runPostApplyGates(ctx: GateRunContext, deadlineMs?: number): Promise<GateResult[]> {
  const out: GateResult[] = [];
  // Each gate under its own deadline when given (rollout/gates/result.ts runGateWithDeadline).
  for (const gate of POST_APPLY_GATES) out.push(await (deadlineMs ? runGateWithDeadline(gate, ctx, deadlineMs) : gate.run(ctx)));
  return out;
}
