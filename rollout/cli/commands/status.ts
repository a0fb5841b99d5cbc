import type { Command } from 'commander';
import { loadEnvironment } from '../../../model/index.js';
import { action, emit, warnEnvironment } from '../support.js';
import type { Io } from '../../ui/io.js';
import { envPaths } from '../../state/paths.js';
import { openStore } from '../../flows/state-store.js';
import { renderStatusText, statusView } from '../views/status.js';
import { addOptions, flagsOf } from './options.js';

export function register(program: Command, io: Io): void {
  const cmd = program
    .command('status')
    .description('per phase: release, guardrail versions per account/region, applied at, gate results, bake time left');
  addOptions(cmd, ['env', 'sandbox']);
  cmd.action(
    action(io, async (_opts: unknown, c: Command) => {
      const flags = flagsOf(c);
      // Read-only and never uses a release definition: they are checked but not imported (code, the
      // slowest part of loading an environment), and no session (target, lock) is opened.
      const env = await loadEnvironment(flags.env, { definitions: 'skip' });
      warnEnvironment(io, env);
      const store = await openStore(env, flags, envPaths(env.name));
      try {
        const view = statusView(env, await store.loadState(), new Date(), {
          lock: await store.lockHolder(),
          store: store.location,
        });
        emit(io, flags, view, () => renderStatusText(view));
        return 0;
      } finally {
        store.close();
      }
    }),
  );
}
