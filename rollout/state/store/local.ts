/**
 * The local store: today's files under `.rollout/<env>/` (rollout/state/paths.ts) — state.json
 * written atomically, ledger.jsonl, the proper-lockfile lock and stacks/<sha256>.json. Right for
 * one machine; a pipeline whose phases run on different runners needs the S3 store.
 */
import { Ledger } from '../ledger.js';
import { acquireLock, breakLock, readHolder } from '../lock.js';
import type { EnvPaths } from '../paths.js';
import { keepStack, keptStack } from '../stack-store.js';
import { loadState, updateState, type RolloutState } from '../store.js';
import type { HeldLock, RolloutStore } from './types.js';

export class LocalStore implements RolloutStore {
  readonly kind = 'local' as const;
  readonly location: string;
  constructor(
    private readonly paths: EnvPaths,
    private readonly env: string,
  ) {
    this.location = paths.dir;
  }

  loadState(): Promise<RolloutState> {
    return loadState(this.paths.state, this.env);
  }

  updateState(change: (s: RolloutState) => void): Promise<RolloutState> {
    return updateState(this.paths.state, this.env, change);
  }

  acquireLock(command: string): Promise<HeldLock> {
    return acquireLock(this.paths.dir, command);
  }

  lockHolder() {
    return readHolder(this.paths.dir);
  }

  breakLock(id: string) {
    return breakLock(this.paths.dir, id);
  }

  ledger(asOf?: string): Ledger {
    return new Ledger(this.paths.ledger, this.env, asOf);
  }

  keepStack(json: Record<string, unknown>): Promise<string> {
    return keepStack(this.paths.keptStacks, json);
  }

  keptStack(hash: string): Promise<Record<string, unknown>> {
    return keptStack(this.paths.keptStacks, hash);
  }

  close(): void {}
}
