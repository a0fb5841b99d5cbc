/**
 * The S3 store: state, lock, ledger and kept stacks in a bucket every runner shares
 * (docs/rollout.md#state-store):
 *
 *   <prefix>/<env>/state.json                  state (conditional read-modify-write: state-s3.ts)
 *   <prefix>/<env>/lock.json                   the lock (lock-s3.ts)
 *   <prefix>/<env>/ledger/<seq 10 digits>.json one object per ledger entry (ledger-s3.ts)
 *   <prefix>/<env>/stacks/<sha256>.json        applied phase stacks, content-addressed (kept for rollback)
 *
 * Once the lock this store handed out was lost (taken over or broken while held), state writes
 * are refused (exit 3): two runs must not both change the state.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { ToolingError } from '../../../core/errors.js';
import { stackHashOf } from '../stack-store.js';
import type { RolloutState } from '../store.js';
import { S3Ledger } from './ledger-s3.js';
import { acquireS3Lock, breakS3Lock, lockTiming, readS3Holder, type S3LockTiming } from './lock-s3.js';
import { get, put, urlOf, type S3Place } from './s3-objects.js';
import { loadS3State, updateS3State, type UpdateStats } from './state-s3.js';
import type { HeldLock, RolloutStore } from './types.js';

export interface S3StoreOptions {
  client: S3Client;
  bucket: string;
  prefix: string;
  env: string;
  timing?: S3LockTiming;
}

export class S3Store implements RolloutStore {
  readonly kind = 's3' as const;
  readonly location: string;
  readonly stats: UpdateStats = { conflicts: 0 };
  private readonly p: S3Place;
  private held?: HeldLock;
  private readonly timing: S3LockTiming;
  constructor(private readonly opts: S3StoreOptions) {
    this.p = { client: opts.client, bucket: opts.bucket, base: `${opts.prefix}/${opts.env}` };
    this.location = `s3://${opts.bucket}/${this.p.base}/`;
    this.timing = opts.timing ?? lockTiming();
  }

  loadState(): Promise<RolloutState> {
    return loadS3State(this.p, this.opts.env);
  }

  async updateState(change: (s: RolloutState) => void): Promise<RolloutState> {
    if (this.held?.lost) throw new ToolingError(`state store: not writing the state: ${this.held.lost}`);
    return updateS3State(this.p, this.opts.env, change, this.stats);
  }

  async acquireLock(command: string): Promise<HeldLock> {
    this.held = await acquireS3Lock(this.p, command, this.timing);
    return this.held;
  }

  lockHolder() {
    return readS3Holder(this.p);
  }

  breakLock(id: string) {
    return breakS3Lock(this.p, id);
  }

  ledger(asOf?: string): S3Ledger {
    return new S3Ledger(this.p, this.opts.env, asOf);
  }

  /** Content-addressed, so create-only: a 412 means the same content is already kept. */
  async keepStack(json: Record<string, unknown>): Promise<string> {
    const hash = stackHashOf(json);
    await put(this.p, `stacks/${hash}.json`, `${JSON.stringify(json, null, 2)}\n`, { ifNoneMatch: '*' });
    return hash;
  }

  async keptStack(hash: string): Promise<Record<string, unknown>> {
    const key = `stacks/${hash}.json`;
    const got = await get(this.p, key);
    if (!got) throw new ToolingError(`the stack kept for rollback (${urlOf(this.p, key)}) does not exist`);
    let json: Record<string, unknown>;
    try {
      json = JSON.parse(got.body) as Record<string, unknown>;
    } catch (err) {
      throw new ToolingError(`the stack kept for rollback (${urlOf(this.p, key)}) cannot be read: ${(err as Error).message}`, err);
    }
    if (stackHashOf(json) !== hash) throw new ToolingError(`the stack kept as ${hash} does not match its hash: refusing to apply it`);
    return json;
  }

  close(): void {
    this.opts.client.destroy();
  }
}
