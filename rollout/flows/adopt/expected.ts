/**
 * What each phase would put in place for the session's release, to tell "same content" from
 * "different content" (pure over the rollout state): the baseline document of every org phase
 * with the release's published identifiers, and the pilot's configuration per Region.
 */
import type { Environment } from '../../../model/types.js';
import { accountEnforcementConfig, buildPhasePolicies, ORG_PHASES } from '../../../policy/index.js';
import { canonicalPolicyContent } from '../../gates/preflight/recorded.js';
import type { RolloutState } from '../../state/store.js';
import { heldSettings } from '../promote.js';
import type { Expectation } from './mapping.js';

export function expectation(env: Environment, state: RolloutState, release: string, asOf: Date): Expectation {
  const held = heldSettings(state);
  const published = state.published[release] ?? {};
  const policies: Expectation['policies'] = {};
  // Without a published version in every Region the document cannot be computed: undefined.
  if (env.regions.every((r) => published[r])) {
    const identifiers = Object.fromEntries(env.regions.map((r) => [r, `${published[r]!.guardrailArn}:${published[r]!.version}`]));
    for (const phase of ORG_PHASES) {
      const spec = buildPhasePolicies({ env, phase, identifiers, asOf, release, held }).find((p) => p.key === 'baseline');
      if (spec) policies[phase] = canonicalPolicyContent(JSON.stringify(spec.content));
    }
  }
  const cfg = accountEnforcementConfig(env, held.pilot);
  const versions = state.phases.pilot?.release === release ? (state.phases.pilot.versions ?? {}) : {};
  const pilotConfigs: Expectation['pilotConfigs'] = {};
  for (const region of env.regions) {
    const v = versions[region];
    pilotConfigs[region] = v && {
      guardrailArn: v.guardrailArn,
      guardrailVersion: v.version,
      system: cfg.selectiveContentGuarding.system,
      messages: cfg.selectiveContentGuarding.messages,
      includedModels: [...cfg.modelEnforcement.includedModels].sort(),
      excludedModels: [...cfg.modelEnforcement.excludedModels].sort(),
    };
  }
  return { policies, pilotConfigs };
}
