/**
 * One promotion at a time per environment. proper-lockfile holds `.rollout/<env>/promote.lock`
 * (an mkdir lock whose mtime the holder refreshes); `holder.json` beside it names the holder so
 * the refusal can say who. A lock left by a process that died on this host is taken over at
 * once (its pid is gone); one from another host becomes stale after `staleMs` without refresh.
 */
import { mkdir, readFile, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { hostname } from 'node:os';
import lockfile from 'proper-lockfile';
import { UsageError } from '../../core/errors.js';
import { currentActor } from './ledger.js';

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
  who: string;
  command: string;
}

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

async function readHolder(dir: string): Promise<LockHolder | undefined> {
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
      const who = holder
        ? `pid ${holder.pid} on ${holder.host} (${holder.who}, running "${holder.command}") since ${holder.since}`
        : 'another process (holder unknown)';
      throw new UsageError(
        `environment is locked by ${who}; wait for it to finish. If that process is gone, remove ${lockPath} (it also expires ${Math.round(staleMs / 1000)} s after its holder stops refreshing it)`,
      );
    }
  }
  const holder: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), who: currentActor(), command };
  await writeFile(holderFile(dir), `${JSON.stringify(holder)}\n`);
  let released = false;
  return {
    holder,
    async release() {
      if (released) return;
      released = true;
      await rm(holderFile(dir), { force: true });
      await releaseFn().catch(() => undefined);
    },
  };
}
