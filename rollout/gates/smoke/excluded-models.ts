/**
 * Models excluded from enforcement: `smoke:exclusion-id:<model>` (every excluded id is a model
 * of the catalogue — a typo excludes nothing) and `smoke:excluded:<model>@…` (one benign probe
 * per excluded model the suite does not use: no enforced guardrail may touch it).
 */
import { ConverseCommand, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { exceptionsForAccount } from '../../../model/exceptions.js';
import type { Environment, SmokeCase } from '../../../model/types.js';
import { classifyError, describeError } from '../../aws/errors.js';
import type { CheckResult } from '../../state/contracts.js';
import type { GateRunContext } from '../context.js';
import { errorCheck, runAll } from '../result.js';
import { isChatModel, type ModelCatalogue } from './catalogue.js';
import { classifyConverse, type ConverseEvidence } from './outcome.js';
import { converseInput, invokeBody } from './requests.js';

/** Models excluded from enforcement for an account in this phase (defaults + active exceptions). */
export function excludedModelsFor(env: Environment, phase: GateRunContext['phase'], account: string, asOf: Date): string[] {
  const base = [...env.enforcement.models.excluded];
  if (phase !== 'enterprise') return base;
  for (const e of exceptionsForAccount(env, account, asOf)) base.push(...(e.changes.excludedModels ?? []));
  return [...new Set(base)];
}

/** Is every excluded model id a real model in at least one region? (A typo excludes nothing.) */
export function exclusionIdChecks(ctx: GateRunContext, accounts: string[], catalogue: ModelCatalogue): CheckResult[] {
  const { env } = ctx;
  const excluded = new Set<string>();
  for (const a of accounts) for (const m of excludedModelsFor(env, ctx.phase, a, ctx.asOf)) excluded.add(m);
  if (!excluded.size || catalogue.size < env.regions.length) return [];
  const checks: CheckResult[] = [];
  const all = new Set([...catalogue.values()].flatMap((m) => [...m.keys()]));
  for (const m of [...excluded].sort()) {
    const id = `smoke:exclusion-id:${m}`;
    if (all.has(m)) {
      checks.push({
        id,
        status: 'passed',
        detail: `excluded model ${m} exists (${[...catalogue]
          .filter(([, ids]) => ids.has(m))
          .map(([r]) => r)
          .join(', ')})`,
      });
    } else {
      const near = [...all].filter((x) => x.startsWith(m) || m.startsWith(x.split(':')[0]!)).slice(0, 3);
      checks.push({
        id,
        status: 'failed',
        detail: `excluded model "${m}" is not a model id in ${env.regions.join(', ')}: the exclusion matches nothing, so that model stays guarded${near.length ? ` (did you mean ${near.join(' or ')}?)` : ''}`,
      });
    }
  }
  return checks;
}

/**
 * Excluded models the suite does not exercise: one benign call each from the first sampled
 * account per region, asserting no enforced guardrail touched it (InvokeModel for non-chat
 * models such as embeddings, Converse otherwise).
 */
export async function excludedModelCalls(
  ctx: GateRunContext,
  accounts: string[],
  suite: SmokeCase[],
  catalogue: ModelCatalogue,
): Promise<CheckResult[]> {
  const account = accounts[0];
  if (!account) return [];
  const inSuite = new Set(suite.map((c) => c.model));
  const models = excludedModelsFor(ctx.env, ctx.phase, account, ctx.asOf).filter((m) => !inSuite.has(m));
  const tasks = models.flatMap((m) => ctx.env.regions.map((region) => ({ m, region })));
  return runAll(tasks, ctx.concurrency ?? 16, async ({ m, region }) => {
    const id = `smoke:excluded:${m}@${account}/${region}`;
    const runtime = ctx.access.forWorkload(account, region).runtime;
    const chat = isChatModel(catalogue, region, m);
    try {
      if (chat) {
        const out = await runtime.send(
          new ConverseCommand(converseInput({ id: 'excluded-probe', surface: 'message', model: m, content: 'Hello.', expect: 'allowed' })),
        );
        const o = classifyConverse({ stopReason: out.stopReason, trace: out.trace as ConverseEvidence['trace'] });
        return [
          o.guarded
            ? {
                id,
                status: 'failed',
                account,
                region,
                detail: `${m} is excluded from enforcement but an enforced guardrail assessed a call to it`,
              }
            : { id, status: 'passed', account, region, detail: `${m} is excluded and was not guarded` },
        ];
      }
      const body = invokeBody(m, 'Hello.');
      const out = await runtime.send(
        new InvokeModelCommand({
          modelId: m,
          contentType: 'application/json',
          accept: 'application/json',
          trace: 'ENABLED',
          body: new TextEncoder().encode(JSON.stringify(body)),
        }),
      );
      const text = new TextDecoder().decode(out.body);
      const guarded = /amazon-bedrock-guardrailAction"\s*:\s*"INTERVENED"|amazon-bedrock-trace/.test(text);
      return [
        guarded
          ? {
              id,
              status: 'failed',
              account,
              region,
              detail: `${m} is excluded from enforcement but the response carries guardrail results`,
            }
          : { id, status: 'passed', account, region, detail: `${m} is excluded and was not guarded (InvokeModel)` },
      ];
    } catch (err) {
      const kind = classifyError(err);
      if (kind === 'transient') return [errorCheck(id, `call to excluded model ${m}`, err, { account, region })];
      if (kind === 'not-found' || (kind === 'invalid' && !/guardrail/i.test(describeError(err)))) {
        // The model cannot be called this way here; exclusion-id checks cover whether it exists.
        return [
          { id, status: 'passed', account, region, detail: `${m} could not be probed (${describeError(err)}); not evidence of guarding` },
        ];
      }
      return [
        { id, status: 'failed', account, region, detail: `${m} is excluded from enforcement but calling it failed: ${describeError(err)}` },
      ];
    }
  });
}
