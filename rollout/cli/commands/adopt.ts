import type { Command } from 'commander';
import { action, emit } from '../support.js';
import type { Io } from '../../ui/io.js';
import { adopt } from '../../flows/adopt/index.js';
import { renderRows } from '../../flows/adopt/render.js';
import { confirm } from '../../ui/prompt.js';
import { addOptions } from './options.js';
import { withSession } from './run.js';

export function register(program: Command, io: Io): void {
  const cmd = program
    .command('adopt')
    .description(
      'take over BEDROCK_POLICY policies and account-level configurations made outside rollout, so the next promotion plans updates instead of halting',
    )
    .addHelpText(
      'after',
      '\nShows every object found and the phase that would own it, then asks on a terminal (--yes, CI=true or no TTY: no question).\nChanges nothing in AWS (docs/adopt.md). Exit codes: 0 adopted / nothing to adopt, 2 bad input / declined / lock held, 3 tooling.',
    );
  addOptions(cmd, ['env', 'release', 'engine', 'yes', 'asOf', 'sandbox', 'terraform']);
  cmd.action(
    action(io, async (_opts: unknown, c: Command) =>
      withSession(io, c, { lock: 'adopt' }, async ({ session, flags, progress }) => {
        const r = await adopt(session, {
          progress,
          confirm: async (rows) => {
            progress.info(renderRows(rows));
            return confirm('Take over the objects mapped to a phase (nothing changes in AWS)?');
          },
        });
        emit(io, flags, r, () => [renderRows(r.rows), r.message].join('\n'));
        return r.exitCode;
      }),
    ),
  );
}
