/**
 * `smoke:<case>@<account>/<region>`: one case of the phase's suite from one account in one
 * region, judged on the layer under test (attribution.ts): a must-block case passes only when the
 * guardrail of the release being promoted blocked it (blocks by other layers are reported beside
 * it, not counted); a must-pass case (`expect: allowed`) that any layer blocks is OVERBLOCKING. A
 * case that cannot apply to the account (settings.ts: model excluded, untagged system prompt
 * under `system: selective`, account guarded by another release) is recorded as skipped: status
 * `passed`, detail `skipped: <reason>`, evidence `{ skipped: true, reason }`. A case on an
 * excluded model also gets `smoke:excluded:<model>:<case>@…` (it must not be guarded at all).
 *
 * Invocations are sent as the account's workload identity (its probe role, rollout/aws/clients.ts
 * forWorkload), so an AccessDenied a workload would get under enforcement shows here; an account
 * without a probe role is invoked from with the deployment role (the gate summary warns: index.ts).
 */
import { ConverseCommand, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import type { SmokeCase } from '../../../model/types.js';
import { classifyError, describeError } from '../../aws/errors.js';
import type { CheckResult } from '../../state/contracts.js';
import type { GateRunContext } from '../context.js';
import { errorCheck } from '../result.js';
import { isChatModel, type ModelCatalogue } from './catalogue.js';
import { excludedModelsFor } from './excluded-models.js';
import { isUnderTest, judge, ReleaseNames, underTestFor } from './attribution.js';
import { classifyConverse, invokeEvidence, invokeTrace, layersOf, type ConverseEvidence } from './outcome.js';
import { converseInput, invokeBody } from './requests.js';
import { skipReason } from './settings.js';

/** A case that cannot apply to the account: visible as skipped, never counted as evidence. */
export function skippedCheck(
  c: SmokeCase,
  account: string,
  region: string,
  reason: string,
  evidence?: Record<string, unknown>,
): CheckResult {
  return {
    id: `smoke:${c.id}@${account}/${region}`,
    status: 'passed',
    account,
    region,
    detail: `skipped: ${reason}`,
    evidence: { skipped: true, reason, expect: c.expect, ...evidence },
  };
}

async function caseCheck(
  ctx: GateRunContext,
  names: ReleaseNames,
  c: SmokeCase,
  account: string,
  region: string,
  ev: ConverseEvidence,
  excluded: boolean,
  skip: string | undefined,
  guardedOverride?: boolean,
): Promise<CheckResult[]> {
  const o = classifyConverse(ev);
  if (guardedOverride !== undefined) o.guarded = guardedOverride;
  const id = `smoke:${c.id}@${account}/${region}`;
  const what = o.findings.length ? ` (${o.findings.slice(0, 4).join(', ')})` : '';
  const ut = underTestFor(ctx, region);
  const layers = await Promise.all(
    layersOf(ev).map(async (l) => {
      const underTest = isUnderTest(l, ut);
      return {
        arn: l.arn ?? l.id,
        version: l.version,
        origin: l.origin,
        release: underTest ? ut.release : await names.of(l),
        underTest,
        blocked: l.blocked,
        anonymized: l.anonymized,
      };
    }),
  );
  // Compact on purpose: every check of a 500-account gate is kept in state and the result. The
  // layers carry each guardrail's ARN, version and origin, so `o.guardrails` is not repeated.
  const base = { stopReason: ev.stopReason, outcome: o.outcome, guarded: o.guarded, findings: o.findings };
  const out: CheckResult[] = [];
  if (skip) {
    out.push(skippedCheck(c, account, region, skip, { ...base, layers }));
  } else {
    const v = judge(c, o, layers, ut, ev.stopReason);
    const { underTest, ...attribution } = v.attribution;
    out.push({
      id,
      status: v.status,
      account,
      region,
      detail: v.detail,
      evidence: {
        ...base,
        ...attribution,
        // The guardrail id repeats the ARN's last part: left out.
        underTest: {
          phase: underTest.phase,
          release: underTest.release,
          origin: underTest.origin,
          arn: underTest.arn,
          version: underTest.version,
        },
      },
    });
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
            evidence: { ...base, layers },
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
  const out = await ctx.access.forWorkload(account, region).runtime.send(
    new InvokeModelCommand({
      modelId: c.model,
      contentType: 'application/json',
      accept: 'application/json',
      trace: 'ENABLED',
      body: new TextEncoder().encode(JSON.stringify(invokeBody(c.model, c.content))),
    }),
  );
  const text = new TextDecoder().decode(out.body);
  const ev = invokeEvidence(text);
  return {
    stopReason: ev.outcome === 'blocked' ? 'guardrail_intervened' : 'end_turn',
    trace: invokeTrace(text),
    guardedOverride: ev.guarded,
  };
}

export async function runCase(
  ctx: GateRunContext,
  catalogue: ModelCatalogue | undefined,
  c: SmokeCase,
  account: string,
  region: string,
  names: ReleaseNames = new ReleaseNames(ctx),
): Promise<CheckResult[]> {
  const excluded = excludedModelsFor(ctx.env, ctx.phase, account, ctx.asOf).includes(c.model);
  const id = `smoke:${c.id}@${account}/${region}`;
  const chat = isChatModel(catalogue, region, c.model);
  const skip = skipReason(ctx, c, account, chat);
  // Skipped cases are not sent, except on an excluded model: the call is the smoke:excluded evidence.
  if (skip && !excluded) return [skippedCheck(c, account, region, skip)];
  try {
    if (!chat) {
      const ev = await invokeCase(ctx, c, account, region);
      return await caseCheck(ctx, names, c, account, region, ev, excluded, skip, ev.guardedOverride);
    }
    const out = await ctx.access.forWorkload(account, region).runtime.send(new ConverseCommand(converseInput(c)));
    return await caseCheck(
      ctx,
      names,
      c,
      account,
      region,
      { stopReason: out.stopReason, trace: out.trace as ConverseEvidence['trace'] },
      excluded,
      skip,
    );
  } catch (err) {
    const kind = classifyError(err);
    const api = chat ? 'Converse' : 'InvokeModel';
    if (kind === 'denied') {
      const probe = ctx.access.forWorkload(account, region).probeRole;
      const who = probe ? ` as probe role ${probe}` : '';
      return [
        {
          id,
          status: 'failed',
          account,
          region,
          detail: `AccessDenied on ${api} (${c.model})${who}: callers in this account cannot be guarded by the enforced guardrail — missing resource policy, or an identity policy without bedrock:InvokeModel / bedrock:ApplyGuardrail? ${describeError(err)}`,
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
