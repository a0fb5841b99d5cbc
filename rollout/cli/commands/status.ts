import type { Command } from 'commander';
import { action, emit } from '../support.js';
import type { Io } from '../../ui/io.js';
import { renderStatusText, statusView } from '../views/status.js';
import { addOptions } from './options.js';
import { withSession } from './run.js';

export function register(program: Command, io: Io): void {
  const cmd = program
    .command('status')
    .description('per phase: release, guardrail versions per account/region, applied at, gate results, bake time left');
  addOptions(cmd, ['env', 'sandbox']);
  cmd.action(
    action(io, async (_opts: unknown, c: Command) =>
      withSession(io, c, {}, async ({ session, flags }) => {
        const store = session.store;
        const view = statusView(session.env, await session.state(), new Date(), {
          lock: await store.lockHolder(),
          store: store.location,
        });
        emit(io, flags, view, () => renderStatusText(view));
        return 0;
      }),
    ),
  );
}
