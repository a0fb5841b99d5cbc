export { evaluateGuardrail, configureHeuristics, heuristics, hasAutomatedReasoning } from './evaluate.js';
export { PII_DETECTORS } from './pii.js';
export type * from './types.js';
export { clearTokenMemos } from './compile.js';
