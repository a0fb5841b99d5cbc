import type { Command } from 'commander';
import { UsageError } from '../../../core/errors.js';
import { action, emit } from '../support.js';
import type { Io } from '../../ui/io.js';
import { forceUnlock } from '../../flows/unlock.js';
import { addOptions } from './options.js';
import { withSession } from './run.js';

export function register(program: Command, io: Io): void {
  const cmd = program
    .command('unlock')
    .description('break the environment lock of a run that is gone; only with --force and the lock id it holds (recorded in the ledger)')
    .requiredOption('--force <lock-id>', 'the lock id to break (shown by the "locked by" refusal and by `rollout status`)');
  addOptions(cmd, ['env', 'sandbox']);
  cmd.action(
    action(io, async (opts: { force: string }, c: Command) => {
      if (!/^lk-[0-9a-f]{6,64}$/.test(opts.force))
        throw new UsageError(`--force: expected a lock id such as lk-3f9a1c2e4b5d, got ${JSON.stringify(opts.force)}`);
      return withSession(io, c, {}, async ({ session, flags }) => {
        const r = await forceUnlock(session, opts.force);
        emit(io, flags, r, () => r.message);
        return 0;
      });
    }),
  );
}
