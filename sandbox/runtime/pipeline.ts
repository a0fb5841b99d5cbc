/**
 * The guarded inference pipeline shared by Converse and InvokeModel: input check by every
 * applicable guardrail → stand-in model → output check by every applicable guardrail.
 */
import { evaluateGuardrail } from '../evaluator/index.js';
import type { EvaluationResult, GuardrailAssessment } from '../evaluator/index.js';
import type { AppliedGuardrail, Segment } from './enforcement.js';
import { selectForGuardrail } from './enforcement.js';
import { standInAnswer } from './standin.js';
import { evaluationRecord, type GuardrailEvaluation } from './evaluations.js';

export type TraceLevel = 'off' | 'on' | 'full';

export interface PipelineResult {
  /** Some guardrail blocked (input or output) or masked content. */
  intervened: boolean;
  blockedAt?: 'INPUT' | 'OUTPUT';
  /** Text returned to the caller (blocked message, masked or plain model output). */
  outputText: string;
  /** What the model produced before output guarding (undefined when the input was blocked). */
  modelOutput?: string;
  inputAssessments: Record<string, GuardrailAssessment>;
  outputAssessments: Record<string, GuardrailAssessment[]>;
  actionReason: string;
  inputChars: number;
  /** One record per guardrail per content source evaluated (input, then output if it ran), for the metrics. */
  evaluations: GuardrailEvaluation[];
}

function details(g: AppliedGuardrail): NonNullable<GuardrailAssessment['appliedGuardrailDetails']> {
  return {
    guardrailId: g.snapshot.guardrailId,
    guardrailVersion: g.snapshot.version,
    guardrailArn: g.snapshot.guardrailArn,
    guardrailOrigin: [...g.origins],
    guardrailOwnership: g.ownership,
  };
}

function keyOf(g: AppliedGuardrail, used: Set<string>): string {
  // Trace maps are keyed by guardrail id; a second version of the same guardrail gets "id:version".
  const k = used.has(g.snapshot.guardrailId) ? `${g.snapshot.guardrailId}:${g.snapshot.version}` : g.snapshot.guardrailId;
  used.add(k);
  return k;
}

function withMetrics(r: EvaluationResult, g: AppliedGuardrail, started: number, totalChars?: number): GuardrailAssessment {
  const a = r.assessment;
  // Coverage compares guarded characters with all characters of the prompt, not just the selection.
  const guardrailCoverage =
    totalChars === undefined
      ? a.invocationMetrics?.guardrailCoverage
      : { textCharacters: { guarded: r.coverage.guarded, total: totalChars } };
  return {
    ...a,
    invocationMetrics: {
      ...a.invocationMetrics,
      guardrailCoverage,
      guardrailProcessingLatency: Math.max(0, Math.round(performance.now() - started)),
    },
    appliedGuardrailDetails: details(g),
  };
}

export function runGuarded(opts: {
  applied: AppliedGuardrail[];
  segments: Segment[];
  trace: TraceLevel;
  /** false on InvokeModel without guard tags: PROMPT_ATTACK needs tagged input there. */
  promptAttack: boolean;
}): PipelineResult {
  const { applied, trace } = opts;
  const segments = opts.segments.map((s) => ({ ...s }));
  const keys = new Map<AppliedGuardrail, string>();
  const used = new Set<string>();
  for (const g of applied) keys.set(g, keyOf(g, used));
  const outputScope = trace === 'full' ? 'FULL' : 'INTERVENTIONS';
  const inputAssessments: Record<string, GuardrailAssessment> = {};
  const outputAssessments: Record<string, GuardrailAssessment[]> = {};
  const reasons: string[] = [];
  let intervened = false;
  let blockedMessage: string | undefined;
  const inputChars = opts.segments.reduce((n, s) => n + s.text.length, 0);
  const evaluations: GuardrailEvaluation[] = [];

  // Input: each guardrail sees its own selection, after earlier guardrails' masks (masks chain).
  for (const g of applied) {
    const idx = selectForGuardrail(segments, g);
    const started = performance.now();
    const r = evaluateGuardrail(g.snapshot.config, {
      source: 'INPUT',
      outputScope,
      promptAttack: opts.promptAttack,
      blocks: idx.map((i) => ({ text: segments[i].text, qualifiers: segments[i].qualifiers })),
    });
    inputAssessments[keys.get(g)!] = withMetrics(r, g, started, inputChars);
    evaluations.push(evaluationRecord(g.snapshot, g.origins, 'INPUT', r));
    if (r.action === 'GUARDRAIL_INTERVENED') {
      intervened = true;
      reasons.push(...r.reasons.map((x) => `${g.snapshot.guardrailId} (${g.origins.join('+')}): ${x}`));
    }
    if (r.blocked) blockedMessage ??= r.outputs[0].text;
    else
      idx.forEach((segIdx, j) => {
        segments[segIdx].text = r.blockTexts[j];
      });
  }
  if (blockedMessage !== undefined) {
    return {
      intervened: true,
      blockedAt: 'INPUT',
      outputText: blockedMessage,
      inputAssessments,
      outputAssessments,
      actionReason: reasons.join('; '),
      inputChars,
      evaluations,
    };
  }

  // The stand-in model reads the (possibly masked) last user message.
  const lastUser = Math.max(-1, ...segments.filter((s) => s.surface === 'message' && s.role === 'user').map((s) => s.message));
  const modelOutput = standInAnswer(
    segments
      .filter((s) => s.surface === 'message' && s.message === lastUser)
      .map((s) => s.text)
      .join(' '),
  );

  // Output: grounding sources and queries come from the input's qualified guard content.
  const references = opts.segments.filter((s) => s.qualifiers?.some((q) => q === 'grounding_source' || q === 'query'));
  let text = modelOutput;
  let blockedOut: string | undefined;
  for (const g of applied) {
    const started = performance.now();
    const r = evaluateGuardrail(g.snapshot.config, {
      source: 'OUTPUT',
      outputScope,
      blocks: [{ text }, ...references.map((s) => ({ text: s.text, qualifiers: s.qualifiers }))],
    });
    outputAssessments[keys.get(g)!] = [withMetrics(r, g, started)];
    evaluations.push(evaluationRecord(g.snapshot, g.origins, 'OUTPUT', r));
    if (r.action === 'GUARDRAIL_INTERVENED') {
      intervened = true;
      reasons.push(...r.reasons.map((x) => `${g.snapshot.guardrailId} (${g.origins.join('+')}): ${x}`));
    }
    if (r.blocked) blockedOut ??= r.outputs[0].text;
    else text = r.blockTexts[0];
  }
  return {
    intervened,
    blockedAt: blockedOut !== undefined ? 'OUTPUT' : undefined,
    outputText: blockedOut ?? text,
    modelOutput,
    inputAssessments,
    outputAssessments,
    actionReason: reasons.length ? reasons.join('; ') : 'No action.',
    inputChars,
    evaluations,
  };
}
