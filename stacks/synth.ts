/**
 * Synthesis: (environment, release and enforcement settings per phase, exceptions as of a date) → cdk.tf.json per stack.
 * Deterministic: no timestamps, no random ids, iteration in data order — the same input gives
 * byte-identical files. Layout is cdktf's: <outdir>/stacks/<name>/cdk.tf.json.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, type TerraformStack } from 'cdktf';
import { PHASES } from '../model/types.js';
import type { StackArtifact, StackName } from './artifact.js';
import { guardrailsStack } from './guardrails-stack.js';
import { type StackInput, validateInput } from './inputs.js';
import { orgPolicyStack } from './org-policy-stack.js';
import { pilotStack } from './pilot-stack.js';
import { teamStack, type TeamStackInput } from './team-stack.js';
import { teamStackName } from '../model/team-additions.js';

export type { SynthTarget } from './target.js';
export { defaultTarget } from './target.js';

/**
 * StackInput (release per phase — missing ⇒ that phase stack is empty —, publish, per-phase
 * enforcement, target 'aws' | 'sandbox', default 'aws') plus the output directory.
 */
export interface SynthInput extends StackInput {
  outdir: string;
}

export const STACK_NAMES: readonly StackName[] = ['guardrails', ...PHASES];

/**
 * Builds the requested stacks into `app`. Enforcement stacks are built before the publishing
 * stack so a release refused for enforcement (Automated Reasoning) reports that refusal.
 */
export function buildStacks(app: App, input: StackInput, names: readonly StackName[] = STACK_NAMES): Map<StackName, TerraformStack> {
  validateInput(input);
  const order = ['enterprise', 'ou', 'model-rules', 'pilot', 'guardrails'] as const;
  const built = new Map<StackName, TerraformStack>();
  for (const name of order) {
    if (!names.includes(name)) continue;
    built.set(
      name,
      name === 'guardrails' ? guardrailsStack(app, input) : name === 'pilot' ? pilotStack(app, input) : orgPolicyStack(app, input, name),
    );
  }
  return built;
}

export function synthStacks(input: SynthInput, names: readonly StackName[] = STACK_NAMES): StackArtifact[] {
  const outdir = path.resolve(input.outdir);
  const app = new App({ outdir, skipValidation: false });
  buildStacks(app, input, names);
  app.synth();
  return STACK_NAMES.filter((n) => names.includes(n)).map((name) => artifact(outdir, name));
}

export function synthStack(input: SynthInput, name: StackName): StackArtifact {
  if (!STACK_NAMES.includes(name)) throw new Error(`unknown stack "${name}" (stacks: ${STACK_NAMES.join(', ')})`);
  return synthStacks(input, [name])[0]!;
}

/** The stack of one team addition (`team-<id>`), synthesized on its own: no phase stack changes with it. */
export function synthTeamStack(input: TeamStackInput & { outdir: string }): StackArtifact {
  const outdir = path.resolve(input.outdir);
  const app = new App({ outdir, skipValidation: false });
  teamStack(app, input);
  app.synth();
  return artifact(outdir, teamStackName(input.addition.id));
}

function artifact(outdir: string, name: StackName): StackArtifact {
  const dir = path.join(outdir, 'stacks', name);
  const file = path.join(dir, 'cdk.tf.json');
  return { name, dir, file, json: JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> };
}
