import type { Command } from 'commander';
import { action } from '../support.js';
import type { Io } from '../../ui/io.js';
import { promote } from '../../flows/promote.js';
import { addOptions, flagsOf, parsePhase } from './options.js';
import { refuseBackdatedPromote } from '../../flows/unit.js';
import { targetKindFor } from '../../flows/target.js';
import type { Environment } from '../../../model/types.js';
import { emitResult, withSession } from './run.js';
import { planView } from '../../ui/plan-view.js';
import { readPlanFile, refuseForeignPlan } from '../../flows/plan-file.js';

export function register(program: Command, io: Io): void {
  const cmd = program
    .command('promote <phase>')
    .description('apply the release to a phase and run its gates; halt and roll back on a failed gate')
    .addHelpText(
      'after',
      '\nExit codes: 0 promoted / no-op / baking, 1 a gate failed (phase rolled back), 2 bad input / phase order / lock held, 3 tooling.',
    );
  addOptions(cmd, [
    'env',
    'release',
    'engine',
    'yes',
    'approve',
    'asOf',
    'sandbox',
    'terraform',
    'waitBake',
    'plan',
    'acceptWeakening',
    'toOlder',
    'markdown',
  ]);
  cmd.action(
    action(io, async (phaseArg: string, _opts: unknown, c: Command) => {
      const phase = parsePhase(phaseArg);
      const planFile = flagsOf(c).plan;
      // Read and checked before the lock is taken: a bad, edited or foreign plan file changes nothing.
      const reviewed = planFile ? await readPlanFile(planFile) : undefined;
      const check = (env: Environment) => {
        const flags = flagsOf(c);
        refuseBackdatedPromote(flags.asOf, targetKindFor(env, flags));
        if (reviewed) refuseForeignPlan(reviewed, env.name, phase);
      };
      return withSession(io, c, { lock: `promote ${phase}`, check }, async ({ session, flags, progress }) =>
        // The plan goes to stderr with the progress: rendered for it when it is a terminal.
        emitResult(io, flags, await promote(session, phase, { progress, reviewed, renderPlan: (r) => planView(r, flags, process.stderr) })),
      );
    }),
  );
}
