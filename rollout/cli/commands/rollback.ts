import type { Command } from 'commander';
import { action } from '../support.js';
import type { Io } from '../../ui/io.js';
import { rollBack } from '../../flows/rollback.js';
import { addOptions, parsePhase } from './options.js';
import { emitResult, withSession } from './run.js';

export function register(program: Command, io: Io): void {
  const cmd = program
    .command('rollback <phase>')
    .description('return a phase to the release it held before its latest promotion (or remove it), then re-verify');
  addOptions(cmd, ['env', 'engine', 'yes', 'asOf', 'sandbox', 'terraform']);
  cmd.action(
    action(io, async (phaseArg: string, _opts: unknown, c: Command) => {
      const phase = parsePhase(phaseArg);
      return withSession(io, c, { lock: `rollback ${phase}` }, async ({ session, flags, progress }) =>
        emitResult(io, flags, await rollBack(session, phase, { progress })),
      );
    }),
  );
}
