/** The reviewer report's markdown for engine plans, in the sandbox environment (what `rollout plan pilot` prints for them). */
import type { Phase } from '../../model/types.js';
import { effectiveDiff } from '../../rollout/report/effective-diff.js';
import { buildPlanReport, renderPlanMarkdown } from '../../rollout/report/report.js';
import type { EnginePlan } from '../../rollout/state/contracts.js';
import { emptyState } from '../../rollout/state/store.js';
import { FIXTURE_AS_OF, sandboxEnvironment } from './sandbox-fixture.js';

export async function reportMarkdown(plans: EnginePlan[], phase: Phase = 'pilot'): Promise<string> {
  const env = await sandboxEnvironment();
  const state = emptyState(env.name);
  const release = env.currentRelease;
  const report = buildPlanReport({
    env,
    phase,
    release,
    currentRelease: null,
    asOf: FIXTURE_AS_OF,
    engine: 'test',
    state,
    plans,
    effective: effectiveDiff(env, state, {}, { [phase]: release }, FIXTURE_AS_OF),
  });
  return renderPlanMarkdown(report);
}
