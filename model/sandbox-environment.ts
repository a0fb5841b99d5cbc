/**
 * Whether an environment is a sandbox one: `environments/sandbox`, or any environment with
 * `sandbox:` knobs. Such an environment is synthesized for the emulator (stacks/target.ts) and
 * its verbs go there (rollout/flows/target-kind.ts): one definition for both.
 */
import type { Environment } from './types.js';

export function isSandboxEnvironment(env: Pick<Environment, 'name' | 'sandbox'>): boolean {
  return env.name === 'sandbox' || env.sandbox !== undefined;
}
