/**
 * Where the orchestrator keeps its per-environment files:
 *   <ROLLOUT_HOME or ./.rollout>/<env>/state.json           durable state (atomic writes)
 *                                     /ledger.jsonl          append-only ledger
 *                                     /promote.lock          lock directory (proper-lockfile)
 *                                     /sandbox-state.json    in-process sandbox's organization
 *                                     /sandbox-engine.json   sandbox engine's resource state
 *                                     /cdktf.out/stacks/<stack>/cdk.tf.json   synthesized stacks
 *                                     /stacks/<sha256>.json  applied phase stacks, kept for rollback
 */
import { join, resolve } from 'node:path';

export function rolloutHome(): string {
  return resolve(process.env.ROLLOUT_HOME || '.rollout');
}

export interface EnvPaths {
  dir: string;
  state: string;
  ledger: string;
  lock: string;
  sandboxState: string;
  sandboxEngine: string;
  /** synth outdir: stacks land in <synthOut>/stacks/<name>/ */
  synthOut: string;
  /** applied phase stacks by hash (rollout/state/stack-store.ts) */
  keptStacks: string;
}

export function envPaths(envName: string, home = rolloutHome()): EnvPaths {
  const dir = join(home, envName);
  return {
    dir,
    state: join(dir, 'state.json'),
    ledger: join(dir, 'ledger.jsonl'),
    lock: join(dir, 'promote.lock'),
    sandboxState: join(dir, 'sandbox-state.json'),
    sandboxEngine: join(dir, 'sandbox-engine.json'),
    synthOut: join(dir, 'cdktf.out'),
    keptStacks: join(dir, 'stacks'),
  };
}
