/**
 * How the promote and rollback flows carry adopted objects that their owning phase has not
 * applied yet (unsettled, adopt/state.ts):
 *
 * - before a plan of the owning phase: the terraform engine's stack gets the import blocks;
 *   the sandbox engine's state gets the adopted resources again if a rollback dropped them
 *   (recordAdopted leaves present addresses alone, so this is usually nothing);
 * - before a rollback of the owning phase: the sandbox engine drops them without a call, so a
 *   rollback (to nothing: a phase that adopted something held nothing) leaves them as they
 *   were found instead of planning their deletion. Terraform has imported nothing before the
 *   phase's first apply, so its rollback plan cannot hold them either.
 */
import type { Environment, Phase } from '../../../model/types.js';
import type { SandboxEngine } from '../../engines/sandbox/engine.js';
import type { RolloutState } from '../../state/store.js';
import type { StackArtifact } from '../../../stacks/artifact.js';
import type { Target } from '../target.js';
import { injectImports } from './imports.js';
import { pendingImports, unsettledOf } from './state.js';
import { takeover } from './takeover.js';

export async function carryAdopted(t: Target, env: Environment, state: RolloutState, phase: Phase, stack: StackArtifact): Promise<void> {
  const open = unsettledOf(state, phase);
  if (!open.length) return;
  if (t.engineName === 'terraform') await injectImports(stack, pendingImports(state, phase));
  else for (const a of open) await (t.engine as SandboxEngine).recordAdopted(phase, takeover(env, a).resources);
}

export async function dropAdoptedBeforeRollback(t: Target, env: Environment, state: RolloutState, phase: Phase): Promise<void> {
  if (t.engineName !== 'sandbox') return;
  const addresses = unsettledOf(state, phase).flatMap((a) => Object.keys(takeover(env, a).resources));
  if (addresses.length) await (t.engine as SandboxEngine).forgetAdopted(phase, addresses);
}
