/**
 * `smoke:<case>@<account>/<region>`: one case of the phase's suite from one account in one
 * region. A must-pass case (`expect: allowed`) that is blocked is OVERBLOCKING; a case on an
 * excluded model also gets `smoke:excluded:<model>:<case>@…` (it must not be guarded at all).
 */
import { ConverseCommand, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import type { SmokeCase } from '../../../model/types.js';
import { classifyError, describeError } from '../../aws/errors.js';
import type { CheckResult } from '../../state/contracts.js';
import type { GateRunContext } from '../context.js';
import { errorCheck } from '../result.js';
import { isChatModel, type ModelCatalogue } from './catalogue.js';
import { excludedModelsFor } from './excluded-models.js';
import { classifyConverse, invokeEvidence, type ConverseEvidence } from './outcome.js';
import { converseInput, invokeBody } from './requests.js';

function caseCheck(
  c: SmokeCase,
  account: string,
  region: string,
  ev: ConverseEvidence,
  excluded: boolean,
  guardedOverride?: boolean,
): CheckResult[] {
  const o = classifyConverse(ev);
  if (guardedOverride !== undefined) o.guarded = guardedOverride;
  const id = `smoke:${c.id}@${account}/${region}`;
  const what = o.findings.length ? ` (${o.findings.slice(0, 4).join(', ')})` : '';
  const out: CheckResult[] = [];
  const evidence = { stopReason: ev.stopReason, outcome: o.outcome, guarded: o.guarded, guardrails: o.guardrails, findings: o.findings };
  if (o.outcome === c.expect) {
    out.push({ id, status: 'passed', account, region, detail: `${c.expect} as expected${what}`, evidence });
  } else {
    const kind =
      c.expect === 'allowed' && o.outcome !== 'allowed'
        ? `OVERBLOCKING: a must-pass case was ${o.outcome}`
        : `expected ${c.expect}, got ${o.outcome}`;
    out.push({ id, status: 'failed', account, region, detail: `${kind} on ${c.model} (${c.surface})${what}`, evidence });
  }
  if (excluded) {
    out.push(
      o.guarded
        ? {
            id: `smoke:excluded:${c.model}:${c.id}@${account}/${region}`,
            status: 'failed',
            account,
            region,
            detail: `${c.model} is excluded from enforcement but an enforced guardrail assessed the call${what}`,
            evidence,
          }
        : {
            id: `smoke:excluded:${c.model}:${c.id}@${account}/${region}`,
            status: 'passed',
            account,
            region,
            detail: `${c.model} is excluded and was not guarded`,
          },
    );
  }
  return out;
}

async function invokeCase(
  ctx: GateRunContext,
  c: SmokeCase,
  account: string,
  region: string,
): Promise<ConverseEvidence & { guardedOverride: boolean }> {
  const out = await ctx.access.forAccount(account, region).runtime.send(
    new InvokeModelCommand({
      modelId: c.model,
      contentType: 'application/json',
      accept: 'application/json',
      trace: 'ENABLED',
      body: new TextEncoder().encode(JSON.stringify(invokeBody(c.model, c.content))),
    }),
  );
  const ev = invokeEvidence(new TextDecoder().decode(out.body));
  return { stopReason: ev.outcome === 'blocked' ? 'guardrail_intervened' : 'end_turn', guardedOverride: ev.guarded };
}

export async function runCase(
  ctx: GateRunContext,
  catalogue: ModelCatalogue | undefined,
  c: SmokeCase,
  account: string,
  region: string,
): Promise<CheckResult[]> {
  const excluded = excludedModelsFor(ctx.env, ctx.phase, account, ctx.asOf).includes(c.model);
  const id = `smoke:${c.id}@${account}/${region}`;
  const chat = isChatModel(catalogue, region, c.model);
  try {
    if (!chat) {
      const ev = await invokeCase(ctx, c, account, region);
      return caseCheck(c, account, region, ev, excluded, ev.guardedOverride);
    }
    const out = await ctx.access.forAccount(account, region).runtime.send(new ConverseCommand(converseInput(c)));
    return caseCheck(c, account, region, { stopReason: out.stopReason, trace: out.trace as ConverseEvidence['trace'] }, excluded);
  } catch (err) {
    const kind = classifyError(err);
    const api = chat ? 'Converse' : 'InvokeModel';
    if (kind === 'denied') {
      return [
        {
          id,
          status: 'failed',
          account,
          region,
          detail: `AccessDenied on ${api} (${c.model}): callers in this account cannot be guarded by the enforced guardrail — missing resource policy or ApplyGuardrail permission? ${describeError(err)}`,
        },
      ];
    }
    if (kind !== 'transient' && excluded) {
      return [
        {
          id,
          status: 'failed',
          account,
          region,
          detail: `${c.model} is excluded from enforcement but the call failed: ${describeError(err)}`,
        },
      ];
    }
    if (kind !== 'transient' && /guardrail/i.test(describeError(err))) {
      return [
        {
          id,
          status: 'failed',
          account,
          region,
          detail: `${api} ${c.model} failed because of enforcement: ${describeError(err)} — is the model missing from the exclusion list (typo, missing version suffix)?`,
        },
      ];
    }
    return [errorCheck(id, `${api} ${c.model} (${c.surface})`, err, { account, region })];
  }
}
