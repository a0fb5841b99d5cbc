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

/** One guardrail of the trace (a layer), with what it did to the call. */
export interface Layer {
  arn?: string;
  /** The trace key when no ARN is given (a guardrail id, or "id:version"). */
  id?: string;
  version?: string;
  /** `guardrailOrigin`: ACCOUNT_ENFORCED, ORGANIZATION_ENFORCED and/or REQUEST. */
  origin: string[];
  ownership?: string;
  /** Findings this guardrail blocked, e.g. "sensitiveInformationPolicy:US_SOCIAL_SECURITY_NUMBER=BLOCKED". */
  blocked: string[];
  anonymized: string[];
}

/**
 * Every guardrail the trace names, each with its own findings (input and output assessments
 * merged per guardrail ARN + version, from `appliedGuardrailDetails`; the trace key when an
 * assessment carries no details). Who did what, not just what happened.
 */
export function layersOf(ev: ConverseEvidence): Layer[] {
  const g = ev.trace?.guardrail;
  const entries: Array<[string, Record<string, unknown>]> = [];
  for (const [k, a] of Object.entries(g?.inputAssessment ?? {}))
    if (a && typeof a === 'object') entries.push([k, a as Record<string, unknown>]);
  for (const [k, list] of Object.entries(g?.outputAssessments ?? {})) {
    for (const a of Array.isArray(list) ? list : []) if (a && typeof a === 'object') entries.push([k, a as Record<string, unknown>]);
  }
  const byKey = new Map<string, Layer>();
  for (const [key, a] of entries) {
    const d = (a.appliedGuardrailDetails ?? {}) as {
      guardrailArn?: string;
      guardrailId?: string;
      guardrailVersion?: string;
      guardrailOrigin?: unknown;
      guardrailOwnership?: string;
    };
    const id = d.guardrailId ?? key.split(':')[0];
    const k = d.guardrailArn ? `${d.guardrailArn}:${d.guardrailVersion ?? ''}` : `key:${key}`;
    const layer = byKey.get(k) ?? { arn: d.guardrailArn, id, version: d.guardrailVersion, origin: [], blocked: [], anonymized: [] };
    if (d.guardrailOwnership) layer.ownership = d.guardrailOwnership;
    for (const o of Array.isArray(d.guardrailOrigin) ? d.guardrailOrigin.map(String) : [])
      if (!layer.origin.includes(o)) layer.origin.push(o);
    for (const f of findingsOf(a)) {
      const label = `${f.label}=${f.action}`;
      if (f.action === 'BLOCKED' && !layer.blocked.includes(label)) layer.blocked.push(label);
      if (f.action === 'ANONYMIZED' && !layer.anonymized.includes(label)) layer.anonymized.push(label);
    }
    byKey.set(k, layer);
  }
  return [...byKey.values()];
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
/**
 * The trace of an InvokeModel response body (`amazon-bedrock-trace.guardrail`: input assessments
 * under `input`, keyed by guardrail id; outputs under `outputs`, a list of {id: assessment}) in
 * the Converse shape, so layersOf reads both. Undefined when the body carries no trace.
 */
export function invokeTrace(bodyText: string): ConverseEvidence['trace'] {
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(bodyText) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const t = body['amazon-bedrock-trace'] as { guardrail?: { input?: unknown; outputs?: unknown } } | undefined;
  const g = t?.guardrail;
  if (!g || typeof g !== 'object') return undefined;
  const outputAssessments: Record<string, unknown[]> = {};
  for (const item of Array.isArray(g.outputs) ? g.outputs : []) {
    if (!item || typeof item !== 'object') continue;
    for (const [k, a] of Object.entries(item as Record<string, unknown>)) (outputAssessments[k] ??= []).push(a);
  }
  const input = g.input && typeof g.input === 'object' ? (g.input as Record<string, unknown>) : {};
  return { guardrail: { inputAssessment: input, outputAssessments } };
}

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
