/**
 * The gates that run after a phase's apply, in order: propagation (wait until the change is in
 * force), smoke invocations, then effective-policy verification (all always run). The
 * effective-policy gate judges the propagation gate's last DescribeEffectivePolicy reads
 * (ctx.effectiveReads) instead of reading every account again.
 */
import type { GateResult } from '../state/contracts.js';
import type { GateRunContext } from './context.js';
import { effectivePolicyGate } from './effective-policy/index.js';
import type { Gate } from './gate.js';
import { propagationGate } from './propagation/index.js';
import { smokeGate } from './smoke/index.js';
import { runGateWithDeadline } from './result.js';

export const POST_APPLY_GATES: readonly Gate<GateRunContext>[] = [propagationGate, smokeGate, effectivePolicyGate];

export async function runPostApplyGates(ctx: GateRunContext, deadlineMs?: number): Promise<GateResult[]> {
  const out: GateResult[] = [];
  const shared: GateRunContext = { ...ctx, effectiveReads: ctx.effectiveReads ?? new Map() };
  // Each gate under its own deadline when given (rollout/gates/result.ts runGateWithDeadline).
  for (const gate of POST_APPLY_GATES) out.push(await (deadlineMs ? runGateWithDeadline(gate, shared, deadlineMs) : gate.run(shared)));
  return out;
}
