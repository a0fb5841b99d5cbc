/**
 * Bake time: the phase must have been in place for `bakeSeconds` since its apply. `passed` when
 * the time is over, else `inconclusive` with the seconds left (the flow decides to wait or stop).
 * Pure.
 */
import type { GateResult } from '../../state/contracts.js';
import type { GateRunContext } from '../context.js';
import type { Gate } from '../gate.js';
import { gateResult } from '../result.js';

export type BakeContext = Pick<GateRunContext, 'env' | 'phase'> & { appliedAt: Date; now: Date };

export function bakeRemainingSeconds(ctx: BakeContext): number {
  const need = ctx.env.phases[ctx.phase].bakeSeconds;
  const elapsed = (ctx.now.getTime() - ctx.appliedAt.getTime()) / 1000;
  return Math.max(0, Math.ceil(need - elapsed));
}

export async function runBake(ctx: BakeContext): Promise<GateResult> {
  const startedAt = new Date();
  const need = ctx.env.phases[ctx.phase].bakeSeconds;
  const left = bakeRemainingSeconds(ctx);
  const elapsed = Math.max(0, Math.floor((ctx.now.getTime() - ctx.appliedAt.getTime()) / 1000));
  const check =
    left === 0
      ? { id: `bake:${ctx.phase}`, status: 'passed' as const, detail: `baked ${elapsed}s of ${need}s since ${ctx.appliedAt.toISOString()}` }
      : {
          id: `bake:${ctx.phase}`,
          status: 'inconclusive' as const,
          detail: `${left}s of bake time left (${elapsed}s of ${need}s since ${ctx.appliedAt.toISOString()})`,
          evidence: { secondsLeft: left },
        };
  return gateResult('bake', startedAt, [check], check.status === 'passed' ? `bake: passed (${need}s)` : `bake: ${left}s left`);
}

export const bakeGate: Gate<BakeContext> = { name: 'bake', run: runBake };
