import type { GuardrailAssessment } from '@aws-sdk/client-bedrock-runtime';
import type { GuardrailSnapshot } from '../runtime/context.js';

export type { GuardrailAssessment };
export type GuardrailConfig = GuardrailSnapshot['config'];
export type Source = 'INPUT' | 'OUTPUT';
export type Strength = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH';
export type Confidence = 'NONE' | 'LOW' | 'MEDIUM' | 'HIGH';
/** Configuration-side action vocabulary (Create/UpdateGuardrail). */
export type ConfigAction = 'BLOCK' | 'ANONYMIZE' | 'NONE';

export interface EvaluationBlock {
  text: string;
  /** ApplyGuardrail / guardContent qualifiers: grounding_source, query, guard_content. */
  qualifiers?: string[];
}

export interface EvaluationInput {
  source: Source;
  blocks: EvaluationBlock[];
  /** FULL also lists checks that ran and did not trigger (detected: false). */
  outputScope?: 'INTERVENTIONS' | 'FULL';
  /**
   * Whether the PROMPT_ATTACK filter may run (it only ever runs on INPUT). InvokeModel sets this
   * to false when the prompt carries no guard-content tags (Bedrock documents that prompt-attack
   * filtering on InvokeModel requires input tags).
   */
  promptAttack?: boolean;
}

export interface EvaluationResult {
  action: 'GUARDRAIL_INTERVENED' | 'NONE';
  /** Blocked message, or the masked guarded blocks when anonymized; [] when action is NONE. */
  outputs: { text: string }[];
  assessment: GuardrailAssessment;
  blocked: boolean;
  anonymized: boolean;
  /** Human-readable reasons for each intervention, e.g. "contentPolicy VIOLENCE HIGH → BLOCKED". */
  reasons: string[];
  /** Every input block's text after masking (same order as input.blocks); unguarded blocks unchanged. */
  blockTexts: string[];
  /** Characters of guarded text and of all text, for guardrailCoverage. */
  coverage: { guarded: number; total: number };
}
