/** Constructs and bindings of guardrail-rollout (cdktf). */
export { Guardrail, guardrailConfig } from './guardrail/construct.js';
export type { GuardrailProps, ReleaseRef, PublishOptions } from './guardrail/construct.js';
export { GuardrailResourcePolicy, guardrailResourcePolicyDocument, GUARDRAIL_RBP_ACTIONS } from './guardrail/resource-policy.js';
export type { GuardrailResourcePolicyProps, GuardrailPolicyDocument } from './guardrail/resource-policy.js';
export { AccountEnforcement } from './enforcement/account.js';
export type { AccountEnforcementProps } from './enforcement/account.js';
export { OrganizationEnforcement, policyResourceName } from './enforcement/organization.js';
export type { OrganizationEnforcementProps, EnforcedPolicy } from './enforcement/organization.js';
export { AutomatedReasoningRefused, refuseAutomatedReasoning } from './enforcement/refusal.js';
export { PropsError } from './props.js';
export { slug, releaseSlugs, releaseOutputKey } from './naming.js';
export type { ReleaseOutputAttr } from './naming.js';
export * from './bindings/index.js';
