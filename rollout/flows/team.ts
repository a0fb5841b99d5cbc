/**
 * `rollout team plan|apply|remove <id>`: one team addition (docs/team-additions.md).
 *
 *   synth team-<id> → plan → confirm/--yes → keep stack → apply
 *   → propagation (the account-level configuration is in force in the team account)
 *   → smoke in the team account: the team's cases (judged on the team guardrail) AND the
 *     baseline's must-block cases (judged on the org-enforced guardrail), so both layers apply
 *   → passed; any gate not passed rolls the stack back (the previous kept stack, or nothing).
 *
 * Only the `team-<id>` stack is planned or applied: no phase stack, no organization policy. An
 * addition expired as of --as-of synthesizes empty, so its next apply removes it. The record
 * lives beside the phases in the rollout state (`teamAdditions.<id>`); every step is in the ledger.
 */
import { UsageError } from '../../core/errors.js';
import { baselinePhaseFor, findTeamAddition, teamAdditionStatus } from '../../model/team-additions.js';
import type { Environment, Phase, SmokeCase, TeamAddition } from '../../model/types.js';
import { teamOutputKey, teamVersionName } from '../../modules/team/props.js';
import type { StackArtifact } from '../../stacks/artifact.js';
import { synthTeamStack } from '../../stacks/synth.js';
import { teamStackDeclares } from '../../stacks/team-stack.js';
import { failedChecks, runPropagation, type FailedCheck, type GateRunContext } from '../gates/index.js';
import { gateResult } from '../gates/result.js';
import { runSmokeIn } from '../gates/smoke/index.js';
import type { CheckResult, EnginePlan, GateResult } from '../state/contracts.js';
import { newAttemptId, releasesInPlace, writeJsonAtomic, type PublishedRecord, type RolloutState } from '../state/store.js';
import { planSummaryLine } from '../ui/plan-summary.js';
import type { Progress } from '../ui/progress.js';
import { withRegion } from './gate-calls.js';
import { applyStack, hasChanges, heldSettings, recordGate } from './promote.js';
import type { Session } from './session.js';
import type { Target } from './target.js';
import { targetKindFor } from './target-kind.js';
import { environmentOf, isoDate, unitDate } from './unit.js';
import { join } from 'node:path';

export const TEAM_RESULT_SCHEMA_VERSION = 1 as const;

/** What the rollout state keeps of one addition (`state.teamAdditions[id]`; the state schema keeps unknown keys). */
export interface TeamAdditionRecord {
  id: string;
  account: string;
  regions: string[];
  status: 'applying' | 'passed' | 'failed' | 'rolled-back' | 'removed';
  attemptId: string;
  /** Content hash of the definition in place (absent: nothing in place). */
  contentHash?: string;
  /** Kept stack of what is in place: a rollback re-applies exactly this. */
  stackHash?: string;
  /** The team guardrail's enforced version per region. */
  versions?: Record<string, PublishedRecord>;
  /** What was in place before the latest attempt (null: nothing). */
  previous?: { contentHash?: string; stackHash?: string; versions?: Record<string, PublishedRecord> } | null;
  appliedAt?: string;
  passedAt?: string;
  removedAt?: string;
  /** Why it was removed: `rollout team remove`, or the addition expired. */
  removedBecause?: 'removed' | 'expired';
  gates: GateResult[];
}

type WithTeams = RolloutState & { teamAdditions?: Record<string, TeamAdditionRecord> };

export function teamRecords(state: RolloutState): Record<string, TeamAdditionRecord> {
  return (state as WithTeams).teamAdditions ?? {};
}

function setRecord(st: RolloutState, rec: TeamAdditionRecord): void {
  const s = st as WithTeams;
  s.teamAdditions = { ...(s.teamAdditions ?? {}), [rec.id]: rec };
}

export interface TeamResult {
  schemaVersion: typeof TEAM_RESULT_SCHEMA_VERSION;
  kind: 'team-plan' | 'team-apply' | 'team-remove';
  ok: boolean;
  exitCode: 0 | 1;
  outcome: 'planned' | 'no-op' | 'applied' | 'removed' | 'rolled-back';
  env: string;
  addition: string;
  account: string;
  message: string;
  plan: { stack: string; planHash: string; changes: { address: string; action: string }[] };
  gates: GateResult[];
  failedChecks: FailedCheck[];
  rollback?: { to: 'previous' | 'nothing'; status: 'rolled-back' | 'failed'; gates: GateResult[] };
  record?: TeamAdditionRecord;
}

export interface TeamDeps {
  progress: Progress;
  now?: () => Date;
  /** Asked after the plan is shown, before anything changes; false cancels (exit 2). */
  confirm?: (question: string) => Promise<boolean>;
  /** How the plan is shown before the confirmation (default: one line per changed resource). */
  renderPlan?: (plan: EnginePlan) => string;
}

export function renderTeamPlan(plan: EnginePlan): string {
  const lines = [planSummaryLine(plan)];
  for (const c of plan.changes.filter((x) => x.action !== 'no-op')) lines.push(`  ${c.action.padEnd(8)} ${c.address}`);
  return lines.join('\n');
}

function additionOf(env: Environment, id: string): TeamAddition {
  const a = findTeamAddition(env, id);
  if (!a) {
    const known = (env.teamAdditions ?? []).map((x) => x.id);
    throw new UsageError(`no team addition "${id}" in environment ${env.name} (teamAdditions: ${known.join(', ') || 'none'})`);
  }
  return a;
}

function synth(s: Session, t: Target, addition: TeamAddition, mode: 'apply' | 'remove'): StackArtifact {
  const env = placedEnv(s.env, t);
  return synthTeamStack({ env, addition, asOf: s.flags.asOf, mode, target: t.placement.target, outdir: s.paths.synthOut });
}

/** The environment as the target's stacks see it (the sandbox keeps local Terraform state under the rollout home), as stacks.ts does for phases. */
function placedEnv(env: Environment, t: Target): Environment {
  const b = env.deployment.backend;
  if (!t.placement.localStateDir || b.type !== 'local' || b.directory) return env;
  return { ...env, deployment: { ...env.deployment, backend: { ...b, directory: t.placement.localStateDir } } };
}

/** The team guardrail's version per region, from the stack's outputs. */
export function teamVersionsFromOutputs(addition: TeamAddition, outputs: Record<string, unknown>): Record<string, PublishedRecord> {
  const out: Record<string, PublishedRecord> = {};
  for (const region of addition.regions) {
    const arn = outputs[teamOutputKey(region, 'arn')];
    const id = outputs[teamOutputKey(region, 'id')];
    const version = outputs[teamOutputKey(region, 'version')];
    if (typeof arn === 'string' && version !== undefined && version !== null)
      out[region] = {
        account: addition.account,
        guardrailArn: arn,
        guardrailId: typeof id === 'string' ? id : arn.split('/').pop()!,
        version: String(version),
      };
  }
  return out;
}

function planJson(plan: EnginePlan): TeamResult['plan'] {
  return {
    stack: plan.stack,
    planHash: plan.planHash,
    changes: plan.changes.filter((c) => c.action !== 'no-op').map((c) => ({ address: c.address, action: c.action })),
  };
}

/** `rollout team plan <id>`: what an apply would change; changes nothing. */
export async function teamPlan(s: Session, id: string, deps: TeamDeps, mode: 'apply' | 'remove' = 'apply'): Promise<TeamResult> {
  const addition = additionOf(s.env, id);
  const t = await deps.progress.step(`connect to ${s.env.name}`, () => s.target());
  const stack = synth(s, t, addition, mode);
  const plan = await deps.progress.step(`plan ${stack.name} (${t.engineName} engine)`, () => t.engine.plan(stack));
  const expired = teamAdditionStatus(addition, s.flags.asOf) === 'expired';
  const what = mode === 'remove' ? 'removes' : expired ? `removes (expired ${addition.expires})` : 'applies';
  return {
    schemaVersion: TEAM_RESULT_SCHEMA_VERSION,
    kind: 'team-plan',
    ok: true,
    exitCode: 0,
    outcome: 'planned',
    env: s.env.name,
    addition: id,
    account: addition.account,
    message: `${(deps.renderPlan ?? renderTeamPlan)(plan)}\nteam addition ${id} in ${addition.account}: this plan ${what} it`,
    plan: planJson(plan),
    gates: [],
    failedChecks: [],
    ...(teamRecords(await s.state())[id] ? { record: teamRecords(await s.state())[id] } : {}),
  };
}

/**
 * The gate context of the team layer: the gates' pilot rules (an account-level configuration
 * and its own guardrail, origin ACCOUNT_ENFORCED) pointed at the team account, in the
 * addition's regions, with the team's cases. `versions` undefined: nothing may be in force.
 */
function teamLayerContext(
  s: Session,
  t: Target,
  addition: TeamAddition,
  versions: Record<string, PublishedRecord> | undefined,
): GateRunContext {
  const env = s.env;
  const name = teamVersionName(addition.id);
  const view: Environment = {
    ...env,
    regions: addition.regions,
    pilot: { ...env.pilot, account: addition.account },
    phases: { ...env.phases, pilot: { ...env.phases.pilot, smoke: prefixed(addition.id, addition.smoke) } },
  };
  return {
    env: view,
    phase: 'pilot',
    release: name,
    asOf: s.flags.asOf,
    access: t.access,
    published: withRegion(versions),
    phaseStacks: versions ? { pilot: { release: name } } : {},
    phaseEnforcement: { pilot: env.enforcement },
  };
}

/** Case ids carry their layer (`<addition>.<case>`, `<phase>.<case>`), so the two suites never collide in one gate. */
function prefixed(prefix: string, cases: readonly SmokeCase[]): SmokeCase[] {
  return cases.map((c) => ({ ...c, id: `${prefix}.${c.id}` }));
}

/**
 * The baseline layer in the team account: the phase whose organization policy reaches it, the
 * unit it holds, and that phase's must-block cases (judged on the org-enforced guardrail of its
 * release). Undefined when no baseline phase reaches the account yet.
 */
function baselineContext(
  s: Session,
  t: Target,
  state: RolloutState,
  addition: TeamAddition,
): { ctx: GateRunContext; cases: SmokeCase[]; phase: Phase } | undefined {
  const releases = releasesInPlace(state);
  const phase = baselinePhaseFor(s.env, addition.account, new Set(Object.keys(releases) as Phase[]));
  if (!phase) return undefined;
  const rec = state.phases[phase]!;
  const release = rec.release!;
  const asOf = rec.unit ? unitDate(rec.unit) : s.flags.asOf;
  const unitEnv = environmentOf(s.env, rec.unit, asOf);
  const env: Environment = { ...unitEnv, regions: addition.regions };
  const phaseStacks: GateRunContext['phaseStacks'] = {};
  for (const [p, r] of Object.entries(releases) as [Phase, string][]) phaseStacks[p] = { release: r };
  const ctx: GateRunContext = {
    env,
    phase,
    release,
    asOf,
    access: t.access,
    published: withRegion(state.published[release]),
    publishedByRelease: Object.fromEntries(Object.keys(state.published).map((r) => [r, withRegion(state.published[r])])),
    phaseStacks,
    phaseEnforcement: heldSettings(state),
  };
  const cases = prefixed(
    phase,
    unitEnv.phases[phase].smoke.filter((c) => c.expect === 'blocked'),
  );
  return { ctx, cases, phase };
}

/** Both layers' cases in the team account, as one smoke gate (checks with the same id, e.g. model-catalogue checks, once). */
async function layeredSmoke(s: Session, t: Target, addition: TeamAddition, versions: Record<string, PublishedRecord>): Promise<GateResult> {
  const startedAt = new Date();
  const team = await runSmokeIn(teamLayerContext(s, t, addition, versions), [addition.account], prefixed(addition.id, addition.smoke));
  const base = baselineContext(s, t, await s.state(), addition);
  const checks: CheckResult[] = [...team.checks];
  let summary = `team layer: ${team.summary}`;
  if (base) {
    const b = await runSmokeIn(base.ctx, [addition.account], base.cases);
    checks.push(...b.checks);
    summary += `; baseline layer (${base.phase}, ${base.ctx.release}): ${b.summary}`;
  } else {
    // Nothing to show: no baseline phase reaches the account, so the addition is the only layer there.
    checks.push({
      id: `smoke:baseline@${addition.account}`,
      status: 'passed',
      account: addition.account,
      detail: 'skipped: no baseline phase reaches this account yet (promote the baseline first to verify both layers)',
      evidence: { skipped: true },
    });
    summary += '; baseline layer: none reaches this account yet';
  }
  const seen = new Set<string>();
  const unique = checks.filter((c) => !seen.has(c.id) && seen.add(c.id));
  const r = gateResult('smoke', startedAt, unique);
  r.summary = `${r.summary} — ${summary}`;
  return r;
}

/** `rollout team apply <id>` (mode apply) or `rollout team remove <id>` (mode remove). */
export async function teamApply(s: Session, id: string, deps: TeamDeps, mode: 'apply' | 'remove' = 'apply'): Promise<TeamResult> {
  const { progress } = deps;
  const now = deps.now ?? (() => new Date());
  const addition = additionOf(s.env, id);
  // As for promote: a back-dated apply against AWS would bring back an addition that has expired.
  if (targetKindFor(s.env, s.flags) === 'aws' && isoDate(s.flags.asOf) < isoDate(now()))
    throw new UsageError(
      `--as-of ${isoDate(s.flags.asOf)} is before today (${isoDate(now())}): an earlier date would re-apply a team addition that has expired (the sandbox may rehearse any date)`,
    );
  const t = await progress.step(`connect to ${s.env.name}`, () => s.target());
  const stack = synth(s, t, addition, mode);
  const declares = teamStackDeclares({ addition, asOf: s.flags.asOf, mode });
  const expired = mode === 'apply' && !declares;
  const plan = await progress.step(`plan ${stack.name} (${t.engineName} engine)`, () => t.engine.plan(stack));
  const kind = mode === 'remove' ? 'team-remove' : 'team-apply';
  const result = (r: Omit<TeamResult, 'schemaVersion' | 'kind' | 'env' | 'addition' | 'account' | 'plan'>): TeamResult => ({
    schemaVersion: TEAM_RESULT_SCHEMA_VERSION,
    kind,
    env: s.env.name,
    addition: id,
    account: addition.account,
    plan: planJson(plan),
    ...r,
  });
  const before = teamRecords(await s.state())[id];
  const inPlace = declares
    ? before?.status === 'passed' && before.contentHash === addition.contentHash
    : !before || before.status === 'removed' || !before.stackHash;
  if (!hasChanges(plan) && inPlace) {
    return result({
      ok: true,
      exitCode: 0,
      outcome: 'no-op',
      message: `team addition ${id} is ${declares ? 'in place' : 'not deployed'} in ${addition.account}: nothing to do`,
      gates: [],
      failedChecks: [],
      ...(before ? { record: before } : {}),
    });
  }

  const attemptId = newAttemptId();
  const base = { attemptId, stack: stack.name };
  await s.ledger.appendOnce({
    env: s.env.name,
    kind: 'plan',
    ...base,
    planHash: plan.planHash,
    changes: plan.changes.filter((c) => c.action !== 'no-op').length,
    summary: `team addition ${id} (${addition.account}, owner ${addition.owner}): ${mode === 'remove' ? 'remove' : expired ? `remove, expired ${addition.expires}` : 'apply'}`,
    key: `${attemptId}:plan:${stack.name}:${plan.planHash}`,
  });
  if (!s.flags.json) progress.info((deps.renderPlan ?? renderTeamPlan)(plan));
  const question = declares ? `Apply team addition ${id} to ${addition.account}?` : `Remove team addition ${id} from ${addition.account}?`;
  if (!s.flags.yes && !(await (deps.confirm ?? (async () => false))(question))) throw new UsageError('cancelled: nothing was applied');

  // Kept before the apply: a later rollback to this addition re-applies exactly this stack.
  const stackHash = await s.store.keepStack(stack.json);
  // A run cut off mid-apply left `applying`: what it replaced is still the state to return to.
  const previous =
    before?.status === 'applying'
      ? (before.previous ?? null)
      : before && before.status !== 'removed' && before.stackHash
        ? { contentHash: before.contentHash, stackHash: before.stackHash, versions: before.versions }
        : null;
  await s.updateState((st) => {
    setRecord(st, {
      id,
      account: addition.account,
      regions: [...addition.regions],
      status: 'applying',
      attemptId,
      ...(before?.contentHash ? { contentHash: before.contentHash } : {}),
      previous,
      gates: [],
    });
  });
  const outputs = await progress.step(`apply ${stack.name}`, () => applyStack(s, t, stack, plan, base));
  const versions = declares ? teamVersionsFromOutputs(addition, outputs) : undefined;
  const appliedAt = now().toISOString();

  const gates: GateResult[] = [];
  const propagation = await progress.step('gate: propagation (account-level configuration in the team account)', () =>
    runPropagation(teamLayerContext(s, t, addition, versions)),
  );
  gates.push(propagation);
  await recordGate(s, propagation, base, progress);
  if (propagation.status === 'passed' && declares) {
    const smoke = await progress.step('gate: smoke (team cases + baseline must-block cases in the team account)', () =>
      layeredSmoke(s, t, addition, versions ?? {}),
    );
    gates.push(smoke);
    await recordGate(s, smoke, base, progress);
  }

  if (gates.some((g) => g.status !== 'passed')) return haltAndRollBack(s, t, addition, stack, previous, attemptId, gates, deps, result);

  const record = (await s.updateState((st) => {
    setRecord(
      st,
      declares
        ? {
            id,
            account: addition.account,
            regions: [...addition.regions],
            status: 'passed',
            attemptId,
            contentHash: addition.contentHash,
            stackHash,
            versions: versions ?? {},
            previous,
            appliedAt,
            passedAt: now().toISOString(),
            gates,
          }
        : {
            id,
            account: addition.account,
            regions: [...addition.regions],
            status: 'removed',
            attemptId,
            stackHash,
            previous,
            appliedAt,
            removedAt: now().toISOString(),
            removedBecause: expired ? 'expired' : 'removed',
            gates,
          },
    );
  })) as WithTeams;
  const alone = gates.some((g) => g.checks.some((c) => c.id === `smoke:baseline@${addition.account}`));
  const message = declares
    ? `team addition ${id} is in force in ${addition.account} (${addition.regions.join(', ')}), ${alone ? 'the only enforced layer there: no baseline phase reaches the account yet' : 'layered under the organization baseline'}`
    : expired
      ? `team addition ${id} expired on ${addition.expires}: removed from ${addition.account}`
      : `team addition ${id} removed from ${addition.account}`;
  await s.ledger.append({
    env: s.env.name,
    kind: declares ? 'promoted' : 'rollback',
    ...base,
    status: declares ? 'passed' : 'removed',
    summary: message,
  });
  return result({
    ok: true,
    exitCode: 0,
    outcome: declares ? 'applied' : 'removed',
    message,
    gates,
    failedChecks: [],
    record: teamRecords(record)[id],
  });
}

/**
 * A gate did not pass: the previous kept stack of the addition is re-applied byte for byte (or
 * the stack is emptied when nothing was in place), then propagation re-verifies that state.
 */
async function haltAndRollBack(
  s: Session,
  t: Target,
  addition: TeamAddition,
  applied: StackArtifact,
  previous: TeamAdditionRecord['previous'],
  attemptId: string,
  gates: GateResult[],
  deps: TeamDeps,
  result: (r: Omit<TeamResult, 'schemaVersion' | 'kind' | 'env' | 'addition' | 'account' | 'plan'>) => TeamResult,
): Promise<TeamResult> {
  const { progress } = deps;
  const failed = failedChecks(gates);
  const base = { attemptId, stack: applied.name };
  const to = previous?.stackHash ? 'previous' : 'nothing';
  progress.info(
    `halted: ${failed.length} check(s) did not pass; rolling ${applied.name} back to ${to === 'previous' ? 'what was in place before' : 'nothing'}`,
  );
  await s.ledger.append({
    env: s.env.name,
    kind: 'halted',
    ...base,
    summary: `team addition ${addition.id} halted on ${[...new Set(failed.map((f) => f.gate))].join(', ')}`,
    detail: failed.map((f) => f.id),
  });
  let stack: StackArtifact;
  if (previous?.stackHash) {
    const json = await s.store.keptStack(previous.stackHash);
    const dir = join(s.paths.synthOut, 'stacks', applied.name);
    const file = join(dir, 'cdk.tf.json');
    await writeJsonAtomic(file, json);
    stack = { name: applied.name, dir, file, json };
  } else stack = synth(s, t, addition, 'remove');
  const plan = await progress.step(`plan rollback of ${stack.name}`, () => t.engine.plan(stack));
  await applyStack(s, t, stack, plan, base);
  await s.ledger.append({
    env: s.env.name,
    kind: 'rollback',
    ...base,
    planHash: plan.planHash,
    summary: `gate failure of team addition ${addition.id}`,
  });
  const verify = await progress.step('gate: propagation (rolled-back state)', () =>
    runPropagation(teamLayerContext(s, t, addition, previous?.versions)),
  );
  await recordGate(s, verify, base, progress);
  const ok = verify.status === 'passed';
  const record = (await s.updateState((st) => {
    setRecord(st, {
      id: addition.id,
      account: addition.account,
      regions: [...addition.regions],
      status: ok ? 'rolled-back' : 'failed',
      attemptId,
      ...(previous?.contentHash ? { contentHash: previous.contentHash } : {}),
      ...(previous?.stackHash ? { stackHash: previous.stackHash } : {}),
      ...(previous?.versions ? { versions: previous.versions } : {}),
      previous,
      gates,
    });
  })) as WithTeams;
  const lines = failed.map((f) => `  ✖ ${f.gate} ${f.id}: ${f.detail}`);
  return result({
    ok: false,
    exitCode: 1,
    outcome: 'rolled-back',
    message: [
      `team addition ${addition.id} halted in ${addition.account}; rolled back to ${to} (${ok ? 'rolled-back' : 'failed'}). Failed checks:`,
      ...lines,
    ].join('\n'),
    gates,
    failedChecks: failed,
    rollback: { to, status: ok ? 'rolled-back' : 'failed', gates: [verify] },
    record: teamRecords(record)[addition.id],
  });
}
