/**
 * What one guardrail evaluation was, as the CloudWatch metrics need it (sandbox/metrics): one
 * record per guardrail per content source evaluated. Extracted from the evaluator's result here so
 * the runtime handlers only hand records over and the metrics layer never reads assessments.
 */
import type { EvaluationResult } from '../evaluator/index.js';
import type { GuardrailSnapshot } from './context.js';
import type { Origin } from './enforcement.js';

/** The GuardrailPolicyType dimension values (monitoring-guardrails-cw-metrics.html). */
export const POLICY_TYPES = [
  'ContentPolicy',
  'TopicPolicy',
  'WordPolicy',
  'SensitiveInformationPolicy',
  'ContextualGroundingPolicy',
] as const;
export type PolicyType = (typeof POLICY_TYPES)[number];

export interface GuardrailEvaluation {
  guardrailArn: string;
  guardrailVersion: string;
  ownerAccount: string;
  /** How the guardrail came to run (ApplyGuardrail: REQUEST). */
  origins: Origin[];
  source: 'INPUT' | 'OUTPUT';
  /** Set for ApplyGuardrail (the Operation dimension); Converse and InvokeModel have none. */
  operation?: 'ApplyGuardrail';
  intervened: boolean;
  /** Policies whose findings were acted on (blocked or masked). */
  policyTypes: PolicyType[];
  /** Text units summed over the configured policies (what the usage block bills). */
  textUnits: number;
  /** Text units of the evaluated text for one policy (per GuardrailPolicyType datapoint). */
  policyUnits: number;
  /** Characters evaluated (drives the simulated latency). */
  chars: number;
}

type Finding = { action?: string; detected?: boolean };
const acted = (list: Finding[] | undefined) =>
  (list ?? []).some((f) => f.action !== undefined && f.action !== 'NONE' && f.detected !== false);

/** The policy types that intervened, from the assessment's findings. */
export function interveningPolicies(r: EvaluationResult): PolicyType[] {
  if (r.action !== 'GUARDRAIL_INTERVENED') return [];
  const a = r.assessment;
  const out: PolicyType[] = [];
  if (acted(a.contentPolicy?.filters as Finding[])) out.push('ContentPolicy');
  if (acted(a.topicPolicy?.topics as Finding[])) out.push('TopicPolicy');
  if (acted(a.wordPolicy?.customWords as Finding[]) || acted(a.wordPolicy?.managedWordLists as Finding[])) out.push('WordPolicy');
  if (acted(a.sensitiveInformationPolicy?.piiEntities as Finding[]) || acted(a.sensitiveInformationPolicy?.regexes as Finding[]))
    out.push('SensitiveInformationPolicy');
  if (acted(a.contextualGroundingPolicy?.filters as Finding[])) out.push('ContextualGroundingPolicy');
  return out;
}

export function evaluationRecord(
  snapshot: GuardrailSnapshot,
  origins: Origin[],
  source: 'INPUT' | 'OUTPUT',
  r: EvaluationResult,
  operation?: 'ApplyGuardrail',
): GuardrailEvaluation {
  const usage = (r.assessment.invocationMetrics?.usage ?? {}) as Record<string, number | undefined>;
  const units = Object.values(usage).filter((v): v is number => typeof v === 'number');
  return {
    guardrailArn: snapshot.guardrailArn,
    guardrailVersion: snapshot.version,
    ownerAccount: snapshot.ownerAccount,
    origins: [...origins],
    source,
    ...(operation ? { operation } : {}),
    intervened: r.action === 'GUARDRAIL_INTERVENED',
    policyTypes: interveningPolicies(r),
    textUnits: units.reduce((a, b) => a + b, 0),
    policyUnits: Math.max(0, ...units),
    chars: r.coverage.guarded,
  };
}
