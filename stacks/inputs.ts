/**
 * Inputs shared by every stack: which release each phase runs, resolved against the
 * environment, and the set of releases the publishing stack must keep published.
 */
import type { EnforcementDefaults, Environment, Phase, Release } from '../model/types.js';
import { PHASES } from '../model/types.js';
import { InputError } from '../core/errors.js';
import { releaseSlugs } from '../modules/naming.js';
import { heldEnforcement, type EnforcementByPhase } from '../policy/index.js';
import { SYNTH_TARGETS, type SynthTarget } from './target.js';

export interface StackInput {
  env: Environment;
  /** Release name per phase; a missing phase is synthesized empty (providers and backend only). */
  releases: Partial<Record<Phase, string>>;
  /** Exceptions are applied as of this instant (an exception applies through its expiry day, UTC). */
  asOf: Date;
  /**
   * Further releases the publishing stack keeps published although no phase runs them (rollback
   * targets, releases published earlier). A version resource that leaves the stack is only
   * forgotten (skip_destroy), and re-adding it later would snapshot whatever the DRAFT holds
   * then — so once published, a release stays in the stack.
   */
  publish?: readonly string[];
  /**
   * The enforcement settings (guarding modes, model lists) of the unit each phase holds; a phase
   * missing here holds env.enforcement. Each phase stack carries its own phase's settings, and
   * the policies of wider phases open exactly the settings a narrower phase holds differently
   * (docs/policy-engine.md "Child control"). Only phases with a release count.
   */
  enforcement?: Partial<Record<Phase, EnforcementDefaults>>;
  /**
   * Where the stacks are applied: 'sandbox' adds the emulator endpoint and skip settings to every
   * `aws` provider block and declares `variable "sandbox_endpoint"` (stacks/target.ts).
   * @default 'aws'
   */
  target?: SynthTarget;
}

export function findRelease(env: Environment, name: string, where: string): Release {
  const r = env.releases.find((x) => x.name === name);
  if (!r) {
    throw new InputError(
      env.sourceFile,
      where,
      `release "${name}" is not defined in environment "${env.name}" (defined: ${env.releases.map((x) => x.name).join(', ') || 'none'})`,
    );
  }
  return r;
}

/** Checks the input once, before any construct is built. */
export function validateInput(input: StackInput): void {
  const { env, releases, asOf } = input;
  if (!(asOf instanceof Date) || Number.isNaN(asOf.getTime())) {
    throw new InputError(undefined, 'asOf', 'expected a valid date');
  }
  for (const [phase, name] of Object.entries(releases)) {
    if (!(PHASES as readonly string[]).includes(phase)) {
      throw new InputError(undefined, `releases.${phase}`, `expected a phase (${PHASES.join(', ')})`);
    }
    if (name === undefined) continue;
    findRelease(env, name, `releases (phase ${phase})`);
  }
  for (const name of input.publish ?? []) findRelease(env, name, 'publish');
  for (const phase of Object.keys(input.enforcement ?? {})) {
    if (!(PHASES as readonly string[]).includes(phase)) {
      throw new InputError(undefined, `enforcement.${phase}`, `expected a phase (${PHASES.join(', ')})`);
    }
  }
  if (input.target !== undefined && !SYNTH_TARGETS.includes(input.target)) {
    throw new InputError(
      undefined,
      'target',
      `expected ${SYNTH_TARGETS.map((t) => `"${t}"`).join(' or ')}, got ${JSON.stringify(input.target)}`,
    );
  }
  releaseSlugs(env.releases.map((r) => r.name));
}

export function phaseRelease(input: StackInput, phase: Phase): Release | undefined {
  const name = input.releases[phase];
  return name === undefined ? undefined : findRelease(input.env, name, `releases (phase ${phase})`);
}

/** What each phase holding a release enforces (`input.enforcement[phase]`, else env.enforcement). */
export function stackEnforcement(input: StackInput): EnforcementByPhase {
  return heldEnforcement(input.env, input.releases, input.enforcement);
}

/** Releases used by any phase or kept published, in the order the environment lists them (oldest first). */
export function releasesInUse(input: StackInput): Release[] {
  const used = new Set([...Object.values(input.releases), ...(input.publish ?? [])].filter((x): x is string => x !== undefined));
  return input.env.releases.filter((r) => used.has(r.name));
}
