/**
 * `rollout unlock --force <lock id>`: breaks the environment lock of a run that is gone (killed,
 * lost runner) before it expires, only when the caller names its lock id (from the refusal
 * message or `rollout status`), and records who broke whose lock in the ledger.
 */
import type { LedgerEntry } from '../state/ledger.js';
import { currentActor } from '../state/ledger.js';
import type { LockHolder } from '../state/lock-holder.js';
import { describeHolder } from '../state/lock-holder.js';
import { newAttemptId } from '../state/store.js';
import type { Session } from './session.js';

export interface UnlockResult {
  schemaVersion: 1;
  kind: 'unlock';
  env: string;
  ok: true;
  broken: LockHolder;
  ledgerSeq?: number;
  message: string;
}

export async function forceUnlock(s: Session, id: string): Promise<UnlockResult> {
  const broken = await s.store.breakLock(id);
  const message = `broke lock ${id} of ${describeHolder(broken)}`;
  const entry: LedgerEntry = await s.ledger.append({
    env: s.env.name,
    kind: 'unlock',
    attemptId: `unlock-${newAttemptId()}`,
    status: 'broken',
    summary: `${message} (by ${currentActor()})`,
    detail: { broken },
  });
  return { schemaVersion: 1, kind: 'unlock', env: s.env.name, ok: true, broken, ledgerSeq: entry.seq, message };
}
