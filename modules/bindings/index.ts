export { BedrockEnforcedGuardrailConfiguration } from './enforced-guardrail-configuration.js';
export type {
  BedrockEnforcedGuardrailConfigurationConfig,
  SelectiveContentGuardingBlock,
  ModelEnforcementBlock,
  ApiGuardingMode,
} from './enforced-guardrail-configuration.js';
export { BedrockGuardrailResourcePolicy } from './guardrail-resource-policy.js';
export type { BedrockGuardrailResourcePolicyConfig } from './guardrail-resource-policy.js';
