/**
 * Which engine and which target (sandbox or AWS) a verb uses, from the environment and the flags.
 * Apart from target.ts, which opens the target with the AWS SDK and the engines: choosing the
 * state store (state-store.ts) needs only this, so `rollout status` loads neither.
 */
import type { Environment } from '../../model/types.js';
import { isSandboxEnvironment } from '../../model/sandbox-environment.js';
import type { CommonFlags, EngineName } from './flags.js';

export { isSandboxEnvironment };

/** What these read: never the release definitions, so an environment loaded without them will do. */
type Env = Pick<Environment, 'name' | 'sandbox'>;

/** The sandbox environment (and any environment with sandbox knobs) defaults to the sandbox engine. */
export function engineFor(env: Env, flags: Pick<CommonFlags, 'engine'>): EngineName {
  return flags.engine ?? (isSandboxEnvironment(env) ? 'sandbox' : 'terraform');
}

/** Where a verb goes: a sandbox environment, the sandbox engine or a --sandbox-endpoint reach the emulator, whichever engine applies. */
export function targetKindFor(env: Env, flags: Pick<CommonFlags, 'engine' | 'sandboxEndpoint'>): 'sandbox' | 'aws' {
  return flags.engine === 'sandbox' || flags.sandboxEndpoint || isSandboxEnvironment(env) ? 'sandbox' : 'aws';
}
