/**
 * What `rollout preview` shows: the enforcement every account gets, per region, once a phase is
 * applied with a release — organization-level (effective BEDROCK_POLICY) and, for the pilot
 * account, the account-level enforced configuration of the pilot phase. Pure: the caller loads
 * the environment and the recorded rollout state.
 *
 * Phase stacking "after phase X with release R": every phase up to and including X runs R with
 * the environment's enforcement settings; later phases keep what is recorded (their release and,
 * when recorded, their unit's settings). "Before" is what is recorded (nothing ⇒ empty organization).
 * Each phase's policy carries its own unit's settings; wider phases open the settings a narrower
 * phase holds differently (policy/locks.ts), and each account shows which phase's policy each
 * setting comes from and which settings are open above it.
 */
import { canonicalJson } from '../core/canonical-json.js';
import { PHASES, type EnforcementDefaults, type EnforcementException, type Environment, type Phase } from '../model/types.js';
import { accountEnforcementConfig, activeSorted, buildOrgPolicies, phaseTarget } from './builder.js';
import {
  exceptionsOpening,
  heldEnforcement,
  LOCKED_SETTINGS,
  locksFor,
  ORG_PHASES,
  SETTING_KEYS,
  type ChildControlPlan,
  type EnforcementByPhase,
  type LockedSetting,
  type OrgPhase,
} from './locks.js';
import { exceptionPolicyName } from '../core/naming.js';
import { CONFIG_KEY, enforcementByRegion, splitIdentifier, type ChildControlEntry } from './document.js';
import { effectivePolicies, orgSnapshotOf, pathTo, type OrgSnapshot } from './effective.js';
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
  /** The enforcement settings of the unit the phase holds; missing ⇒ the environment's. */
  enforcement?: EnforcementDefaults;
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
  /** Organization: per setting, the policies its effective value comes from (an exception's @@append adds one). */
  from?: Record<'identifier' | LockedSetting, string[]>;
}

/** What the policies above an account leave open to a policy attached at the account. */
export interface AccountLocks {
  /** Org phases whose baseline sits above the account (the root, the pilot OU), widest first. */
  above: OrgPhase[];
  /**
   * Settings besides `identifier` (always `@@assign`) that a policy at the account may still
   * change, with the operators allowed (the intersection of the baselines above; `@@all` when no
   * baseline is above) and why each is open. Settings not listed are locked (`@@none`).
   */
  open: { setting: string; allowed: ChildControlEntry[]; why: string[] }[];
}

export interface AccountPreview {
  account: string;
  name: string;
  parent: string;
  enforcement: EnforcementRow[];
  /** Settings a policy tried to set but a parent's child-control blocked (value differs from the effective one). */
  blocked: string[];
  locks: AccountLocks;
}

export interface AccountChange {
  account: string;
  name: string;
  changes: { key: string; before: string; after: string }[];
}

export interface LockChangeRow {
  account: string;
  name: string;
  /** `locksText()` of the account before and after. */
  before: string;
  after: string;
}

export interface PreviewResult {
  schemaVersion: typeof PREVIEW_SCHEMA_VERSION;
  kind: 'preview';
  env: string;
  phase: Phase;
  release: string;
  asOf: string;
  phaseReleases: { before: PhaseReleases; after: PhaseReleases };
  /** Child control of the enterprise baseline (the root's, binding every account). */
  childControl: ChildControlPlan;
  /** Child control of the baseline of every org phase holding a release after the change. */
  childControlByPhase: Partial<Record<OrgPhase, ChildControlPlan>>;
  /** The enforcement settings each phase holds after the change. */
  enforcementByPhase: EnforcementByPhase;
  exceptions: { id: string; target: string; expires: string; active: boolean; changes: EnforcementException['changes'] }[];
  accounts: AccountPreview[];
  diff?: {
    totalAccounts: number;
    changedAccounts: number;
    before: AccountPreview[];
    changes: AccountChange[];
    /** Accounts above which a setting opens or closes (not counted in changedAccounts: no value changes by it). */
    locks: LockChangeRow[];
  };
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

/** Child-control plan of each org phase's baseline holding a release. */
function plansFor(env: Environment, held: EnforcementByPhase, asOfFor: (p: Phase) => Date): Partial<Record<OrgPhase, ChildControlPlan>> {
  const out: Partial<Record<OrgPhase, ChildControlPlan>> = {};
  for (const p of ORG_PHASES) if (held[p]) out[p] = locksFor(p, held, activeSorted(env, asOfFor(p)));
  return out;
}

const OPS: readonly ChildControlEntry[] = ['@@assign', '@@append', '@@remove'];
const opsOf = (list: readonly ChildControlEntry[]) =>
  list.includes('@@none') ? [] : list.includes('@@all') ? [...OPS] : OPS.filter((o) => list.includes(o));

/** What the baselines above `account` leave open to a policy attached at it. */
function accountLocks(
  env: Environment,
  snapshot: OrgSnapshot,
  account: string,
  plans: Partial<Record<OrgPhase, ChildControlPlan>>,
  asOfFor: (p: Phase) => Date,
): AccountLocks {
  const ancestors = new Set(
    pathTo(snapshot, account)
      .slice(0, -1)
      .map((n) => n.node),
  );
  const above = [...ORG_PHASES].reverse().filter((p) => plans[p] && ancestors.has(phaseTarget(env, p)));
  const open: AccountLocks['open'] = [];
  for (const s of LOCKED_SETTINGS) {
    const key = SETTING_KEYS[s];
    if (!above.length) {
      open.push({ setting: key, allowed: ['@@all'], why: ['no baseline above this account'] });
      continue;
    }
    let allowed = [...OPS];
    const why = new Set<string>();
    for (const p of above) {
      const plan = plans[p]!;
      allowed = allowed.filter((o) => opsOf(plan[s]).includes(o));
      const flying = plan.inFlight.find((f) => f.setting === s);
      if (flying) why.add(`in flight: ${flying.phases.join(', ')} (${p} opens it)`);
      for (const id of exceptionsOpening(activeSorted(env, asOfFor(p)))[s]) why.add(`exception ${id}`);
    }
    if (allowed.length) open.push({ setting: key, allowed, why: [...why] });
  }
  return { above, open };
}

/** The policies each setting's effective value comes from, from the provenance of one region. */
function settingSources(provenance: readonly { path: string; policyId: string }[], region: string): EnforcementRow['from'] {
  const base = `bedrock.guardrail_inference.${region}.${CONFIG_KEY}.`;
  const paths: Record<'identifier' | LockedSetting, string> = {
    identifier: 'identifier',
    system: 'selective_content_guarding.system',
    messages: 'selective_content_guarding.messages',
    includedModels: 'model_enforcement.included_models',
    excludedModels: 'model_enforcement.excluded_models',
  };
  const out = {} as NonNullable<EnforcementRow['from']>;
  for (const [k, suffix] of Object.entries(paths) as [keyof typeof paths, string][]) {
    out[k] = [...new Set(provenance.filter((p) => p.path === base + suffix).map((p) => p.policyId))];
  }
  return out;
}

/** Enforcement of every account for one set of phase releases and the settings each phase holds. */
function enforcementFor(
  env: Environment,
  releases: PhaseReleases,
  held: EnforcementByPhase,
  asOfFor: (p: Phase) => Date,
  ids: Identifiers,
  recordedPilot: RecordedPhase | undefined,
  warnings: string[],
): AccountPreview[] {
  const snapshot: OrgSnapshot = orgSnapshotOf(env);
  // Policy names are unique per phase, so they serve as ids; same-node order = name order.
  for (const { spec } of buildOrgPolicies({
    env,
    releases,
    identifiers: (release) => ids.forRelease(release),
    asOf: asOfFor,
    enforcement: held,
  })) {
    snapshot.policies.push({ id: spec.name, content: spec.content, targets: spec.targets });
  }
  const plans = plansFor(env, held, asOfFor);
  const results = effectivePolicies(snapshot);
  const pilotRelease = releases.pilot;
  const account = accountEnforcementConfig(env, held.pilot);
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
        from: settingSources(here, e.region),
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
      .filter((i) => canonicalJson(i.value, AS_SETS) !== canonicalJson(valueAt(r.policy, i.path), AS_SETS))
      .map(
        (i) =>
          `${i.path}: ${i.operator} ${JSON.stringify(i.value)} from ${i.policyId} (on ${i.node}) blocked by a parent's child-control (allowed: ${i.allowed.join(', ') || '@@none'})`,
      );
    return {
      account: a.id,
      name: a.name,
      parent: a.parent,
      enforcement: rows,
      blocked,
      locks: accountLocks(env, snapshot, a.id, plans, asOfFor),
    };
  });
}

/** Model lists compare as sets (order carries no meaning for enforcement). */
const AS_SETS = { stringListsAsSets: true } as const;

/** One line for the open settings of an account ('-' when every setting is locked). */
export function locksText(l: AccountLocks): string {
  if (!l.above.length) return 'all (no baseline above)';
  return l.open.map((o) => `${o.setting}:${o.allowed.join('+')}`).join(' ') || '-';
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

/** Accounts above which a setting opens or closes (a lock alone changes no effective value). Only accounts enforced on both sides. */
export function diffLocks(before: AccountPreview[], after: AccountPreview[]): LockChangeRow[] {
  const prev = new Map(before.map((a) => [a.account, a]));
  const out: LockChangeRow[] = [];
  for (const a of after) {
    const b = prev.get(a.account);
    if (!b?.enforcement.length || !a.enforcement.length) continue;
    const x = locksText(b.locks);
    const y = locksText(a.locks);
    if (x !== y) out.push({ account: a.account, name: a.name, before: x, after: y });
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
  const recordedEnforcement: EnforcementByPhase = {};
  for (const p of PHASES) if (input.recorded[p]?.enforcement) recordedEnforcement[p] = input.recorded[p]!.enforcement;
  // Phases re-applied now take the environment's settings; the others keep their recorded unit's.
  const heldAfter = heldEnforcement(
    env,
    after,
    Object.fromEntries(PHASES.filter((p) => PHASES.indexOf(p) > upTo).map((p) => [p, recordedEnforcement[p]])),
  );
  const heldBefore = heldEnforcement(env, before, recordedEnforcement);
  const accounts = enforcementFor(env, after, heldAfter, asOfAfter, ids, input.recorded.pilot, warnings);
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
    childControl: locksFor('enterprise', heldAfter, active),
    childControlByPhase: plansFor(env, heldAfter, asOfAfter),
    enforcementByPhase: heldAfter,
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
    const beforeAccounts = enforcementFor(env, before, heldBefore, asOfBefore, ids, input.recorded.pilot, []);
    const changes = diffAccounts(beforeAccounts, accounts);
    result.diff = {
      totalAccounts: accounts.length,
      changedAccounts: changes.length,
      before: beforeAccounts,
      changes,
      locks: diffLocks(beforeAccounts, accounts),
    };
  }
  return result;
}
