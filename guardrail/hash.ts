/** The content hash of a guardrail: what a release pin (`sha256:` in environment.yaml) records. */
import { canonicalSha256 } from '../core/canonical-json.js';
import { GuardrailDefinition } from './definition.js';
import type { GuardrailSpec } from './spec.js';

/** sha256 hex of the canonical JSON (core/canonical-json.ts) of a spec (or definition). */
export function contentHash(spec: GuardrailSpec | GuardrailDefinition): string {
  const s = spec instanceof GuardrailDefinition ? spec.toSpec() : spec;
  return canonicalSha256(s);
}
