/**
 * What a response says happened, from the evidence the API gives (docs/aws-facts.md#detecting-intervention).
 * Converse: stopReason "guardrail_intervened", and the trace's assessments
 * (`trace.guardrail.inputAssessment` keyed by guardrail id, `outputAssessments` id → list;
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_GuardrailTraceAssessment.html)
 * with per-policy actions and `appliedGuardrailDetails` (`guardrailOrigin` ACCOUNT_ENFORCED /
 * ORGANIZATION_ENFORCED; https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_AppliedGuardrailDetails.html).
 * Pure.
 */
import type { SmokeExpectation } from '../../../model/types.js';

export interface ConverseEvidence {
  stopReason?: string;
  trace?: { guardrail?: { inputAssessment?: Record<string, unknown>; outputAssessments?: Record<string, unknown[]> } };
}

export interface Outcome {
  outcome: SmokeExpectation;
  /** An enforced guardrail (account or organization) assessed the call. */
  guarded: boolean;
  /** Guardrail ARNs:versions that assessed, with origins. */
  guardrails: Array<{ arn?: string; version?: string; origin: string[] }>;
  /** Policies that blocked/anonymized, e.g. "contentPolicy:PROMPT_ATTACK". */
  findings: string[];
}

function assessments(ev: ConverseEvidence): Record<string, unknown>[] {
  const g = ev.trace?.guardrail;
  const out: Record<string, unknown>[] = [];
  for (const a of Object.values(g?.inputAssessment ?? {})) if (a && typeof a === 'object') out.push(a as Record<string, unknown>);
  for (const list of Object.values(g?.outputAssessments ?? {})) {
    for (const a of list ?? []) if (a && typeof a === 'object') out.push(a as Record<string, unknown>);
  }
  return out;
}

/** Walks an assessment collecting {policy:type → action} findings. */
function findingsOf(a: Record<string, unknown>): Array<{ label: string; action: string }> {
  const out: Array<{ label: string; action: string }> = [];
  const push = (policy: string, items: unknown, typeKey: string) => {
    if (!Array.isArray(items)) return;
    for (const it of items as Array<Record<string, unknown>>) {
      const action = String(it?.action ?? 'NONE');
      out.push({ label: `${policy}:${String(it?.[typeKey] ?? it?.name ?? it?.match ?? '?')}`, action });
    }
  };
  const p = (k: string) => (a[k] && typeof a[k] === 'object' ? (a[k] as Record<string, unknown>) : undefined);
  push('topicPolicy', p('topicPolicy')?.topics, 'name');
  push('contentPolicy', p('contentPolicy')?.filters, 'type');
  push('wordPolicy', p('wordPolicy')?.customWords, 'match');
  push('wordPolicy', p('wordPolicy')?.managedWordLists, 'type');
  push('sensitiveInformationPolicy', p('sensitiveInformationPolicy')?.piiEntities, 'type');
  push('sensitiveInformationPolicy', p('sensitiveInformationPolicy')?.regexes, 'name');
  push('contextualGroundingPolicy', p('contextualGroundingPolicy')?.filters, 'type');
  return out;
}

export function classifyConverse(ev: ConverseEvidence): Outcome {
  const list = assessments(ev);
  const findings = list.flatMap(findingsOf);
  const guardrails = list.map((a) => {
    const d = (a.appliedGuardrailDetails ?? {}) as { guardrailArn?: string; guardrailVersion?: string; guardrailOrigin?: string[] };
    return { arn: d.guardrailArn, version: d.guardrailVersion, origin: Array.isArray(d.guardrailOrigin) ? d.guardrailOrigin : [] };
  });
  const guarded =
    guardrails.some((g) => g.origin.some((o) => o === 'ACCOUNT_ENFORCED' || o === 'ORGANIZATION_ENFORCED')) ||
    // No request guardrail was named, so any assessment at all came from enforcement.
    list.length > 0;
  const blocked = findings.filter((f) => f.action === 'BLOCKED');
  const anonymized = findings.filter((f) => f.action === 'ANONYMIZED');
  let outcome: SmokeExpectation;
  if (blocked.length) outcome = 'blocked';
  else if (anonymized.length) outcome = 'anonymized';
  else if (ev.stopReason === 'guardrail_intervened') outcome = 'blocked';
  else outcome = 'allowed';
  const dedupe = (xs: string[]) => [...new Set(xs)];
  return {
    outcome,
    guarded: guarded || ev.stopReason === 'guardrail_intervened',
    guardrails: dedupeGuardrails(guardrails),
    findings: dedupe((blocked.length ? blocked : anonymized).map((f) => `${f.label}=${f.action}`)),
  };
}

function dedupeGuardrails(g: Outcome['guardrails']): Outcome['guardrails'] {
  const seen = new Map<string, Outcome['guardrails'][number]>();
  for (const x of g) {
    const k = `${x.arn}:${x.version}`;
    const s = seen.get(k);
    if (s) s.origin = [...new Set([...s.origin, ...x.origin])];
    else seen.set(k, { ...x, origin: [...x.origin] });
  }
  return [...seen.values()];
}

/**
 * Evidence from an InvokeModel response body: with a guardrail applied, Bedrock adds
 * `amazon-bedrock-guardrailAction` (INTERVENED | NONE) and, with the trace enabled,
 * `amazon-bedrock-trace` to the model's own body
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_InvokeModel.html,
 * docs/aws-facts.md#detecting-intervention; the sandbox's answer: docs/evaluator.md).
 */
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
