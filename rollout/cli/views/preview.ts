/** Plain-text and markdown tables for `rollout effective` / `rollout preview`. Pure. */
import { locksText, type AccountPreview, type EnforcementRow, type PreviewResult } from '../../../policy/preview.js';
import type { ChildControlPlan } from '../../../policy/locks.js';
import { paint, wrap, type TerminalStyle } from '../../ui/terminal.js';

/**
 * The text of one cell: strings as they are, nothing as empty, any other value (a list, an
 * object, a number from a hand-written snapshot) as its JSON, so an odd value never crashes a table.
 */
export function cellText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

export function renderTable(headers: string[], rows: readonly (readonly unknown[])[]): string {
  const text = rows.map((r) => headers.map((_, i) => cellText(r[i])));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...text.map(line)].join('\n');
}

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function renderMarkdownTable(headers: string[], rows: readonly (readonly unknown[])[]): string {
  return [
    `| ${headers.map(esc).join(' | ')} |`,
    `|${headers.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map((c) => esc(cellText(c))).join(' | ')} |`),
  ].join('\n');
}

const SHORT: Record<keyof NonNullable<EnforcementRow['from']>, string> = {
  identifier: 'identifier',
  system: 'system',
  messages: 'messages',
  includedModels: 'included',
  excludedModels: 'excluded',
};
const shortPolicy = (name: string) => name.replace(/^guardrail-rollout-/, '');

/** Which policy each setting comes from, grouped: `model-rules: identifier,excluded · enterprise: system,messages,included`. */
export function fromText(from: EnforcementRow['from']): string {
  if (!from) return '';
  const groups = new Map<string, string[]>();
  for (const [k, label] of Object.entries(SHORT) as [keyof typeof SHORT, string][]) {
    const src = from[k].map(shortPolicy).join('+') || '(unset)';
    groups.set(src, [...(groups.get(src) ?? []), label]);
  }
  if (groups.size === 1) return `${[...groups.keys()][0]}: all`;
  return [...groups].map(([src, keys]) => `${src}: ${keys.join(',')}`).join(' · ');
}

function enforcementRows(accounts: AccountPreview[]): string[][] {
  const rows: string[][] = [];
  for (const a of accounts) {
    if (a.enforcement.length === 0) {
      rows.push([a.account, a.name, '-', 'none', '(no enforcement)', '', '', '', '', '', '', '', '', '']);
      continue;
    }
    for (const e of a.enforcement) {
      rows.push([
        a.account,
        a.name,
        e.region,
        e.level === 'account' ? 'account-level' : 'organization',
        e.guardrailArn ?? e.identifier,
        e.version ?? (e.published ? '?' : 'unpublished'),
        e.release ?? '',
        e.system,
        e.messages,
        e.includedModels.join(','),
        e.excludedModels.join(',') || '-',
        [...e.exceptions, ...(e.level === 'organization' ? e.sources.filter((s) => !s.includes('exception-')) : ['pilot'])].join(' '),
        e.level === 'organization' ? fromText(e.from) : 'pilot (account-level)',
        e.level === 'organization' ? locksText(a.locks) : '',
      ]);
    }
  }
  return rows;
}

const HEADERS = [
  'account',
  'name',
  'region',
  'level',
  'guardrail',
  'version',
  'release',
  'system',
  'messages',
  'included',
  'excluded',
  'exceptions / source policies',
  'settings from',
  'open above (locks)',
];

const SETTINGS: [keyof ChildControlPlan & string, string][] = [
  ['identifier', 'identifier'],
  ['system', 'system'],
  ['messages', 'messages'],
  ['includedModels', 'included_models'],
  ['excludedModels', 'excluded_models'],
];
const planLine = (c: ChildControlPlan) => SETTINGS.map(([k, label]) => `${label} ${(c[k] as string[]).join(',')}`).join(' · ');
/** The baselines' plans, widest first; the enterprise plan alone when no org phase holds a release. */
const plansOf = (r: PreviewResult): [string, ChildControlPlan][] => {
  const byPhase = (['enterprise', 'ou', 'model-rules'] as const).flatMap((p) =>
    r.childControlByPhase[p] ? [[p, r.childControlByPhase[p]!] as [string, ChildControlPlan]] : [],
  );
  return byPhase.length ? byPhase : [['baseline', r.childControl]];
};

const phasesLine = (p: Record<string, string | undefined>) =>
  ['pilot', 'model-rules', 'ou', 'enterprise'].map((k) => `${k}=${p[k] ?? '(none)'}`).join('  ');

/**
 * The enforcement table for a terminal: its 14 columns cannot fit any usual width, so one block
 * per account, each region a wrapped `header value · …` line.
 */
function enforcementBlocks(style: TerminalStyle, accounts: AccountPreview[]): string[] {
  const out: string[] = [];
  let last = '';
  for (const row of enforcementRows(accounts)) {
    const [account, name, ...rest] = row;
    if (account !== last) out.push(paint(style, 'bold', `${account} ${name}`));
    last = account;
    const fields = HEADERS.slice(2)
      .map((h, i) => [h, rest[i]] as const)
      .filter(([, v]) => v !== '' && v !== undefined)
      .map(([h, v]) => `${h}: ${v}`);
    out.push(...wrap(fields.join(' · '), style.width - 2, '    ').map((l) => `  ${l}`));
  }
  return out;
}

export function renderPreviewText(r: PreviewResult, style?: TerminalStyle): string {
  const out: string[] = [];
  out.push(`Preview of ${r.env}: phase ${r.phase} with release ${r.release} (exceptions as of ${r.asOf.slice(0, 10)})`);
  out.push(`  after:  ${phasesLine(r.phaseReleases.after)}`);
  out.push(`  before: ${phasesLine(r.phaseReleases.before)}`);
  out.push('', 'Child control of the baseline policy (what policies lower in the tree may change):');
  for (const [name, plan] of plansOf(r)) {
    out.push(`  ${name}: ${planLine(plan)}`);
    for (const reason of plan.reasons) out.push(`    - ${reason}`);
  }
  if (r.exceptions.length) {
    out.push('', 'Exceptions:');
    for (const e of r.exceptions)
      out.push(
        `  ${e.id} → ${e.target} expires ${e.expires}: ${e.active ? 'ACTIVE' : 'expired (not applied)'} ${JSON.stringify(e.changes)}`,
      );
  }
  out.push('', ...(style ? enforcementBlocks(style, r.accounts) : [renderTable(HEADERS, enforcementRows(r.accounts))]));
  if (r.diff) {
    out.push('', `Changes against the recorded state: ${r.diff.changedAccounts} of ${r.diff.totalAccounts} accounts change`);
    for (const c of r.diff.changes) {
      out.push(`  ${c.account} (${c.name})`);
      for (const ch of c.changes) out.push(`    ${ch.key}: ${ch.before}\n      → ${ch.after}`);
    }
    if (r.diff.locks.length) {
      out.push(`Locks that open or close above ${r.diff.locks.length} account(s) (no value changes by it):`);
      for (const l of r.diff.locks) out.push(`  ${l.account} (${l.name}): ${l.before} → ${l.after}`);
    }
  }
  if (r.warnings.length) {
    out.push('', 'Warnings:');
    for (const w of r.warnings) out.push(`  ! ${w}`);
  }
  // On a terminal every line is wrapped to its width (continuations indented).
  if (style)
    return out
      .flatMap((l) => l.split('\n'))
      .flatMap((l) => (l.startsWith('\u001b') || [...l].length <= style.width ? [l] : wrapKeepingIndent(l, style.width)))
      .join('\n');
  return out.join('\n');
}

function wrapKeepingIndent(line: string, width: number): string[] {
  const indent = /^\s*/.exec(line)![0];
  return wrap(line.trim(), width - indent.length, '  ').map((l) => indent + l);
}

export function renderPreviewMarkdown(r: PreviewResult): string {
  const out: string[] = [];
  out.push(`## Effective enforcement preview — ${r.env}, phase \`${r.phase}\`, release \`${r.release}\``, '');
  out.push(`Exceptions evaluated as of ${r.asOf.slice(0, 10)}.`, '');
  out.push(
    renderMarkdownTable(
      ['', 'pilot', 'model-rules', 'ou', 'enterprise'],
      [
        ['before', ...['pilot', 'model-rules', 'ou', 'enterprise'].map((p) => r.phaseReleases.before[p as 'pilot'] ?? '—')],
        ['after', ...['pilot', 'model-rules', 'ou', 'enterprise'].map((p) => r.phaseReleases.after[p as 'pilot'] ?? '—')],
      ],
    ),
    '',
  );
  out.push('### Child control of the baseline', '');
  const plans = plansOf(r);
  out.push(
    renderMarkdownTable(
      ['setting', ...plans.map(([name]) => `operators allowed below (${name})`)],
      SETTINGS.map(([k, label]) => [label, ...plans.map(([, plan]) => (plan[k] as string[]).join(', '))]),
    ),
    '',
  );
  for (const [name, plan] of plans) for (const reason of plan.reasons) out.push(`- ${name}: ${reason}`);
  if (r.exceptions.length) {
    out.push('', '### Exceptions', '');
    out.push(
      renderMarkdownTable(
        ['id', 'target', 'expires', 'status', 'changes'],
        r.exceptions.map((e) => [e.id, e.target, e.expires, e.active ? 'active' : 'expired', JSON.stringify(e.changes)]),
      ),
    );
  }
  out.push('', '### Enforcement per account and region', '', renderMarkdownTable(HEADERS, enforcementRows(r.accounts)));
  if (r.diff) {
    out.push('', `### Changes: ${r.diff.changedAccounts} of ${r.diff.totalAccounts} accounts`, '');
    if (r.diff.changes.length) {
      out.push(
        renderMarkdownTable(
          ['account', 'region/level', 'before', 'after'],
          r.diff.changes.flatMap((c) => c.changes.map((ch) => [`${c.account} (${c.name})`, ch.key, ch.before, ch.after])),
        ),
      );
    }
    if (r.diff.locks.length) {
      out.push('', `Locks that open or close above ${r.diff.locks.length} account(s) (no value changes by it):`, '');
      out.push(
        renderMarkdownTable(
          ['account', 'open above, before', 'after'],
          r.diff.locks.map((l) => [`${l.account} (${l.name})`, l.before, l.after]),
        ),
      );
    }
  }
  if (r.warnings.length) {
    out.push('', '### Warnings', '');
    for (const w of r.warnings) out.push(`- ${w}`);
  }
  return out.join('\n');
}
