/**
 * The reviewer report of `rollout plan <phase>` (and the first step of `promote`): what the
 * change does, as JSON (stable schema, `schemaVersion`) and as markdown fit for a PR comment.
 * Pure: every input is passed in; no I/O.
 */
import type { EnforcementException, Environment, Phase } from '../../model/types.js';
import { ousUnder } from '../../model/org.js';
import { probeRoleFor } from '../../model/probe-roles.js';
import { accountsForPhase } from '../gates/scope.js';
import { DEFAULT_PROPAGATION_TIMEOUT_SECONDS } from '../gates/propagation/timeout.js';
import { activeExceptions, exceptionStatus, isExpiringSoon, daysLeft, EXPIRY_WARNING_DAYS } from '../../model/exceptions.js';
import { releaseShortHash } from '../../core/naming.js';
import type { ChangeAction, EnginePlan } from '../state/contracts.js';
import { CHANGE_ACTIONS, changeLabel } from '../state/change-action.js';
import type { StackName } from '../../stacks/artifact.js';
import type { RolloutState } from '../state/store.js';
import type { EffectiveDiff } from './effective-diff.js';
import { renderSemanticDiff, type DiffBasis, type SemanticDiff } from './semantic-diff.js';
import type { DiffItem } from '../../guardrail/diff.js';
import { groupEffectiveChanges, type EffectiveGroup } from './effective-groups.js';
import { destructiveResources, headlineParts } from './plan-headline.js';
import { codeReleases, collapsible, planMarker } from './markdown.js';

export const REPORT_SCHEMA_VERSION = 1;
export { EXPIRY_WARNING_DAYS };
const MAX_LISTED = 25;

export interface ReportInput {
  env: Environment;
  phase: Phase;
  release: string;
  /** Release in place on the phase now (null: none). */
  currentRelease: string | null;
  asOf: Date;
  engine: string;
  state: RolloutState;
  plans: EnginePlan[];
  effective: EffectiveDiff;
  /** The promoted unit (model/unit.ts) and what changed in it against the one in place on the phase. */
  unit?: UnitView;
  /**
   * What changes for the guardrail against the unit in force on the phase (./semantic-diff.ts).
   * @default - not computed: the report's guardrailDiff and weakening are empty, its basis null
   */
  semantic?: SemanticDiff;
}

export interface UnitView {
  label: string;
  hash: string;
  /** One line per difference (release, guarding modes, model lists, exceptions); empty: same unit. */
  changes: string[];
}

export interface StackSummary {
  stack: StackName;
  planHash: string;
  counts: Record<ChangeAction, number>;
  /** `label`: the action as shown, e.g. "forget (kept in AWS)" (rollout/state/change-action.ts). */
  resources: { address: string; type: string; action: ChangeAction; label: string; importId?: string }[];
}

export interface ExceptionView {
  id: string;
  target: string;
  owner: string;
  approver: string;
  expires: string;
  reason: string;
  status: 'active' | 'expired' | 'expiring-soon';
  daysLeft: number;
  ticket?: string;
}

export interface PlannedGate {
  gate: string;
  detail: string;
}

export interface PlanReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  kind: 'plan-report';
  env: string;
  phase: Phase;
  release: string;
  /** First 16 hex of the release's content hash (as in its guardrail version description); null if the environment no longer defines it. */
  releaseHash: string | null;
  /** What the release is for: its entry's `description` in the environment file, else its guardrail definition's (null: neither). */
  releaseDescription: string | null;
  /** The promoted unit and what changed in it (null: not computed, e.g. reports built by old callers). */
  unit: UnitView | null;
  currentRelease: string | null;
  currentReleaseHash: string | null;
  asOf: string;
  engine: string;
  noChanges: boolean;
  versions: { region: string; before: string | null; after: string }[];
  stacks: StackSummary[];
  scope: { accounts: number; ous: number; accountIds: string[]; ouIds: string[]; models: { included: string[]; excluded: string[] } };
  effective: {
    changedAccounts: number;
    unchangedAccounts: number;
    changes: EffectiveDiff['changed'];
    truncated: boolean;
    /** Every changed account, grouped by identical before → after (never truncated). */
    groups: EffectiveGroup[];
  };
  exceptions: { inForce: ExceptionView[]; expiringSoon: ExceptionView[]; expired: ExceptionView[] };
  gates: PlannedGate[];
  approvalRequired: boolean;
  /** Semantic diff from the unit in force on the phase (guardrail spec, enforcement settings, exceptions). */
  guardrailDiff: DiffItem[];
  /** The guardrailDiff items that weaken protection: promote refuses them without --accept-weakening. */
  weakening: DiffItem[];
  /** What guardrailDiff was taken against (null: not computed). */
  guardrailDiffBasis: DiffBasis | null;
  /** pilot only: the account-level enforced configuration the phase puts in the pilot account. */
  accountLevel?: { account: string; system: string; messages: string; included: string[]; excluded: string[] };
}

/** Accounts (the gates' scope, gates/scope.ts) and OUs a phase reaches. */
export function phaseScope(env: Environment, phase: Phase): { accountIds: string[]; ouIds: string[] } {
  const accountIds = accountsForPhase(env, phase);
  switch (phase) {
    case 'pilot':
    case 'model-rules':
      return { accountIds, ouIds: [] };
    case 'ou':
      return { accountIds, ouIds: [env.pilot.ou, ...ousUnder(env, env.pilot.ou).map((o) => o.id)] };
    case 'enterprise':
      return { accountIds, ouIds: env.organization.ous.map((o) => o.id) };
  }
}

export function exceptionView(e: EnforcementException, asOf: Date): ExceptionView {
  const status = exceptionStatus(e, asOf) === 'expired' ? 'expired' : isExpiringSoon(e, asOf) ? 'expiring-soon' : 'active';
  return {
    id: e.id,
    target: e.target,
    owner: e.owner,
    approver: e.approver,
    expires: e.expires,
    reason: e.reason,
    status,
    daysLeft: daysLeft(e, asOf),
    ...(e.ticket ? { ticket: e.ticket } : {}),
  };
}

function releaseHash(env: Environment, release: string | null): string | null {
  const r = release === null ? undefined : env.releases.find((x) => x.name === release);
  return r ? releaseShortHash(r) : null;
}

function releaseDescription(env: Environment, release: string): string | null {
  const r = env.releases.find((x) => x.name === release);
  return r?.description ?? r?.definition.toSpec().description ?? null;
}

function versionLabel(state: RolloutState, release: string | null, region: string): string | null {
  if (!release) return null;
  const p = state.published[release]?.[region];
  return p ? `${release} v${p.version}` : `${release} (to be published)`;
}

/**
 * Who preflight's ApplyGuardrail check and smoke act as (docs/environments.md#probe-roles), and a
 * warning naming the accounts in scope without a probe role (checked with the deployment role).
 */
function probeRoleNote(env: Environment, phase: Phase): string {
  if (!env.deployment.probeRoles) {
    return ' (as the deployment role; warning: no deployment.probeRoles, so identity policies of workloads are not tested)';
  }
  const without = accountsForPhase(env, phase).filter((a) => !probeRoleFor(env, a));
  if (!without.length) return ' as the probe role of each account';
  const list = `${without.slice(0, 6).join(', ')}${without.length > 6 ? ', …' : ''}`;
  return ` as the probe role of each account; warning: ${without.length} account(s) in scope have none (${list}): checked with the deployment role, identity policies of workloads are not tested there`;
}

export function plannedGates(env: Environment, phase: Phase): PlannedGate[] {
  const s = env.phases[phase];
  const sample = s.sample.perOu === 'all' ? 'every account in scope' : `${s.sample.perOu} per OU, at least ${s.sample.floor}`;
  const gates: PlannedGate[] = [
    {
      gate: 'preflight',
      detail:
        'release published with numeric versions, resource policy grants the organization, policy type enabled, exceptions valid, no unmanaged BEDROCK_POLICY, members can ApplyGuardrail' +
        probeRoleNote(env, phase),
    },
    {
      gate: 'propagation',
      detail: `wait until every account in scope shows the change (DescribeEffectivePolicy; pilot: its enforced configuration), at most ${s.propagationTimeoutSeconds ?? DEFAULT_PROPAGATION_TIMEOUT_SECONDS}s`,
    },
    { gate: 'smoke', detail: `${s.smoke.length} case(s) through Converse (no guardrail named) in ${sample}` },
    {
      gate: 'effective-policy',
      detail:
        'DescribeEffectivePolicy of every account in scope equals the policy engine; no invalid effective policies; account-level configuration matches',
    },
    {
      gate: 'bake',
      detail:
        s.bakeSeconds > 0
          ? `${s.bakeSeconds}s before the next phase may take this release${s.analysis ? `, judged by CloudWatch metrics every ${s.analysis.intervalSeconds}s: ${s.analysis.conditions.map((c) => c.metric).join(', ')}` : ''}`
          : 'none (0s)',
    },
  ];
  if (s.approval) gates.unshift({ gate: 'approval', detail: 'required before apply (--approve "<reason>")' });
  return gates;
}

export function buildPlanReport(input: ReportInput): PlanReport {
  const { env, phase, release, asOf, state } = input;
  const scope = phaseScope(env, phase);
  const stacks: StackSummary[] = input.plans.map((p) => {
    const counts = Object.fromEntries(CHANGE_ACTIONS.map((a) => [a, 0])) as Record<ChangeAction, number>;
    for (const c of p.changes) counts[c.action]++;
    return {
      stack: p.stack,
      planHash: p.planHash,
      counts,
      resources: p.changes
        .filter((c) => c.action !== 'no-op')
        .map((c) => ({
          address: c.address,
          type: c.type,
          action: c.action,
          label: changeLabel(c),
          ...(c.importId !== undefined ? { importId: c.importId } : {}),
        })),
    };
  });
  const views = env.exceptions.map((e) => exceptionView(e, asOf));
  const excluded = new Set(env.enforcement.models.excluded);
  if (phase === 'enterprise') for (const e of activeExceptions(env, asOf)) for (const m of e.changes.excludedModels ?? []) excluded.add(m);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    kind: 'plan-report',
    env: env.name,
    phase,
    release,
    releaseHash: releaseHash(env, release),
    releaseDescription: releaseDescription(env, release),
    unit: input.unit ?? null,
    currentRelease: input.currentRelease,
    currentReleaseHash: releaseHash(env, input.currentRelease),
    asOf: asOf.toISOString().slice(0, 10),
    engine: input.engine,
    noChanges: stacks.every((s) => s.resources.length === 0),
    versions: env.regions.map((region) => ({
      region,
      before: versionLabel(state, input.currentRelease, region),
      after: versionLabel(state, release, region)!,
    })),
    stacks,
    scope: {
      accounts: scope.accountIds.length,
      ous: scope.ouIds.length,
      accountIds: scope.accountIds,
      ouIds: scope.ouIds,
      models: { included: [...env.enforcement.models.included], excluded: [...excluded].sort() },
    },
    effective: {
      changedAccounts: input.effective.changed.length,
      unchangedAccounts: input.effective.unchanged,
      changes: input.effective.changed.slice(0, MAX_LISTED),
      truncated: input.effective.changed.length > MAX_LISTED,
      groups: groupEffectiveChanges(input.effective.changed),
    },
    exceptions: {
      inForce: views.filter((v) => v.status !== 'expired'),
      expiringSoon: views.filter((v) => v.status === 'expiring-soon'),
      expired: views.filter((v) => v.status === 'expired'),
    },
    gates: plannedGates(env, phase),
    approvalRequired: env.phases[phase].approval,
    guardrailDiff: input.semantic?.items ?? [],
    weakening: (input.semantic?.items ?? []).filter((i) => i.effect === 'weakens'),
    guardrailDiffBasis: input.semantic?.basis ?? null,
    ...(phase === 'pilot'
      ? {
          accountLevel: {
            account: env.pilot.account,
            system: env.enforcement.system,
            messages: env.enforcement.messages,
            included: [...env.enforcement.models.included],
            excluded: [...env.enforcement.models.excluded],
          },
        }
      : {}),
  };
}

const esc = (s: string) => s.replace(/\|/g, '\\|');
function table(headers: string[], rows: string[][]): string {
  return [
    `| ${headers.join(' | ')} |`,
    `|${headers.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ].join('\n');
}

/** `name` (sha256:<16 hex>): the hash tells two definitions of a release apart, as the version description does. */
function releaseText(name: string | null, hash: string | null): string {
  if (name === null) return 'none';
  return `\`${name}\`${hash ? ` (sha256:${hash})` : ''}`;
}

/**
 * One stack's counts, Terraform's way: a replace whose old object is forgotten counts as a
 * replace and as a forget; forgets and imports are named only when there are any.
 */
export function countsText(c: Record<ChangeAction, number>): string {
  const parts = [
    `${c.create} to create`,
    `${c.update} to update`,
    `${c.replace + c['replace-forget']} to replace`,
    `${c.delete} to destroy`,
  ];
  const kept = c.forget + c['replace-forget'];
  if (kept) parts.push(`${kept} to forget (kept in AWS)`);
  if (c.import) parts.push(`${c.import} to import`);
  return parts.join(', ');
}

/** "`6 to add` `1 to forget (kept in AWS)` · 3 account(s) change effective policy": the verdict before any detail. */
function headlineMarkdown(r: PlanReport): string {
  const parts = headlineParts(r.stacks);
  const counts = parts.length ? parts.map((p) => `\`${p.text}\``).join(' ') : '`no changes`';
  const accounts = `${r.effective.changedAccounts} account(s) change effective policy`;
  return `${counts} · ${accounts}${r.approvalRequired ? ' · **approval required**' : ''}`;
}

/** A GitHub alert for what removes objects from AWS (replace, destroy); a note for what only leaves management (forget). */
function attentionMarkdown(r: PlanReport): string[] {
  const out: string[] = [];
  const destructive = destructiveResources(r.stacks);
  if (destructive.length) {
    const list = destructive.slice(0, 6).map((d) => `\`${d.address}\` (${d.label})`);
    out.push(
      '',
      '> [!WARNING]',
      `> ${destructive.length} resource(s) will be replaced or destroyed: ${list.join(', ')}${destructive.length > 6 ? ', …' : ''}`,
    );
  }
  const forgotten = headlineParts(r.stacks).find((p) => p.kind === 'forget');
  if (forgotten)
    out.push(
      '',
      '> [!NOTE]',
      `> ${forgotten.text}: skip_destroy objects (guardrail versions) leave the stack's state but are not deleted in AWS.`,
    );
  return out;
}

/** One distinct effective change: how many accounts, what changes, and the accounts folded away. */
function effectiveGroupMarkdown(g: EffectiveGroup): string[] {
  const n = g.accounts.length;
  return [
    `**${n} account${n === 1 ? '' : 's'}**: ${codeReleases(g.change)}`,
    '',
    `<details><summary>${n === 1 ? 'the account' : `the ${n} accounts`}</summary>`,
    '',
    g.accounts.map((a) => `${a.name} (${a.account})`).join(', '),
    '',
    '</details>',
  ];
}

export function renderPlanMarkdown(r: PlanReport): string {
  const out: string[] = [];
  out.push(planMarker(r.env, r.phase));
  out.push(`## Guardrail rollout plan: \`${r.release}\` → **${r.phase}** (${r.env})`);
  out.push('', headlineMarkdown(r));
  out.push(...attentionMarkdown(r));
  if (r.releaseDescription) out.push('', `**About this release:** ${codeReleases(r.releaseDescription)}`);
  out.push(
    '',
    `Release on ${r.phase}: ${releaseText(r.currentRelease, r.currentReleaseHash)} → ${releaseText(r.release, r.releaseHash)} · engine: ${r.engine} · exceptions as of ${r.asOf}`,
  );
  if (r.unit) {
    out.push('', `Unit: \`${r.unit.label}\` (sha256 \`${r.unit.hash.slice(0, 16)}\`)`);
    out.push(
      r.unit.changes.length
        ? `Changed in this unit: ${r.unit.changes.map((c) => `\`${c}\``).join(' · ')}`
        : 'Changed in this unit: nothing (the unit in place)',
    );
  }
  if (r.noChanges) out.push('', '> No resource changes: this release is already applied to this phase.');
  out.push(...renderSemanticDiff(r));
  out.push(
    '',
    '### Guardrail versions',
    '',
    table(
      ['region', 'before', 'after'],
      r.versions.map((v) => [v.region, v.before ? codeReleases(v.before) : '—', codeReleases(v.after)]),
    ),
  );
  out.push('', '### Resources changed', '');
  for (const s of r.stacks) {
    out.push(`**${s.stack}** — ${countsText(s.counts)} (plan \`${s.planHash.slice(0, 12)}\`)`);
    if (s.resources.length)
      out.push(
        '',
        collapsible(
          `${s.resources.length} resource change(s) in ${s.stack}`,
          table(
            ['action', 'resource'],
            s.resources.slice(0, MAX_LISTED).map((x) => [x.label, `\`${x.address}\``]),
          ) + (s.resources.length > MAX_LISTED ? `\n\n…and ${s.resources.length - MAX_LISTED} more` : ''),
          s.resources.length,
        ),
      );
    out.push('');
  }
  out.push('### Blast radius', '');
  out.push(`- accounts in scope: **${r.scope.accounts}**${r.scope.accounts <= 10 ? ` (${r.scope.accountIds.join(', ')})` : ''}`);
  out.push(`- OUs in scope: **${r.scope.ous}**${r.scope.ous && r.scope.ous <= 10 ? ` (${r.scope.ouIds.join(', ')})` : ''}`);
  out.push(
    `- models guarded: ${r.scope.models.included.join(', ')}; excluded: ${r.scope.models.excluded.length ? r.scope.models.excluded.join(', ') : 'none'} (${r.scope.models.excluded.length})`,
  );
  out.push('', `### Effective policy before → after`, '');
  if (r.phase === 'pilot') {
    const e = r.accountLevel!;
    out.push(
      `Account-level enforced configuration in ${e.account} (one per region): ${r.currentRelease ? `\`${r.currentRelease}\`` : 'none'} → \`${r.release}\`; system=${e.system}, messages=${e.messages}, models ${e.included.join('+')}${e.excluded.length ? ` except ${e.excluded.join(', ')}` : ''}.`,
      '',
    );
  }
  if (!r.effective.changedAccounts) out.push(`No account's effective BEDROCK_POLICY changes (${r.effective.unchangedAccounts} unchanged).`);
  else {
    out.push(`${r.effective.changedAccounts} account(s) change, ${r.effective.unchangedAccounts} unchanged.`);
    for (const g of r.effective.groups) out.push('', ...effectiveGroupMarkdown(g));
  }
  out.push('', '### Exceptions', '');
  const exRows = (list: ExceptionView[]) =>
    table(
      ['id', 'target', 'status', 'expires', 'owner', 'approver'],
      list.map((e) => [
        e.id,
        e.target,
        e.status === 'expired' ? '**expired**' : e.status,
        `${e.expires} (${e.daysLeft}d)`,
        e.owner,
        e.approver,
      ]),
    );
  out.push(
    r.exceptions.inForce.length
      ? collapsible(`${r.exceptions.inForce.length} exceptions in force`, exRows(r.exceptions.inForce), r.exceptions.inForce.length)
      : 'No exceptions in force.',
  );
  if (r.exceptions.expiringSoon.length)
    out.push(
      '',
      `:warning: expiring within ${EXPIRY_WARNING_DAYS} days: ${r.exceptions.expiringSoon.map((e) => `${e.id} (${e.expires})`).join(', ')}`,
    );
  if (r.exceptions.expired.length)
    out.push(
      '',
      `:x: expired (no longer applied; remove or renew): ${r.exceptions.expired.map((e) => `${e.id} (${e.expires}, target ${e.target})`).join(', ')}`,
    );
  out.push(
    '',
    '### Gates that will run',
    '',
    table(
      ['gate', 'what'],
      r.gates.map((g) => [g.gate, g.detail]),
    ),
    '',
  );
  return out.join('\n');
}
