/**
 * What `rollout rollback <phase>` is about to apply, shown before it asks (as promote shows its
 * plan): per stack its counts and each resource change, fitted and coloured on a terminal,
 * plain lines in a log.
 */
import { countsText } from '../report/report.js';
import { CHANGE_ACTIONS, changeLabel } from '../state/change-action.js';
import type { ChangeAction, EnginePlan } from '../state/contracts.js';
import { ACTION_TONE, heading, para } from './terminal-report.js';
import { fitTable, terminalStyleFor, type TerminalStream } from './terminal.js';
import { rendersForTerminal, type ViewFlags } from './plan-view.js';

function counts(plan: EnginePlan): Record<ChangeAction, number> {
  const c = Object.fromEntries(CHANGE_ACTIONS.map((a) => [a, 0])) as Record<ChangeAction, number>;
  for (const x of plan.changes) c[x.action]++;
  return c;
}

export function renderRollbackPlan(phase: string, to: string, plans: EnginePlan[], flags: ViewFlags, stream: TerminalStream): string {
  const title = `Rollback plan: ${phase} → ${to}`;
  const changed = (p: EnginePlan) => p.changes.filter((c) => c.action !== 'no-op');
  if (!rendersForTerminal(stream, flags)) {
    const lines = [title];
    for (const p of plans) {
      lines.push(`${p.stack} — ${countsText(counts(p))} (plan ${p.planHash.slice(0, 12)})`);
      for (const c of changed(p)) lines.push(`  ${changeLabel(c)}: ${c.address}`);
    }
    return lines.join('\n');
  }
  const style = terminalStyleFor(stream);
  const out = heading(style, title).slice(1);
  for (const p of plans) {
    out.push(...para(style, `${p.stack} — ${countsText(counts(p))} (plan ${p.planHash.slice(0, 12)})`, 'bold'));
    const rows = changed(p);
    if (rows.length)
      out.push(
        fitTable(
          style,
          ['action', 'resource'],
          rows.map((c) => [changeLabel(c), c.address]),
          (row, col) => (col === 0 ? ACTION_TONE[rows[row].action] : undefined),
        ),
      );
  }
  return out.join('\n');
}
