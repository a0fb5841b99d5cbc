/** Shared runner of the state-touching verbs: flags → session → progress → result → exit code. */
import type { Command } from 'commander';
import type { Io } from '../../ui/io.js';
import { emit, warnEnvironment } from '../support.js';
import { progressFor, type Progress } from '../../ui/progress.js';
import { Session, type SessionOptions } from '../../flows/session.js';
import type { RolloutResult } from '../../flows/promote.js';
import type { CommonFlags } from '../../flows/flags.js';
import { flagsOf } from './options.js';

export interface VerbContext {
  session: Session;
  flags: CommonFlags;
  progress: Progress;
  io: Io;
}

export async function withSession<T>(io: Io, cmd: Command, opts: SessionOptions, fn: (ctx: VerbContext) => Promise<T>): Promise<T> {
  const flags = flagsOf(cmd);
  const session = await Session.open(flags, opts);
  warnEnvironment(io, session.env);
  try {
    return await fn({ session, flags, progress: progressFor(io, flags.json), io });
  } finally {
    await session.close();
  }
}

export function renderResultText(r: RolloutResult): string {
  const lines = [r.message];
  if (r.rollback) {
    lines.push(`rollback of ${r.phase} to ${r.rollback.to ?? 'nothing'}: ${r.rollback.status}`);
    // Gate summaries usually start with "<gate>: <status> —" already; do not say it twice.
    for (const g of r.rollback.gates)
      lines.push(`  re-verify ${g.summary.startsWith(g.gate) ? g.summary : `${g.gate}: ${g.status} — ${g.summary}`}`);
  }
  return lines.join('\n');
}

export function emitResult(io: Io, flags: CommonFlags, r: RolloutResult): number {
  emit(io, flags, r, () => renderResultText(r));
  return r.exitCode;
}
