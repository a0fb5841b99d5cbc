/**
 * Smoke invocations: the phase's suite through Converse WITHOUT naming a guardrail (only
 * enforcement can block), from a stratified sample of the accounts in scope, in every region.
 * The trace is requested with an empty guardrail identifier so enforced assessments are visible
 * (bedrock-enforcement.md §8.6). Must-pass cases that get blocked fail the gate (overblocking);
 * models on the effective exclusion list must not be guarded at all.
 */
import { ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';
import {
  ConverseCommand,
  InvokeModelCommand,
  type ContentBlock,
  type ConverseCommandInput,
  type Message,
  type SystemContentBlock,
} from '@aws-sdk/client-bedrock-runtime';
import { exceptionsForAccount } from '../../model/exceptions.js';
import type { Environment, SmokeCase } from '../../model/types.js';
import { classifyError, describeError } from '../aws/errors.js';
import type { CheckResult, GateResult } from '../state/contracts.js';
import { errorCheck, gateResult, runAll, type GateRunContext } from './common.js';
import { classifyConverse, type ConverseEvidence } from './outcome.js';
import { accountsForPhase, sampleAccounts } from './scope.js';

/** The user turn sent with a system-prompt case: benign, so only the system prompt can trigger. */
export const BENIGN_USER_TURN = 'Hello! Can you briefly say what you can help me with?';

export function converseInput(c: SmokeCase): ConverseCommandInput {
  const block = (text: string, tagged?: boolean): ContentBlock =>
    tagged ? { guardContent: { text: { text, qualifiers: ['guard_content'] } } } : { text };
  const messages: Message[] = [];
  const push = (role: 'user' | 'assistant', content: ContentBlock) => {
    const last = messages[messages.length - 1];
    if (last && last.role === role) last.content = [...(last.content ?? []), content];
    else messages.push({ role, content: [content] });
  };
  for (const t of c.history ?? []) push(t.role, { text: t.text });
  const system: SystemContentBlock[] | undefined =
    c.surface === 'system' ? [c.tagged ? { guardContent: { text: { text: c.content } } } : { text: c.content }] : undefined;
  push('user', c.surface === 'message' ? block(c.content, c.tagged) : { text: BENIGN_USER_TURN });
  return {
    modelId: c.model,
    messages,
    ...(system ? { system } : {}),
    inferenceConfig: { maxTokens: 256 },
    // No guardrail named: empty identifier/version only ask for the trace of enforced guardrails.
    guardrailConfig: { guardrailIdentifier: '', guardrailVersion: '', trace: 'enabled' },
  };
}

/** Models excluded from enforcement for an account in this phase (defaults + active exceptions). */
export function excludedModelsFor(env: Environment, phase: GateRunContext['phase'], account: string, asOf: Date): string[] {
  const base = [...env.enforcement.models.excluded];
  if (phase !== 'enterprise') return base;
  for (const e of exceptionsForAccount(env, account, asOf)) base.push(...(e.changes.excludedModels ?? []));
  return [...new Set(base)];
}

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

/** region → modelId → output modalities (ListFoundationModels), to route non-chat models to InvokeModel. */
export type ModelCatalogue = Map<string, Map<string, string[]>>;

/** Chat (Converse) unless the catalogue says the model outputs no text (embeddings, images). */
export function isChatModel(catalogue: ModelCatalogue | undefined, region: string, model: string): boolean {
  const mods = catalogue?.get(region)?.get(model);
  if (mods) return mods.includes('TEXT');
  return !/embed|image-generator|rerank/i.test(model);
}

/** InvokeModel body for a non-chat model (provider-native shape). */
export function invokeBody(model: string, text: string): Record<string, unknown> {
  if (model.startsWith('cohere.embed')) return { texts: [text], input_type: 'search_document' };
  if (/image-generator/.test(model))
    return { taskType: 'TEXT_IMAGE', textToImageParams: { text }, imageGenerationConfig: { numberOfImages: 1 } };
  return { inputText: text };
}

/** Evidence from an InvokeModel response body (guardrail fields are added to the body, §8.6). */
export function invokeEvidence(bodyText: string): { outcome: 'blocked' | 'allowed'; guarded: boolean } {
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(bodyText) as Record<string, unknown>;
  } catch {
    /* opaque body: no guardrail fields */
  }
  const action = body['amazon-bedrock-guardrailAction'];
  const intervened = action === 'INTERVENED' || action === 'GUARDRAIL_INTERVENED';
  return {
    outcome: intervened ? 'blocked' : 'allowed',
    guarded: intervened || body['amazon-bedrock-trace'] !== undefined || action !== undefined,
  };
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

async function runCase(
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

async function loadCatalogue(ctx: GateRunContext, caller: string): Promise<{ catalogue: ModelCatalogue; checks: CheckResult[] }> {
  const catalogue: ModelCatalogue = new Map();
  const checks: CheckResult[] = [];
  await Promise.all(
    ctx.env.regions.map(async (region) => {
      try {
        const out = await ctx.access.forAccount(caller, region).bedrock.send(new ListFoundationModelsCommand({}));
        catalogue.set(
          region,
          new Map((out.modelSummaries ?? []).filter((m) => m.modelId).map((m) => [m.modelId!, (m.outputModalities ?? []) as string[]])),
        );
      } catch (err) {
        checks.push(errorCheck(`smoke:models@${region}`, 'ListFoundationModels', err, { account: caller, region }));
      }
    }),
  );
  return { catalogue, checks };
}

/** Is every excluded model id a real model in at least one region? (A typo excludes nothing.) */
function exclusionIdChecks(ctx: GateRunContext, accounts: string[], catalogue: ModelCatalogue): CheckResult[] {
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
async function excludedModelCalls(
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
    const runtime = ctx.access.forAccount(account, region).runtime;
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

export async function runSmoke(ctx: GateRunContext): Promise<GateResult> {
  const startedAt = new Date();
  const settings = ctx.env.phases[ctx.phase];
  const suite = settings.smoke;
  const accounts = sampleAccounts(ctx.env, accountsForPhase(ctx.env, ctx.phase), settings.sample);
  ctx.log?.(`smoke: ${suite.length} case(s) × ${accounts.length} account(s) × ${ctx.env.regions.length} region(s)`);
  if (!suite.length || !accounts.length) {
    return gateResult('smoke', startedAt, [
      {
        id: 'smoke:suite',
        status: 'failed',
        detail: !suite.length
          ? `phase ${ctx.phase} has no smoke cases: a gate never passes without evidence`
          : 'no account in scope to invoke from',
      },
    ]);
  }
  const tasks = accounts.flatMap((account) => ctx.env.regions.flatMap((region) => suite.map((c) => ({ c, account, region }))));
  const { catalogue, checks: catalogueChecks } = await loadCatalogue(ctx, accounts[0]!);
  const [caseChecks, probeChecks] = await Promise.all([
    runAll(tasks, ctx.concurrency ?? 16, ({ c, account, region }) => runCase(ctx, catalogue, c, account, region)),
    excludedModelCalls(ctx, accounts, suite, catalogue),
  ]);
  const idChecks = [...catalogueChecks, ...exclusionIdChecks(ctx, accounts, catalogue)];
  const checks = [...caseChecks, ...idChecks, ...probeChecks];
  const failedCases = [...new Set(caseChecks.filter((c) => c.status === 'failed').map((c) => c.id.split('@')[0]!.replace(/^smoke:/, '')))];
  const r = gateResult('smoke', startedAt, checks);
  // Say where checks beyond cases × accounts × regions come from, so the total adds up for a reader.
  const extra = checks.length - tasks.length;
  r.summary += ` (${suite.length} cases × ${accounts.length} accounts × ${ctx.env.regions.length} regions${extra > 0 ? ` + ${extra} model-catalogue and excluded-model checks` : ''})`;
  if (failedCases.length) r.summary += `; failed: ${failedCases.slice(0, 8).join(', ')}${failedCases.length > 8 ? ', …' : ''}`;
  return r;
}
