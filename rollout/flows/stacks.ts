/**
 * Synthesis for one phase change, and reading what the publishing stacks report back.
 * Only the `guardrails` stack and the phase's own stack are ever planned/applied by a
 * promotion: nothing past the phase changes.
 */
import { mkdirSync } from 'node:fs';
import type { Environment, Phase } from '../../model/types.js';
import { synthStack } from '../../stacks/synth.js';
import { releaseOutputKey } from '../../modules/naming.js';
import type { StackArtifact } from '../../stacks/artifact.js';
import type { PublishedRecord } from '../state/store.js';
import type { EnforcementByPhase } from '../../policy/index.js';

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
}): PhaseStacks {
  const { env, outdir, releases, phase, asOf, enforcement } = opts;
  mkdirSync(outdir, { recursive: true });
  const known = new Set(env.releases.map((r) => r.name));
  const publish = [...new Set(opts.keepPublished)].filter((r): r is string => r !== null && known.has(r));
  const guardrails = synthStack({ env, releases, publish, asOf, outdir }, 'guardrails');
  const phaseStack = synthStack({ env, releases, asOf, outdir, enforcement }, phase);
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
}): StackArtifact {
  mkdirSync(opts.outdir, { recursive: true });
  return synthStack(
    { env: opts.env, releases: opts.releases, asOf: opts.asOf, outdir: opts.outdir, enforcement: opts.enforcement },
    opts.phase,
  );
}
