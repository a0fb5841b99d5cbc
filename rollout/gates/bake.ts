/**
 * Time and people: bake time (the phase must have been in place for bakeSeconds) and approval
 * (a recorded reason with --approve, or an interactive yes). Pure apart from the optional prompt.
 */
import type { GateResult } from '../state/contracts.js';
import { gateResult, type GateRunContext } from './common.js';

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

export type ApprovalContext = Pick<GateRunContext, 'env' | 'phase' | 'release'> & {
  approve?: string;
  interactive: boolean;
  /** Asks a yes/no question on a TTY; only used when interactive and no --approve. */
  prompt?: (question: string) => Promise<boolean>;
  /** Who approved (recorded in the check), e.g. $USER or the CI actor. */
  approver?: string;
};

export async function runApproval(ctx: ApprovalContext): Promise<GateResult> {
  const startedAt = new Date();
  const id = `approval:${ctx.phase}`;
  if (!ctx.env.phases[ctx.phase].approval) {
    return gateResult('approval', startedAt, [{ id, status: 'passed', detail: `phase ${ctx.phase} does not require approval` }]);
  }
  const reason = ctx.approve?.trim();
  if (ctx.approve !== undefined) {
    if (!reason)
      return gateResult('approval', startedAt, [
        { id, status: 'failed', detail: '--approve needs a reason (e.g. --approve "CHG-1234 reviewed by security")' },
      ]);
    return gateResult('approval', startedAt, [
      { id, status: 'passed', detail: `approved: ${reason}`, evidence: { reason, approver: ctx.approver, via: 'flag' } },
    ]);
  }
  if (ctx.interactive && ctx.prompt) {
    const yes = await ctx.prompt(`Promote ${ctx.release} to ${ctx.phase} in ${ctx.env.name}? Approval is required.`);
    return gateResult('approval', startedAt, [
      yes
        ? { id, status: 'passed', detail: 'approved interactively', evidence: { approver: ctx.approver, via: 'prompt' } }
        : { id, status: 'failed', detail: 'approval declined at the prompt' },
    ]);
  }
  return gateResult('approval', startedAt, [
    {
      id,
      status: 'inconclusive',
      detail: `phase ${ctx.phase} requires approval: re-run with --approve "<reason>" (non-interactive) or answer the prompt on a terminal`,
    },
  ]);
}
