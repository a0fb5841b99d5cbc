/**
 * One promotion at a time per environment. proper-lockfile holds `.rollout/<env>/promote.lock`
 * (an mkdir lock whose mtime the holder refreshes); `holder.json` beside it names the holder so
 * the refusal can say who. A lock left by a process that died on this host is taken over at
 * once (its pid is gone); one from another host becomes stale after `staleMs` without refresh.
 * `breakLock` (`rollout unlock --force <id>`) removes it when the caller names its lock id.
 */
import { mkdir, readFile, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { hostname } from 'node:os';
import lockfile from 'proper-lockfile';
import { UsageError } from '../../core/errors.js';
import { describeHolder, newHolder, unlockHint, type LockHolder } from './lock-holder.js';

export type { LockHolder } from './lock-holder.js';

export interface HeldLock {
  holder: LockHolder;
  release(): Promise<void>;
}

function holderFile(dir: string): string {
  return join(dir, 'promote.lock.holder.json');
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The holder of the local lock, when it is held (the holder file of a released lock is gone). */
export async function readHolder(dir: string): Promise<LockHolder | undefined> {
  try {
    return JSON.parse(await readFile(holderFile(dir), 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

/**
 * Takes the environment lock or throws UsageError (exit 2) naming the holder.
 * `dir` is the environment directory; `command` is recorded for the message.
 */
export async function acquireLock(dir: string, command: string, staleMs = 30_000): Promise<HeldLock> {
  await mkdir(dir, { recursive: true });
  const lockPath = join(dir, 'promote.lock');
  const opts = { lockfilePath: lockPath, stale: staleMs, realpath: false, onCompromised: () => undefined };
  let releaseFn: () => Promise<void>;
  try {
    releaseFn = await lockfile.lock(dir, opts);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
    const holder = await readHolder(dir);
    if (holder && holder.host === hostname() && holder.pid !== process.pid && !pidAlive(holder.pid)) {
      // The holder crashed (killed) on this machine: its lock protects nothing any more.
      await rm(lockPath, { recursive: true, force: true });
      releaseFn = await lockfile.lock(dir, opts);
    } else {
      const who = holder ? describeHolder(holder) : 'another process (holder unknown)';
      throw new UsageError(
        `environment is locked by ${who}; wait for it to finish${unlockHint(holder)}. If that process is gone, remove ${lockPath} (it also expires ${Math.round(staleMs / 1000)} s after its holder stops refreshing it)`,
      );
    }
  }
  const holder = newHolder(command);
  await writeFile(holderFile(dir), `${JSON.stringify(holder)}\n`);
  let released = false;
  return {
    holder,
    async release() {
      if (released) return;
      released = true;
      // Broken by `rollout unlock --force` (and maybe taken since): leave the new holder's lock alone.
      if ((await readHolder(dir))?.id !== holder.id) return;
      await rm(holderFile(dir), { force: true });
      await releaseFn().catch(() => undefined);
    },
  };
}

/**
 * Breaks the lock when `id` is its lock id (UsageError otherwise, naming the holder, or saying it
 * is not locked). Returns the holder that was broken. A live holder's proper-lockfile refresh then
 * finds its lock gone (onCompromised is ignored), so break only a lock whose run is gone.
 */
export async function breakLock(dir: string, id: string): Promise<LockHolder> {
  const lockPath = join(dir, 'promote.lock');
  const holder = await readHolder(dir);
  if (!holder) {
    // A lock without a holder file was taken by a version without lock ids: its path is in the refusal.
    throw new UsageError(
      `environment is not locked by a run with a lock id: nothing to unlock (a lock left by an older version: remove ${lockPath})`,
    );
  }
  if (holder.id !== id) throw new UsageError(`lock id ${id} does not match: the environment is locked by ${describeHolder(holder)}`);
  await rm(holderFile(dir), { force: true });
  await rm(lockPath, { recursive: true, force: true });
  return holder;
}
