/**
 * Who holds an environment lock, the same for the local lock (rollout/state/lock.ts) and the S3
 * lock (rollout/state/store/lock-s3.ts): a lock id (what `rollout unlock --force <id>` names),
 * the actor, host, pid, the command and since when; the S3 lock adds when it expires unless renewed.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { currentActor } from './ledger.js';
import { toolVersion } from './tool-version.js';

export interface LockHolder {
  /** Random id of this holding (not of the process): `rollout unlock --force <id>` must name it. */
  id?: string;
  pid: number;
  host: string;
  since: string;
  who: string;
  command: string;
  /** S3 lock: the holder renews it before then; after it, another run may take it over. */
  expires?: string;
  toolVersion?: string;
}

export function newHolder(command: string, ttlMs?: number): LockHolder {
  const now = Date.now();
  return {
    id: `lk-${randomBytes(6).toString('hex')}`,
    pid: process.pid,
    host: hostname(),
    since: new Date(now).toISOString(),
    who: currentActor(),
    command,
    ...(ttlMs !== undefined ? { expires: new Date(now + ttlMs).toISOString() } : {}),
    toolVersion: toolVersion(),
  };
}

/** `pid 4242 on ci-runner-7 (octocat, running "promote ou") since … (lock id lk-…)` */
export function describeHolder(h: LockHolder): string {
  return `pid ${h.pid} on ${h.host} (${h.who}, running "${h.command}") since ${h.since}${h.id ? ` (lock id ${h.id})` : ''}`;
}

/** The hint after a refusal: how to break a lock whose holder is gone. */
export function unlockHint(h: LockHolder | undefined): string {
  return h?.id ? `; if that run is gone, \`rollout unlock --force ${h.id}\` breaks the lock (recorded in the ledger)` : '';
}
