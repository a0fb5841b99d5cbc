/**
 * Synthesis for one phase change, and reading what the publishing stacks report back.
 * Only the `guardrails` stack and the phase's own stack are ever planned/applied by a
 * promotion: nothing past the phase changes.
 */
import { mkdirSync } from 'node:fs';
import { PHASES, type Environment, type Phase } from '../environments/types.js';
import { synthStack } from '../stacks/synth.js';
import { releaseOutputKey } from '../modules/naming.js';
import type { StackArtifact } from './types.js';
import type { PublishedRecord } from './state.js';

export interface PhaseStacks { guardrails: StackArtifact; phase: StackArtifact }

/**
 * The publishing stack takes its release set from a per-phase map (stacks/inputs.ts
 * releasesInUse). To keep a rollback target published even when no phase holds it any more,
 * the set is spread over the map's keys here; only the set matters to that stack.
 */
export function publishingMap(releases: Iterable<string>): Partial<Record<Phase, string>> {
  const unique = [...new Set(releases)];
  const map: Partial<Record<Phase, string>> = {};
  unique.slice(0, PHASES.length).forEach((r, i) => { map[PHASES[i]] = r; });
  return map;
}

export function synthPhase(opts: {
  env: Environment;
  outdir: string;
  /** Release per phase after the change (this phase's entry decides its stack). */
  releases: Partial<Record<Phase, string>>;
  phase: Phase;
  /** Extra releases the publishing stack must keep (the rollback target). */
  keepPublished: (string | null)[];
  asOf: Date;
}): PhaseStacks {
  const { env, outdir, releases, phase, asOf } = opts;
  mkdirSync(outdir, { recursive: true });
  const needed = [...Object.values(releases), ...opts.keepPublished].filter((r): r is string => Boolean(r));
  const guardrails = synthStack({ env, releases: publishingMap(needed), asOf, outdir }, 'guardrails');
  const phaseStack = synthStack({ env, releases, asOf, outdir }, phase);
  return { guardrails, phase: phaseStack };
}

/** Versions of `release` per region from a stack's outputs (guardrails: management account; pilot: pilot account). */
export function versionsFromOutputs(env: Environment, outputs: Record<string, unknown>, release: string, account: string): Record<string, PublishedRecord> {
  const out: Record<string, PublishedRecord> = {};
  for (const region of env.regions) {
    const arn = outputs[releaseOutputKey(release, region, 'arn')];
    const id = outputs[releaseOutputKey(release, region, 'id')];
    const version = outputs[releaseOutputKey(release, region, 'version')];
    if (typeof arn === 'string' && version !== undefined && version !== null) {
      out[region] = { account, guardrailArn: arn, guardrailId: typeof id === 'string' ? id : arn.split('/').pop()!, version: String(version) };
    }
  }
  return out;
}
