import type { Command } from 'commander';
import { action } from '../support.js';
import type { Io } from '../../ui/io.js';
import { verify } from '../../flows/rollback.js';
import { addOptions, parsePhase } from './options.js';
import { emitResult, withSession } from './run.js';

export function register(program: Command, io: Io): void {
  const cmd = program
    .command('verify <phase>')
    .description('re-run the post-apply gates (smoke, effective-policy) against the release recorded for a phase');
  addOptions(cmd, ['env', 'engine', 'asOf', 'sandbox', 'terraform']);
  cmd.action(
    action(io, async (phaseArg: string, _opts: unknown, c: Command) => {
      const phase = parsePhase(phaseArg);
      return withSession(io, c, { lock: `verify ${phase}` }, async ({ session, flags, progress }) =>
        emitResult(io, flags, await verify(session, phase, { progress })),
      );
    }),
  );
}
