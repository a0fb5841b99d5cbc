/**
 * The S3 environment lock: `<prefix>/<env>/lock.json` holds the holder (lock id, actor, host,
 * pid, command, since) and `expires`.
 *
 *   acquire   PutObject If-None-Match: *            (exactly one of concurrent takers wins)
 *   renew     PutObject If-Match: <our ETag> every renewMs, pushing `expires` ttlMs ahead
 *   takeover  an expired lock: PutObject If-Match: <its ETag> (two takers: one wins, one gets 412)
 *   release   DeleteObject If-Match: <our ETag>      (never deletes a lock someone else took)
 *   break     `rollout unlock --force <id>`: DeleteObject If-Match: <its ETag> when the id matches
 *
 * A renewal that is refused (412, or 404 after a break) means the lock was taken over or broken:
 * the holding is marked lost and the S3 store refuses further state writes (rollout/state/store/s3.ts).
 * `expires` is the holder's clock; runners' clocks must agree to well within the TTL (2 minutes).
 */
import { ToolingError, UsageError } from '../../../core/errors.js';
import { describeHolder, newHolder, unlockHint, type LockHolder } from '../lock-holder.js';
import { get, put, remove, urlOf, type S3Place } from './s3-objects.js';
import type { HeldLock } from './types.js';

export const LOCK_KEY = 'lock.json';

export interface S3LockTiming {
  /** How long a holding lasts without renewal (default 120 s; ROLLOUT_LOCK_TTL_MS). */
  ttlMs: number;
  /** How often the holder renews it (default ttl / 4 = 30 s). */
  renewMs: number;
}

export function lockTiming(env: NodeJS.ProcessEnv = process.env): S3LockTiming {
  const v = Number(env.ROLLOUT_LOCK_TTL_MS);
  const ttlMs = env.ROLLOUT_LOCK_TTL_MS && Number.isFinite(v) && v >= 200 ? v : 120_000;
  return { ttlMs, renewMs: Math.max(50, Math.floor(ttlMs / 4)) };
}

interface Current {
  holder?: LockHolder;
  etag: string;
}

async function current(p: S3Place): Promise<Current | undefined> {
  const got = await get(p, LOCK_KEY);
  if (!got) return undefined;
  try {
    return { holder: JSON.parse(got.body) as LockHolder, etag: got.etag };
  } catch {
    return { etag: got.etag };
  }
}

const expired = (h: LockHolder | undefined, now = Date.now()) => !h?.expires || Date.parse(h.expires) <= now;

function refusal(p: S3Place, c: Current): UsageError {
  if (!c.holder) {
    return new UsageError(
      `environment is locked: ${urlOf(p, LOCK_KEY)} exists but does not name its holder; if no run is active, delete that object`,
    );
  }
  return new UsageError(
    `environment is locked by ${describeHolder(c.holder)}, expires ${c.holder.expires} unless renewed; wait for it to finish${unlockHint(c.holder)}`,
  );
}

export async function readS3Holder(p: S3Place): Promise<LockHolder | undefined> {
  return (await current(p))?.holder;
}

export async function acquireS3Lock(p: S3Place, command: string, timing: S3LockTiming): Promise<HeldLock> {
  const holder = newHolder(command, timing.ttlMs);
  let etag: string | undefined;
  // A few rounds: the lock may be released or taken over between our write and our read.
  for (let round = 0; round < 4 && !etag; round++) {
    const created = await put(p, LOCK_KEY, JSON.stringify(holder), { ifNoneMatch: '*' });
    if (created !== 'conflict') {
      etag = created.etag;
      break;
    }
    const c = await current(p);
    if (!c) continue; // released meanwhile: try to create it again
    if (c.holder && !expired(c.holder)) throw refusal(p, c);
    if (!c.holder) throw refusal(p, c);
    // Expired: its holder stopped renewing (killed, lost runner). Take it over, conditional on its ETag.
    const taken = await put(p, LOCK_KEY, JSON.stringify(holder), { ifMatch: c.etag });
    if (taken !== 'conflict') etag = taken.etag;
  }
  if (!etag) {
    const c = await current(p);
    if (c) throw refusal(p, c);
    throw new ToolingError(`state store: could not take the lock ${urlOf(p, LOCK_KEY)}: it kept changing hands`);
  }
  return holding(p, holder, etag, timing);
}

function holding(p: S3Place, holder: LockHolder, firstEtag: string, timing: S3LockTiming): HeldLock {
  let etag = firstEtag;
  let released = false;
  let renewing: Promise<void> | undefined;
  const held: HeldLock = {
    holder,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      await renewing;
      if (!held.lost) await remove(p, LOCK_KEY, etag);
    },
  };
  const renew = async () => {
    const next = { ...holder, expires: new Date(Date.now() + timing.ttlMs).toISOString() };
    try {
      const r = await put(p, LOCK_KEY, JSON.stringify(next), { ifMatch: etag });
      if (released) return;
      if (r === 'conflict') {
        held.lost = `the lock ${holder.id} was taken over or broken (${urlOf(p, LOCK_KEY)} changed) while this run held it`;
        clearInterval(timer);
        return;
      }
      etag = r.etag;
      holder.expires = next.expires;
    } catch {
      // A failed renewal (network) is retried on the next tick; past `expires` the lock is as good as lost.
      if (expired(holder)) held.lost = `the lock ${holder.id} expired at ${holder.expires}: it could not be renewed`;
    }
  };
  const timer = setInterval(() => {
    renewing ??= renew().finally(() => {
      renewing = undefined;
    });
  }, timing.renewMs);
  // The renewal never keeps the process alive on its own.
  timer.unref();
  return held;
}

export async function breakS3Lock(p: S3Place, id: string): Promise<LockHolder> {
  const c = await current(p);
  if (!c) throw new UsageError('environment is not locked: nothing to unlock');
  if (!c.holder) throw refusal(p, c);
  if (c.holder.id !== id) throw new UsageError(`lock id ${id} does not match: the environment is locked by ${describeHolder(c.holder)}`);
  if ((await remove(p, LOCK_KEY, c.etag)) === 'conflict') {
    throw new UsageError(`the lock ${id} changed while breaking it (renewed or taken over): run \`rollout status\` and try again`);
  }
  return c.holder;
}
