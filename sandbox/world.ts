/**
 * RuntimeWorld (sandbox/runtime/context.ts) answered from the sandbox state, for the Bedrock
 * Runtime handlers. Reads only: the runtime never mutates the world.
 */
import { effectiveFor } from './effective.js';
import type { EnforcedConfig, GuardrailSnapshot, RuntimeWorld } from './runtime/context.js';
import { accountById, clone, orgPathOf, resolveGuardrail, snapshotOf, type SandboxState } from './state.js';

export function createWorld(getState: () => SandboxState): RuntimeWorld {
  return {
    organizationId: () => getState().organization.id,
    managementAccountId: () => getState().organization.masterAccountId,
    orgPathOf(account) {
      const state = getState();
      return accountById(state, account) ? orgPathOf(state, account) : undefined;
    },
    isOrgMember: (account) => !!accountById(getState(), account),
    findGuardrail(identifier, version, callerAccount, region): GuardrailSnapshot | undefined {
      const g = resolveGuardrail(getState(), identifier, callerAccount, region);
      return g ? snapshotOf(g, version) : undefined;
    },
    accountEnforcement(account, region): EnforcedConfig | undefined {
      const e = getState().enforced.find((x) => x.account === account && x.region === region);
      if (!e) return undefined;
      const { configId, guardrailIdentifier, guardrailVersion, selectiveContentGuarding, modelEnforcement } = e;
      return clone({ configId, account, region, guardrailIdentifier, guardrailVersion, selectiveContentGuarding, modelEnforcement });
    },
    effectivePolicy(account) {
      const state = getState();
      if (!accountById(state, account)) return null;
      if (!state.organization.root.policyTypes.some((p) => p.Type === 'BEDROCK_POLICY' && p.Status === 'ENABLED')) return null;
      return effectiveFor(state, account);
    },
    resourcePolicy: (resourceArn) => getState().resourcePolicies.find((p) => p.resourceArn === resourceArn)?.policy,
  };
}
