/**
 * Synthesis for one phase change, and reading what the publishing stacks report back.
 * Only the `guardrails` stack and the phase's own stack are ever planned/applied by a
 * promotion: nothing past the phase changes.
 */
import { mkdirSync } from 'node:fs';
import type { Environment, Phase } from '../../model/types.js';
import { synthStack, type SynthTarget } from '../../stacks/synth.js';
import { releaseOutputKey } from '../../modules/naming.js';
import type { StackArtifact } from '../../stacks/artifact.js';
import type { PublishedRecord } from '../state/store.js';
import type { EnforcementByPhase } from '../../policy/index.js';

/**
 * Where a verb's stacks go (from its Target): the synth target, and for the sandbox the local
 * state directory beside the emulator's own state, so one rollout home holds everything a
 * sandbox run wrote (a fresh home is a fresh organization with fresh Terraform state).
 */
export interface StackPlacement {
  target: SynthTarget;
  /** Local-backend state directory when the environment sets none; undefined = the backend's default. */
  localStateDir?: string;
}

/** The environment as the stacks of `placement` see it (only the local state directory can change). */
function placed(env: Environment, placement: StackPlacement | undefined): Environment {
  const b = env.deployment.backend;
  if (!placement?.localStateDir || b.type !== 'local' || b.directory) return env;
  return { ...env, deployment: { ...env.deployment, backend: { ...b, directory: placement.localStateDir } } };
}

export interface PhaseStacks {
  guardrails: StackArtifact;
  phase: StackArtifact;
}

export function synthPhase(opts: {
  env: Environment;
  outdir: string;
  /** Release per phase after the change (this phase's entry decides its stack). */
  releases: Partial<Record<Phase, string>>;
  phase: Phase;
  /**
   * Releases the publishing stack keeps besides those the phases run: the rollback target and
   * every release published before (see StackInput.publish: once published, a release stays).
   * Releases no longer defined in the environment are left out.
   */
  keepPublished: (string | null)[];
  asOf: Date;
  /** Enforcement settings of the unit each phase holds after the change (policy/locks.ts EnforcementByPhase). */
  enforcement?: EnforcementByPhase;
  /** @default AWS, the backend's own state location */
  placement?: StackPlacement;
}): PhaseStacks {
  const { outdir, releases, phase, asOf, enforcement } = opts;
  const env = placed(opts.env, opts.placement);
  const target = opts.placement?.target;
  mkdirSync(outdir, { recursive: true });
  const known = new Set(env.releases.map((r) => r.name));
  const publish = [...new Set(opts.keepPublished)].filter((r): r is string => r !== null && known.has(r));
  const guardrails = synthStack({ env, releases, publish, asOf, outdir, target }, 'guardrails');
  const phaseStack = synthStack({ env, releases, asOf, outdir, enforcement, target }, phase);
  return { guardrails, phase: phaseStack };
}

/** Versions of `release` per region from a stack's outputs (guardrails: management account; pilot: pilot account). */
export function versionsFromOutputs(
  env: Environment,
  outputs: Record<string, unknown>,
  release: string,
  account: string,
): Record<string, PublishedRecord> {
  const out: Record<string, PublishedRecord> = {};
  for (const region of env.regions) {
    const arn = outputs[releaseOutputKey(release, region, 'arn')];
    const id = outputs[releaseOutputKey(release, region, 'id')];
    const version = outputs[releaseOutputKey(release, region, 'version')];
    if (typeof arn === 'string' && version !== undefined && version !== null) {
      out[region] = {
        account,
        guardrailArn: arn,
        guardrailId: typeof id === 'string' ? id : arn.split('/').pop()!,
        version: String(version),
      };
    }
  }
  return out;
}

/** One phase stack alone (a wider phase re-applied to open or close a lock), as its own unit sees it. */
export function synthOne(opts: {
  env: Environment;
  outdir: string;
  releases: Partial<Record<Phase, string>>;
  phase: Phase;
  asOf: Date;
  enforcement: EnforcementByPhase;
  /** @default AWS, the backend's own state location */
  placement?: StackPlacement;
}): StackArtifact {
  mkdirSync(opts.outdir, { recursive: true });
  const { releases, asOf, outdir, enforcement } = opts;
  return synthStack(
    { env: placed(opts.env, opts.placement), releases, asOf, outdir, enforcement, target: opts.placement?.target },
    opts.phase,
  );
}
