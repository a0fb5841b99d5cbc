import { join } from 'node:path';
import type { Command } from 'commander';
import { action, emit } from '../support.js';
import type { Io } from '../../ui/io.js';
import { decidePromotion } from '../../state/promotion.js';
import { candidateUnit } from '../../flows/unit.js';
import { planPhaseChange } from '../../flows/promote.js';
import { renderPlanMarkdown } from '../../report/report.js';
import { codeReleases } from '../../report/markdown.js';
import { rendersForTerminal } from '../../ui/plan-view.js';
import { renderPlanTerminal } from '../../ui/terminal-report.js';
import { paint, terminalStyleFor } from '../../ui/terminal.js';
import { newAttemptId } from '../../state/store.js';
import { buildPlanFile, planFileStacks } from '../../flows/plan-file.js';
import { writePlanOut } from '../../flows/plan-out.js';
import { addOptions, parsePhase } from './options.js';
import { withSession } from './run.js';

export function register(program: Command, io: Io): void {
  const cmd = program
    .command('plan <phase>')
    .description('the reviewer report for promoting a release to a phase (markdown for a PR comment, or --json); applies nothing');
  addOptions(cmd, ['env', 'release', 'engine', 'asOf', 'sandbox', 'terraform', 'out', 'markdown']);
  cmd.action(
    action(io, async (phaseArg: string, _opts: unknown, c: Command) => {
      const phase = parsePhase(phaseArg);
      return withSession(io, c, {}, async ({ session, flags, progress }) => {
        const state = await session.state();
        const unit = candidateUnit(session.env, session.release, phase, flags.asOf);
        const t = await progress.step(`connect to ${session.env.name}`, () => session.target());
        // A separate synth directory: a plan never disturbs a promotion's stacks or saved plans.
        const { report, plans, relocks } = await planPhaseChange(
          session,
          t,
          state,
          phase,
          unit,
          join(session.paths.dir, 'plan', 'cdktf.out'),
          progress,
        );
        const d = decidePromotion(state, phase, unit, new Date());
        const promotion =
          d.kind === 'refused'
            ? { allowed: false, reason: d.reason }
            : d.kind === 'no-op'
              ? // "Already in place" holds only when the (refreshed) plans change nothing.
                {
                  allowed: true,
                  reason: report.noChanges
                    ? d.reason
                    : `${unit.label} is in place on ${phase}, but what is deployed differs from its stacks: promote re-applies it`,
                }
              : report.weakening.length
                ? {
                    allowed: false,
                    reason: `the unit weakens ${report.weakening.length} item(s) ${phase} enforces now: promote needs --accept-weakening "<reason>"`,
                  }
                : { allowed: true, reason: d.kind === 'proceed' && d.resume ? 'resumes an interrupted attempt' : 'phase order satisfied' };
        const attemptId = `plan-${newAttemptId()}`;
        for (const p of plans) {
          await session.ledger.append({
            env: session.env.name,
            kind: 'plan',
            attemptId,
            phase,
            release: session.release,
            unit: unit.hash,
            stack: p.stack,
            planHash: p.planHash,
            changes: p.changes.filter((x) => x.action !== 'no-op').length,
          });
        }
        let markdown = renderPlanMarkdown(report);
        if (!promotion.allowed) markdown += `\n> :no_entry: promotion would be refused now: ${codeReleases(promotion.reason)}\n`;
        // The plan file is what `promote --plan` holds the promotion to (rollout/flows/plan-binding.ts).
        const written = flags.out
          ? await writePlanOut(
              flags.out,
              phase,
              markdown,
              buildPlanFile({
                env: session.env.name,
                phase,
                unit,
                asOf: flags.asOf,
                engine: t.engineName,
                target: t.kind,
                stacks: planFileStacks(plans, relocks),
                report,
              }),
            )
          : null;
        if (written)
          progress.info(
            `wrote ${written.markdown} and ${written.plan} (rollout promote ${phase} --plan ${written.plan} applies exactly this plan)`,
          );
        // --out files always get the markdown; a terminal gets the report rendered for it.
        const text = () => {
          if (!rendersForTerminal(process.stdout, flags)) return markdown;
          const style = terminalStyleFor(process.stdout);
          const refused = promotion.allowed ? '' : `\n\n${paint(style, 'red', `✖ promotion would be refused now: ${promotion.reason}`)}`;
          return renderPlanTerminal(report, style) + refused;
        };
        emit(io, flags, { ...report, promotion, markdownFile: written?.markdown ?? null, planFile: written?.plan ?? null }, text);
        return 0;
      });
    }),
  );
}
