/**
 * The reviewer report (rollout/report) for a person at a terminal: the same content as the
 * markdown for a PR comment, but headings, tables fitted to the terminal width and colour for
 * what needs attention (red: destroy; yellow: replace, forget; green: create). Rendered from the
 * PlanReport object, never by re-parsing the markdown.
 */
import type { PlanReport } from '../report/report.js';
import { countsText } from '../report/report.js';
import { destructiveResources, headlineParts, type HeadlineKind } from '../report/plan-headline.js';
import type { ChangeAction } from '../state/contracts.js';
import { fitTable, paint, type TerminalStyle, type Tone, wrap } from './terminal.js';

const MAX_ROWS = 25;
const MAX_ACCOUNTS = 12;

const KIND_TONE: Record<HeadlineKind, Tone | undefined> = {
  add: 'green',
  change: undefined,
  replace: 'yellow',
  destroy: 'red',
  forget: 'yellow',
  import: 'cyan',
};

export const ACTION_TONE: Record<ChangeAction, Tone | undefined> = {
  create: 'green',
  update: undefined,
  replace: 'yellow',
  'replace-forget': 'yellow',
  delete: 'red',
  forget: 'yellow',
  import: 'cyan',
  'no-op': 'dim',
};

export function heading(style: TerminalStyle, title: string): string[] {
  return ['', paint(style, 'bold', title), paint(style, 'dim', '─'.repeat(Math.min(title.length, style.width)))];
}

/** A paragraph wrapped to the terminal after `bullet`; continuation lines are indented under it; `tone` colours it. */
export function para(style: TerminalStyle, text: string, tone?: Tone, bullet = ''): string[] {
  const pad = ' '.repeat(bullet.length);
  return wrap(text, style.width - bullet.length, '  ').map((l, i) => paint(style, tone, (i ? pad : bullet) + l));
}

/** Coloured pieces laid out on as many lines as the width needs (each piece wraps as a whole). */
function flow(style: TerminalStyle, pieces: { text: string; tone?: Tone }[], sep: string): string[] {
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const [i, p] of pieces.entries()) {
    const s = i < pieces.length - 1 ? sep : '';
    const w = [...p.text].length + s.length;
    if (used && used + w > style.width) {
      lines.push(line.trimEnd());
      line = '';
      used = 0;
    }
    line += paint(style, p.tone, p.text) + s;
    used += w;
  }
  return [...lines, line.trimEnd()];
}

function headline(style: TerminalStyle, r: PlanReport): string[] {
  const parts = headlineParts(r.stacks);
  return flow(
    style,
    [
      ...(parts.length ? parts.map((p) => ({ text: p.text, tone: KIND_TONE[p.kind] })) : [{ text: 'no changes' }]),
      { text: `${r.effective.changedAccounts} account(s) change effective policy` },
      ...(r.approvalRequired ? [{ text: 'approval required', tone: 'yellow' as const }] : []),
    ],
    ' · ',
  );
}

function accountsText(accounts: { account: string; name: string }[]): string {
  const shown = accounts.slice(0, MAX_ACCOUNTS).map((a) => `${a.name} (${a.account})`);
  return `${shown.join(', ')}${accounts.length > MAX_ACCOUNTS ? `, …and ${accounts.length - MAX_ACCOUNTS} more (--json lists all)` : ''}`;
}

export function renderPlanTerminal(r: PlanReport, style: TerminalStyle): string {
  const out: string[] = [];
  out.push(...para(style, `Guardrail rollout plan: ${r.release} → ${r.phase} (${r.env})`, 'bold'));
  out.push(...headline(style, r));
  const destructive = destructiveResources(r.stacks);
  if (destructive.length)
    out.push(
      ...para(
        style,
        `⚠ ${destructive.length} resource(s) will be replaced or destroyed: ${destructive.map((d) => `${d.address} (${d.label})`).join(', ')}`,
        'red',
      ),
    );
  if (r.releaseDescription) out.push(...para(style, `About this release: ${r.releaseDescription}`));
  out.push(
    ...para(
      style,
      `Release on ${r.phase}: ${r.currentRelease ?? 'none'} → ${r.release}${r.releaseHash ? ` (sha256:${r.releaseHash})` : ''} · engine: ${r.engine} · exceptions as of ${r.asOf}`,
    ),
  );
  if (r.unit) {
    out.push(...para(style, `Unit: ${r.unit.label} (sha256 ${r.unit.hash.slice(0, 16)})`));
    out.push(...para(style, `Changed in this unit: ${r.unit.changes.length ? r.unit.changes.join(' · ') : 'nothing (the unit in place)'}`));
  }
  if (r.noChanges) out.push(...para(style, 'No resource changes: this release is already applied to this phase.', 'dim'));
  out.push(...semanticDiff(style, r));

  out.push(...heading(style, 'Guardrail versions'));
  out.push(
    fitTable(
      style,
      ['region', 'before', 'after'],
      r.versions.map((v) => [v.region, v.before ?? '—', v.after]),
    ),
  );

  out.push(...heading(style, 'Resources changed'));
  for (const s of r.stacks) {
    out.push(...para(style, `${s.stack} — ${countsText(s.counts)} (plan ${s.planHash.slice(0, 12)})`, 'bold'));
    if (!s.resources.length) continue;
    const shown = s.resources.slice(0, MAX_ROWS);
    out.push(
      fitTable(
        style,
        ['action', 'resource'],
        shown.map((x) => [x.label, x.address]),
        (row, col) => (col === 0 ? ACTION_TONE[shown[row].action] : undefined),
      ),
    );
    if (s.resources.length > MAX_ROWS) out.push(paint(style, 'dim', `…and ${s.resources.length - MAX_ROWS} more (--json lists all)`));
    out.push('');
  }

  out.push(...heading(style, 'Blast radius'));
  out.push(...para(style, `accounts in scope: ${r.scope.accounts}${r.scope.accounts <= 10 ? ` (${r.scope.accountIds.join(', ')})` : ''}`));
  out.push(...para(style, `OUs in scope: ${r.scope.ous}${r.scope.ous && r.scope.ous <= 10 ? ` (${r.scope.ouIds.join(', ')})` : ''}`));
  out.push(
    ...para(
      style,
      `models guarded: ${r.scope.models.included.join(', ')}; excluded: ${r.scope.models.excluded.join(', ') || 'none'} (${r.scope.models.excluded.length})`,
    ),
  );

  out.push(...heading(style, 'Effective policy before → after'));
  if (r.accountLevel) {
    const e = r.accountLevel;
    out.push(
      ...para(
        style,
        `Account-level enforced configuration in ${e.account} (one per region): ${r.currentRelease ?? 'none'} → ${r.release}; system=${e.system}, messages=${e.messages}, models ${e.included.join('+')}${e.excluded.length ? ` except ${e.excluded.join(', ')}` : ''}.`,
      ),
    );
  }
  if (!r.effective.changedAccounts)
    out.push(...para(style, `No account's effective BEDROCK_POLICY changes (${r.effective.unchangedAccounts} unchanged).`));
  else {
    out.push(...para(style, `${r.effective.changedAccounts} account(s) change, ${r.effective.unchangedAccounts} unchanged.`));
    for (const g of r.effective.groups) {
      // Model lists come comma-joined without spaces: give the wrapper places to break.
      out.push(...para(style, `${g.accounts.length} account(s): ${g.change.replace(/,(?=\S)/g, ', ')}`, 'cyan', '• '));
      out.push(...para(style, accountsText(g.accounts), 'dim', '  '));
    }
  }

  out.push(...heading(style, 'Exceptions'));
  if (r.exceptions.inForce.length)
    out.push(
      fitTable(
        style,
        ['id', 'target', 'status', 'expires', 'owner', 'approver'],
        r.exceptions.inForce.map((e) => [e.id, e.target, e.status, `${e.expires} (${e.daysLeft}d)`, e.owner, e.approver]),
        (row, col) => (col === 2 && r.exceptions.inForce[row].status === 'expiring-soon' ? 'yellow' : undefined),
      ),
    );
  else out.push('No exceptions in force.');
  if (r.exceptions.expiringSoon.length)
    out.push(...para(style, `⚠ expiring soon: ${r.exceptions.expiringSoon.map((e) => `${e.id} (${e.expires})`).join(', ')}`, 'yellow'));
  if (r.exceptions.expired.length)
    out.push(
      ...para(
        style,
        `✖ expired (no longer applied; remove or renew): ${r.exceptions.expired.map((e) => `${e.id} (${e.expires}, target ${e.target})`).join(', ')}`,
        'red',
      ),
    );

  out.push(...heading(style, 'Gates that will run'));
  out.push(
    fitTable(
      style,
      ['gate', 'what'],
      r.gates.map((g) => [g.gate, g.detail]),
    ),
  );
  return out.join('\n');
}

/** What changes for the guardrail (the semantic diff), weakening items first and in red. */
function semanticDiff(style: TerminalStyle, r: PlanReport): string[] {
  if (r.guardrailDiffBasis === null) return [];
  const out = heading(style, 'What changes for the guardrail');
  if (r.guardrailDiffBasis === 'nothing-in-force')
    return [...out, ...para(style, `Nothing is in force on ${r.phase} yet: no diff.`, 'dim')];
  if (r.guardrailDiff.length === 0) return [...out, ...para(style, 'No change to what the guardrail enforces.', 'dim')];
  const order = { weakens: 0, strengthens: 1, neutral: 2 } as const;
  const items = [...r.guardrailDiff].sort((a, b) => order[a.effect] - order[b.effect]);
  for (const i of items) {
    const tone = i.effect === 'weakens' ? 'red' : i.effect === 'strengthens' ? 'green' : 'dim';
    out.push(...para(style, `${i.effect === 'weakens' ? '⚠ weakens' : i.effect}: ${i.summary}`, tone));
  }
  if (r.weakening.length)
    out.push(...para(style, `promote needs --accept-weakening "<reason>" for the ${r.weakening.length} weakening change(s)`, 'red'));
  return out;
}
