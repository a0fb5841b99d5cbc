/** `rollout status`: per phase what is in place, as JSON (stable schema) and a text table. Pure. */
import { PHASES, type Environment, type Phase, type TeamAddition } from '../../../model/types.js';
import { bakeLeftMs, formatDuration } from '../../state/promotion.js';
import { phaseScope } from '../../report/report.js';
import type { PhaseStatus, RolloutState } from '../../state/store.js';
import type { GateStatus } from '../../state/contracts.js';
import { describeHolder, type LockHolder } from '../../state/lock-holder.js';
import type { TeamAdditionRecord } from '../../flows/team.js';

export const STATUS_SCHEMA_VERSION = 1;

export interface PhaseStatusView {
  phase: Phase;
  release: string | null;
  /** The promoted unit in place: release and short hash together (null: none recorded). */
  unit: { label: string; hash: string; asOf: string } | null;
  status: PhaseStatus | 'not-started';
  attemptRelease: string | null;
  attemptUnit: string | null;
  attemptId: string | null;
  appliedAt: string | null;
  passedAt: string | null;
  bakeUntil: string | null;
  bakeLeftSeconds: number;
  accountsInScope: number;
  versions: { account: string; region: string; guardrailArn: string; version: string }[];
  gates: { gate: string; status: GateStatus; summary: string }[];
}

export interface StatusView {
  schemaVersion: typeof STATUS_SCHEMA_VERSION;
  kind: 'status';
  env: string;
  currentRelease: string;
  at: string;
  phases: PhaseStatusView[];
  published: RolloutState['published'];
  /** Who holds the environment lock now (null: nobody); its `id` is what `rollout unlock --force` takes. */
  lock: LockHolder | null;
  /** Where state, ledger and lock are kept: a directory or s3://bucket/prefix/env/ */
  store: string;
  /** Team additions (docs/team-additions.md): every one declared in the file or recorded in the state. */
  teamAdditions: TeamAdditionStatusView[];
}

export interface TeamAdditionStatusView {
  id: string;
  account: string;
  owner: string | null;
  expires: string | null;
  /** Declared in the environment file (false: only the state remembers it). */
  declared: boolean;
  status: TeamAdditionRecord['status'] | 'not-applied';
  appliedAt: string | null;
  removedAt: string | null;
  versions: { account: string; region: string; guardrailArn: string; version: string }[];
}

type StatusEnvironment = Omit<Environment, 'releases' | 'teamAdditions'> & {
  teamAdditions?: Pick<TeamAddition, 'id' | 'account' | 'owner' | 'expires'>[];
};

function teamAdditionsView(env: StatusEnvironment, state: RolloutState): TeamAdditionStatusView[] {
  const records = (state as RolloutState & { teamAdditions?: Record<string, TeamAdditionRecord> }).teamAdditions ?? {};
  const declared = new Map((env.teamAdditions ?? []).map((a) => [a.id, a]));
  const ids = [...new Set([...declared.keys(), ...Object.keys(records)])].sort();
  return ids.map((id) => {
    const a = declared.get(id);
    const rec = records[id];
    return {
      id,
      account: a?.account ?? rec?.account ?? '',
      owner: a?.owner ?? null,
      expires: a?.expires ?? null,
      declared: a !== undefined,
      status: rec?.status ?? 'not-applied',
      appliedAt: rec?.appliedAt ?? null,
      removedAt: rec?.removedAt ?? null,
      versions: Object.entries(rec?.versions ?? {}).map(([region, v]) => ({
        account: v.account,
        region,
        guardrailArn: v.guardrailArn,
        version: v.version,
      })),
    };
  });
}

export function statusView(
  // Never the release definitions: `rollout status` loads the environment without them (they are code, ~0.3 s to import).
  env: StatusEnvironment,
  state: RolloutState,
  now: Date,
  where: { lock?: LockHolder; store?: string } = {},
): StatusView {
  return {
    schemaVersion: STATUS_SCHEMA_VERSION,
    kind: 'status',
    env: env.name,
    currentRelease: env.currentRelease,
    at: now.toISOString(),
    published: state.published,
    lock: where.lock ?? null,
    store: where.store ?? '',
    teamAdditions: teamAdditionsView(env, state),
    phases: PHASES.map((phase) => {
      const rec = state.phases[phase];
      return {
        phase,
        release: rec?.release ?? null,
        unit: rec?.unit ? { label: rec.unit.label, hash: rec.unit.hash, asOf: rec.unit.asOf } : null,
        status: rec?.status ?? 'not-started',
        attemptRelease: rec?.attemptRelease ?? null,
        attemptUnit: rec?.attemptUnit?.label ?? null,
        attemptId: rec?.attemptId ?? null,
        appliedAt: rec?.appliedAt ?? null,
        passedAt: rec?.passedAt ?? null,
        bakeUntil: rec?.bakeUntil ?? null,
        bakeLeftSeconds: Math.ceil(bakeLeftMs(rec, now) / 1000),
        // phaseScope reads the organization and pilot settings only, never env.releases.
        accountsInScope: phaseScope(env as Environment, phase).accountIds.length,
        versions: Object.entries(rec?.versions ?? {}).map(([region, v]) => ({
          account: v.account,
          region,
          guardrailArn: v.guardrailArn,
          version: v.version,
        })),
        gates: (rec?.gates ?? []).map((g) => ({ gate: g.gate, status: g.status, summary: g.summary })),
      };
    }),
  };
}

export function renderStatusText(v: StatusView): string {
  const lines = [`environment ${v.env} · current release ${v.currentRelease} · ${v.at}`];
  if (v.lock) lines.push(`locked by ${describeHolder(v.lock)}${v.lock.expires ? `, expires ${v.lock.expires} unless renewed` : ''}`);
  lines.push('');
  for (const p of v.phases) {
    const inPlace = p.unit?.label ?? p.release ?? '—';
    const attempt = p.attemptUnit ?? p.attemptRelease;
    const head = `${p.phase.padEnd(12)} ${inPlace.padEnd(38)} ${p.status}${attempt && attempt !== inPlace ? ` (last attempt ${attempt})` : ''}`;
    lines.push(head);
    if (p.status === 'not-started') continue;
    lines.push(
      `             applied ${p.appliedAt ?? '—'} · scope ${p.accountsInScope} account(s)${p.bakeLeftSeconds > 0 ? ` · bake left ${formatDuration(p.bakeLeftSeconds * 1000)} (until ${p.bakeUntil})` : ''}`,
    );
    for (const ver of p.versions) lines.push(`             ${ver.region} ${ver.account}: version ${ver.version} (${ver.guardrailArn})`);
    if (p.gates.length)
      lines.push(
        `             gates: ${p.gates.map((g) => `${g.gate} ${g.status === 'passed' ? '✔' : g.status === 'failed' ? '✖' : '?'}`).join('  ')}`,
      );
  }
  if (v.teamAdditions.length) {
    lines.push('', 'team additions (under the baseline, in their own accounts)');
    for (const t of v.teamAdditions) {
      const notes = [t.owner, t.expires ? `expires ${t.expires}` : '', t.declared ? '' : 'no longer in the file']
        .filter(Boolean)
        .join(' · ');
      lines.push(`  ${t.id.padEnd(24)} ${t.account}  ${t.status}${notes ? ` · ${notes}` : ''}`);
      for (const ver of t.versions) lines.push(`             ${ver.region} ${ver.account}: version ${ver.version} (${ver.guardrailArn})`);
    }
  }
  return lines.join('\n');
}
