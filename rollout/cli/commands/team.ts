/**
 * `rollout team plan|apply|remove <id>`: a team addition's own stack (docs/team-additions.md).
 * Thin: flags → session → rollout/flows/team.ts → result → exit code.
 */
import type { Command } from 'commander';
import { action, emit } from '../support.js';
import type { Io } from '../../ui/io.js';
import { teamApply, teamPlan, type TeamResult } from '../../flows/team.js';
import { confirm } from '../../ui/prompt.js';
import type { CommonFlags } from '../../flows/flags.js';
import { addOptions } from './options.js';
import { withSession } from './run.js';

function emitTeam(io: Io, flags: CommonFlags, r: TeamResult): number {
  emit(io, flags, r, () => {
    const lines = [r.message];
    if (r.rollback) for (const g of r.rollback.gates) lines.push(`  re-verify ${g.summary}`);
    return lines.join('\n');
  });
  return r.exitCode;
}

export function register(program: Command, io: Io): void {
  const team = program
    .command('team')
    .description("a team addition: an application team's account-level enforced guardrail, layered under the organization baseline");

  const plan = team
    .command('plan <id>')
    .description('what `team apply <id>` would change in the team account (an expired addition: its removal); applies nothing');
  addOptions(plan, ['env', 'engine', 'asOf', 'sandbox', 'terraform']);
  plan.action(
    action(io, async (id: string, _opts: unknown, c: Command) =>
      withSession(io, c, {}, async ({ session, flags, progress }) => emitTeam(io, flags, await teamPlan(session, id, { progress }))),
    ),
  );

  const apply = team
    .command('apply <id>')
    .description('apply a team addition, then gate it in its account: propagation, then its own and the baseline must-block cases')
    .addHelpText(
      'after',
      '\nAn expired addition is removed instead. A failed gate re-applies what was in place before (or removes the addition).\nExit codes: 0 applied / removed / no-op, 1 a gate failed (rolled back), 2 bad input / declined / lock held, 3 tooling.',
    );
  addOptions(apply, ['env', 'engine', 'yes', 'asOf', 'sandbox', 'terraform']);
  apply.action(
    action(io, async (id: string, _opts: unknown, c: Command) =>
      withSession(io, c, { lock: `team apply ${id}` }, async ({ session, flags, progress }) =>
        emitTeam(io, flags, await teamApply(session, id, { progress, confirm }, 'apply')),
      ),
    ),
  );

  const remove = team
    .command('remove <id>')
    .description('remove a team addition from its account (plan + apply a destroy); the organization baseline is untouched');
  addOptions(remove, ['env', 'engine', 'yes', 'asOf', 'sandbox', 'terraform']);
  remove.action(
    action(io, async (id: string, _opts: unknown, c: Command) =>
      withSession(io, c, { lock: `team remove ${id}` }, async ({ session, flags, progress }) =>
        emitTeam(io, flags, await teamApply(session, id, { progress, confirm }, 'remove')),
      ),
    ),
  );
}
