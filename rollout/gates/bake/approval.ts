/**
 * Approval: a recorded reason with --approve, or an interactive yes, where the phase requires
 * it. A blank reason or a declined prompt is `failed`; nothing given non-interactively is
 * `inconclusive`. Pure apart from the optional prompt.
 */
import type { GateResult } from '../../state/contracts.js';
import type { GateRunContext } from '../context.js';
import type { Gate } from '../gate.js';
import { gateResult } from '../result.js';

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

export const approvalGate: Gate<ApprovalContext> = { name: 'approval', run: runApproval };
