import type { Command } from 'commander';
import { action } from '../support.js';
import type { Io } from '../../ui/io.js';
import { rollBack } from '../../flows/rollback.js';
import { addOptions, parsePhase } from './options.js';
import { emitResult, withSession } from './run.js';
import { confirm } from '../../ui/prompt.js';
import { renderRollbackPlan } from '../../ui/rollback-view.js';

export function register(program: Command, io: Io): void {
  const cmd = program
    .command('rollback <phase>')
    .description(
      'return a phase to the unit it held before its latest promotion (or remove it), or with --to to any unit of its history; then re-verify',
    )
    .addHelpText(
      'after',
      "\nShows the planned changes and asks before applying on a terminal (--yes, CI=true or no TTY: no question).\n--to re-applies that unit's kept stack byte for byte; a target not in the history, or matching several units, exits 2 listing them.\nExit codes: 0 rolled back / nothing to do, 1 re-verification failed, 2 bad input / declined / lock held / unknown or ambiguous --to, 3 tooling.",
    );
  addOptions(cmd, ['env', 'engine', 'yes', 'asOf', 'sandbox', 'terraform', 'to']);
  cmd.action(
    action(io, async (phaseArg: string, _opts: unknown, c: Command) => {
      const phase = parsePhase(phaseArg);
      return withSession(io, c, { lock: `rollback ${phase}` }, async ({ session, flags, progress }) =>
        emitResult(
          io,
          flags,
          await rollBack(session, phase, {
            progress,
            // Shown with the progress on stderr, then asked there, as promote does.
            confirmPlans: async (plans, to) => {
              if (!flags.json) progress.info(renderRollbackPlan(phase, to, plans, flags, process.stderr));
              return flags.yes || confirm(`Roll ${phase} back to ${to}?`);
            },
          }),
        ),
      );
    }),
  );
}
