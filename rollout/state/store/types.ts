/**
 * The one interface the flows keep their durable records through (docs/rollout.md#state-store):
 * the state (read; read-modify-write), the environment lock, the ledger and the kept stacks.
 * `local` (rollout/state/store/local.ts) keeps today's files under `.rollout/<env>/`; `s3`
 * (rollout/state/store/s3.ts) keeps them in a bucket every CI runner shares.
 */
import type { LedgerLog } from '../ledger.js';
import type { LockHolder } from '../lock-holder.js';
import type { RolloutState } from '../store.js';

export interface HeldLock {
  holder: LockHolder;
  /** Set when the lock was taken over or broken while held (S3: a renewal was refused). */
  lost?: string;
  release(): Promise<void>;
}

export interface RolloutStore {
  readonly kind: 'local' | 's3';
  /** Where it keeps things, for messages: a directory, or s3://bucket/prefix/env/ */
  readonly location: string;
  loadState(): Promise<RolloutState>;
  /**
   * Reads, changes and writes the state in one step. `change` may run more than once (the S3
   * store re-reads and re-applies it when another writer got there first), so it must derive
   * everything from the state it is given and values fixed before the call.
   */
  updateState(change: (s: RolloutState) => void): Promise<RolloutState>;
  /** Takes the environment lock for `command` (e.g. "promote ou") or throws UsageError (exit 2) naming the holder. */
  acquireLock(command: string): Promise<HeldLock>;
  /** The current holder, if the environment is locked. */
  lockHolder(): Promise<LockHolder | undefined>;
  /** Breaks the lock if `id` is its lock id (UsageError otherwise, naming the holder); returns the broken holder. */
  breakLock(id: string): Promise<LockHolder>;
  /** The ledger; entries record `asOf` when given. */
  ledger(asOf?: string): LedgerLog;
  /** Keeps an applied phase stack by content hash; returns the hash. */
  keepStack(json: Record<string, unknown>): Promise<string>;
  /** The stack kept under `hash`, checked against it (ToolingError when missing or damaged). */
  keptStack(hash: string): Promise<Record<string, unknown>>;
  /** Releases clients (the lock is released through its HeldLock). */
  close(): void;
}
