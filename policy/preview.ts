/**
 * What `rollout preview` shows: the enforcement every account gets, per region, once a phase is
 * applied with a release — organization-level (effective BEDROCK_POLICY) and, for the pilot
 * account, the account-level enforced configuration of the pilot phase. Pure: the caller loads
 * the environment and the recorded rollout state.
 *
 * Phase stacking "after phase X with release R": every phase up to and including X runs R; later
 * phases keep what is recorded. "Before" is what is recorded (nothing ⇒ empty organization).
 */
import { PHASES, type EnforcementException, type Environment, type Phase } from '../model/types.js';
import { accountEnforcementConfig, activeSorted, buildPhasePolicies, childControlPlan, type ChildControlPlan } from './builder.js';
import { exceptionPolicyName } from '../core/naming.js';
import { enforcementByRegion, splitIdentifier } from './document.js';
import { effectivePolicies, orgSnapshotOf, type OrgSnapshot } from './effective.js';
import { exceptionStatus } from '../model/exceptions.js';
import { validateEffectivePolicy } from './validate.js';

export type PhaseReleases = Partial<Record<Phase, string>>;

export interface PublishedIds {
  guardrailArn: string;
  version: string;
}

/** `schemaVersion` of the `rollout preview --json` document (docs/policy-engine.md). */
export const PREVIEW_SCHEMA_VERSION = 1;

/**
 * A phase as recorded in state.json. `versions` (pilot only) is the pilot stack's own guardrail
 * version per region, published in the pilot account (`phases.pilot.versions`, what `status` shows).
 */
export interface RecordedPhase {
  release: string;
  appliedAt?: string;
  versions?: Record<string, PublishedIds>;
}

export interface PreviewInput {
  env: Environment;
  phase: Phase;
  release: string;
  asOf: Date;
  /**
   * Recorded release per phase (and when it was applied: exceptions of the recorded enterprise
   * phase are taken as of then; pilot: the pilot account's guardrail versions).
   */
  recorded: Partial<Record<Phase, RecordedPhase>>;
  /** published[release][region] from the recorded state. */
  published: Record<string, Record<string, PublishedIds>>;
  diff?: boolean;
}

export interface EnforcementRow {
  region: string;
  level: 'organization' | 'account';
  identifier: string;
  guardrailArn?: string;
  version?: string;
  release?: string;
  published: boolean;
  system: string;
  messages: string;
  includedModels: string[];
  excludedModels: string[];
  /** Organization: names of the policies on the account's path that set a value here. Account: the phase. */
  sources: string[];
  exceptions: string[];
}

export interface AccountPreview {
  account: string;
  name: string;
  parent: string;
  enforcement: EnforcementRow[];
  /** Settings a policy tried to set but a parent's child-control blocked (value differs from the effective one). */
  blocked: string[];
}

export interface AccountChange {
  account: string;
  name: string;
  changes: { key: string; before: string; after: string }[];
}

export interface PreviewResult {
  schemaVersion: typeof PREVIEW_SCHEMA_VERSION;
  kind: 'preview';
  env: string;
  phase: Phase;
  release: string;
  asOf: string;
  phaseReleases: { before: PhaseReleases; after: PhaseReleases };
  childControl: ChildControlPlan;
  exceptions: { id: string; target: string; expires: string; active: boolean; changes: EnforcementException['changes'] }[];
  accounts: AccountPreview[];
  diff?: { totalAccounts: number; changedAccounts: number; before: AccountPreview[]; changes: AccountChange[] };
  warnings: string[];
}

export function releasesAfter(recorded: PreviewInput['recorded'], phase: Phase, release: string): PhaseReleases {
  const upTo = PHASES.indexOf(phase);
  const out: PhaseReleases = {};
  PHASES.forEach((p, i) => {
    const r = i <= upTo ? release : recorded[p]?.release;
    if (r) out[p] = r;
  });
  return out;
}

export function releasesBefore(recorded: PreviewInput['recorded']): PhaseReleases {
  const out: PhaseReleases = {};
  for (const p of PHASES) {
    const r = recorded[p]?.release;
    if (r) out[p] = r;
  }
  return out;
}

/** The default phase: the first one not yet running `release` (enterprise when all are). */
export function nextPhaseFor(recorded: PreviewInput['recorded'], release: string): Phase {
  return PHASES.find((p) => recorded[p]?.release !== release) ?? 'enterprise';
}

const tokenFor = (release: string) => `\${unpublished:${release}}`;

interface IdentifierInfo {
  release: string;
  published: boolean;
  display: string;
  arn?: string;
  version?: string;
}

class Identifiers {
  readonly byIdentifier = new Map<string, IdentifierInfo>();
  constructor(
    private readonly env: Environment,
    private readonly published: PreviewInput['published'],
  ) {}
  /** region → identifier for a release (published ARN:version, or an opaque placeholder token). */
  forRelease(release: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const region of this.env.regions) {
      const p = this.published[release]?.[region];
      if (p) {
        const id = `${p.guardrailArn}:${p.version}`;
        out[region] = id;
        this.byIdentifier.set(id, { release, published: true, display: id, arn: p.guardrailArn, version: p.version });
      } else {
        const token = tokenFor(release);
        out[region] = token;
        this.byIdentifier.set(`${region}|${token}`, {
          release,
          published: false,
          display: `arn:aws:bedrock:${region}:${this.env.managementAccountId}:guardrail/<unpublished:${release}>`,
        });
      }
    }
    return out;
  }
  describe(region: string, identifier: string): IdentifierInfo {
    return (
      this.byIdentifier.get(identifier) ??
      this.byIdentifier.get(`${region}|${identifier}`) ?? { release: '', published: true, display: identifier, ...splitArn(identifier) }
    );
  }
}

/**
 * The guardrail the pilot's account-level enforced configuration names: the pilot stack publishes
 * its own guardrail IN THE PILOT ACCOUNT (rollout/flows/promote.ts records it as phases.pilot.versions,
 * which `status` shows). So it is the recorded pilot version when the pilot runs that release,
 * else a placeholder in the pilot account — never the management account's guardrail.
 */
function pilotIdentifier(env: Environment, region: string, release: string, recorded: RecordedPhase | undefined): IdentifierInfo {
  const v = recorded?.release === release ? recorded.versions?.[region] : undefined;
  if (v) return { release, published: true, display: `${v.guardrailArn}:${v.version}`, arn: v.guardrailArn, version: v.version };
  return { release, published: false, display: `arn:aws:bedrock:${region}:${env.pilot.account}:guardrail/<unpublished:${release}>` };
}

function splitArn(identifier: string): { arn?: string; version?: string } {
  const { guardrailArn, version } = splitIdentifier(identifier);
  return { arn: guardrailArn, version };
}

function parseInstant(s: string | undefined, fallback: Date): Date {
  if (!s) return fallback;
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? fallback : d;
}

/** Enforcement of every account for one set of phase releases. */
function enforcementFor(
  env: Environment,
  releases: PhaseReleases,
  asOfFor: (p: Phase) => Date,
  ids: Identifiers,
  recordedPilot: RecordedPhase | undefined,
  warnings: string[],
): AccountPreview[] {
  const snapshot: OrgSnapshot = orgSnapshotOf(env);
  for (const phase of ['model-rules', 'ou', 'enterprise'] as const) {
    const release = releases[phase];
    if (!release) continue;
    // Policy names are unique per phase, so they serve as ids; same-node order = name order.
    for (const spec of buildPhasePolicies({ env, phase, identifiers: ids.forRelease(release), asOf: asOfFor(phase), release })) {
      snapshot.policies.push({ id: spec.name, content: spec.content, targets: spec.targets });
    }
  }
  const results = effectivePolicies(snapshot);
  const pilotRelease = releases.pilot;
  const account = accountEnforcementConfig(env);
  const exceptionPrefix = exceptionPolicyName('');
  const validation = { managementAccountId: env.managementAccountId, regions: env.regions, allowTokens: true };

  return env.organization.accounts.map((a) => {
    const r = results.get(a.id)!;
    const rows: EnforcementRow[] = [];
    for (const e of enforcementByRegion(r.policy)) {
      const info = ids.describe(e.region, e.identifier ?? '');
      const here = r.provenance.filter((p) => p.path.includes(`.${e.region}.`));
      const sources = [...new Set(here.map((p) => p.policyId))];
      rows.push({
        region: e.region,
        level: 'organization',
        identifier: e.identifier ? info.display : '(missing)',
        guardrailArn: info.arn,
        version: info.version,
        release: info.release || undefined,
        published: info.published,
        system: e.system,
        messages: e.messages,
        includedModels: e.includedModels,
        excludedModels: e.excludedModels,
        sources,
        exceptions: sources.filter((s) => s.startsWith(exceptionPrefix)).map((s) => s.slice(exceptionPrefix.length)),
      });
    }
    if (r.policy) {
      for (const issue of validateEffectivePolicy(r.policy, validation)) {
        if (issue.severity === 'error') warnings.push(`account ${a.id}: effective policy ${issue.path}: ${issue.message}`);
      }
    }
    if (pilotRelease && a.id === env.pilot.account) {
      for (const region of env.regions) {
        const info = pilotIdentifier(env, region, pilotRelease, recordedPilot);
        rows.push({
          region,
          level: 'account',
          identifier: info.display,
          guardrailArn: info.arn,
          version: info.version,
          release: pilotRelease,
          published: info.published,
          system: account.selectiveContentGuarding.system.toLowerCase(),
          messages: account.selectiveContentGuarding.messages.toLowerCase(),
          includedModels: account.modelEnforcement.includedModels,
          excludedModels: account.modelEnforcement.excludedModels,
          sources: ['pilot (account-level enforced configuration)'],
          exceptions: [],
        });
      }
    }
    rows.sort((x, y) => (x.region === y.region ? (x.level < y.level ? 1 : -1) : x.region < y.region ? -1 : 1));
    // Blocked operations matter only where the blocked value differs from what is in effect.
    const blocked = r.ignored
      .filter((i) => JSON.stringify(i.value) !== JSON.stringify(valueAt(r.policy, i.path)))
      .map(
        (i) =>
          `${i.path}: ${i.operator} ${JSON.stringify(i.value)} from ${i.policyId} (on ${i.node}) blocked by a parent's child-control (allowed: ${i.allowed.join(', ') || '@@none'})`,
      );
    return { account: a.id, name: a.name, parent: a.parent, enforcement: rows, blocked };
  });
}

function valueAt(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const k of path.split('.')) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

const rowKey = (r: EnforcementRow) => `${r.region}/${r.level}`;
const rowText = (r: EnforcementRow | undefined) =>
  r
    ? `${r.identifier} system=${r.system} messages=${r.messages} included=${r.includedModels.join(',')} excluded=${r.excludedModels.join(',') || '-'}${r.exceptions.length ? ` exceptions=${r.exceptions.join(',')}` : ''}`
    : '(none)';

export function diffAccounts(before: AccountPreview[], after: AccountPreview[]): AccountChange[] {
  const prev = new Map(before.map((a) => [a.account, a]));
  const out: AccountChange[] = [];
  for (const a of after) {
    const b = prev.get(a.account);
    const bRows = new Map((b?.enforcement ?? []).map((r) => [rowKey(r), r]));
    const aRows = new Map(a.enforcement.map((r) => [rowKey(r), r]));
    const changes: AccountChange['changes'] = [];
    for (const key of [...new Set([...bRows.keys(), ...aRows.keys()])].sort()) {
      const x = rowText(bRows.get(key));
      const y = rowText(aRows.get(key));
      if (x !== y) changes.push({ key, before: x, after: y });
    }
    if (changes.length) out.push({ account: a.account, name: a.name, changes });
  }
  return out;
}

/** Same-node conflicts whose outcome depends on attachment order in AWS (flagged, never silently decided). */
function sameNodeWarnings(env: Environment, releases: PhaseReleases, active: EnforcementException[]): string[] {
  const out: string[] = [];
  for (const e of active) {
    const modes = e.changes.system !== undefined || e.changes.messages !== undefined;
    if (!modes) continue;
    const clash =
      releases['model-rules'] && e.target === env.pilot.account
        ? 'model-rules'
        : releases.ou && e.target === env.pilot.ou
          ? 'ou'
          : undefined;
    if (clash) {
      out.push(
        `exception ${e.id} changes a guarding mode on ${e.target}, which also carries the ${clash} baseline: ` +
          'two @@assign at the same node are resolved by attachment order in AWS (first attached wins); the preview orders them by policy name',
      );
    }
  }
  return out;
}

export function computePreview(input: PreviewInput): PreviewResult {
  const { env, phase, release, asOf } = input;
  if (!env.releases.some((r) => r.name === release)) {
    throw new Error(
      `release "${release}" is not defined in environment "${env.name}" (defined: ${env.releases.map((r) => r.name).join(', ') || 'none'})`,
    );
  }
  const warnings: string[] = [];
  const ids = new Identifiers(env, input.published);
  const after = releasesAfter(input.recorded, phase, release);
  const before = releasesBefore(input.recorded);
  const upTo = PHASES.indexOf(phase);
  // Phases re-applied now use asOf; phases kept as recorded use their recorded apply time.
  const asOfAfter = (p: Phase) => (PHASES.indexOf(p) <= upTo ? asOf : parseInstant(input.recorded[p]?.appliedAt, asOf));
  const asOfBefore = (p: Phase) => parseInstant(input.recorded[p]?.appliedAt, asOf);
  const accounts = enforcementFor(env, after, asOfAfter, ids, input.recorded.pilot, warnings);
  const active = activeSorted(env, asOfAfter('enterprise'));
  warnings.push(...sameNodeWarnings(env, after, active));
  for (const a of accounts) for (const b of a.blocked) warnings.push(`account ${a.account}: ${b}`);
  const unpublished = [...new Set(Object.values(after).filter((r) => env.regions.some((g) => !input.published[r!]?.[g])))];
  if (unpublished.length)
    warnings.push(`not yet published in every region: ${unpublished.join(', ')} (identifiers shown as <unpublished:…> placeholders)`);
  const pilotRows =
    accounts.find((a) => a.account === env.pilot.account)?.enforcement.filter((e) => e.level === 'account' && !e.published) ?? [];
  if (pilotRows.length) {
    warnings.push(
      `pilot account ${env.pilot.account}: ${after.pilot} is not yet published there by the pilot stack in ${pilotRows.map((e) => e.region).join(', ')} (account-level identifier shown as an <unpublished:…> placeholder in the pilot account)`,
    );
  }

  const result: PreviewResult = {
    schemaVersion: PREVIEW_SCHEMA_VERSION,
    kind: 'preview',
    env: env.name,
    phase,
    release,
    asOf: asOf.toISOString(),
    phaseReleases: { before, after },
    childControl: childControlPlan(active),
    exceptions: [...env.exceptions]
      .sort((x, y) => (x.id < y.id ? -1 : 1))
      .map((e) => ({
        id: e.id,
        target: e.target,
        expires: e.expires,
        active: exceptionStatus(e, asOfAfter('enterprise')) === 'active',
        changes: e.changes,
      })),
    accounts,
    warnings,
  };
  if (input.diff) {
    const beforeAccounts = enforcementFor(env, before, asOfBefore, ids, input.recorded.pilot, []);
    const changes = diffAccounts(beforeAccounts, accounts);
    result.diff = { totalAccounts: accounts.length, changedAccounts: changes.length, before: beforeAccounts, changes };
  }
  return result;
}
