/**
 * `rollout promote <phase>`: the gated rollout of one release into one phase.
 *
 *   rules → synth (guardrails + this phase) → plan both → reviewer report → approval
 *   → apply guardrails (publishing is not enforcement) → record published versions
 *   → preflight gate → apply the phase → smoke + effective-policy gates → bake → passed
 *
 * Any gate not `passed` halts: the phase is rolled back to the release it held before
 * (or emptied), the rolled-back state is re-verified, and the verb exits 1 naming each failed
 * check. Only the `guardrails` stack and this phase's stack are touched.
 * State records `applying` before and `applied` after the phase apply, so a re-run after a
 * crash resumes the same attempt: re-plans (a no-op if the apply landed), re-gates, and never
 * records `passed` without gate evidence.
 */
import type { Phase } from '../../model/types.js';
import { UsageError } from '../../core/errors.js';
import { gateContext, plannedPoliciesOf } from './gate-calls.js';
import {
  approvalGate,
  effectivePolicyGate,
  failedChecks,
  mergeSnapshots,
  gateDeadlineMs,
  preflightGate,
  propagationGate,
  readEnforcementSnapshot,
  runGateWithDeadline,
  runPostApplyGates,
  type EnforcementSnapshot,
  type FailedCheck,
} from '../gates/index.js';
import type { LedgerInput } from '../state/ledger.js';
import { bakeUntil, decidePromotion, heldAfter, phaseHistory, withHeld, withoutAttempt, type CandidateUnit } from '../state/promotion.js';
import { silentProgress, type Progress } from '../ui/progress.js';
import { planSummaryLine } from '../ui/plan-summary.js';
import { buildPlanReport, renderPlanMarkdown, type PlanReport } from '../report/report.js';
import { effectiveDiff } from '../report/effective-diff.js';
import type { Session } from './session.js';
import { releasesInPlace, newAttemptId, writeJsonAtomic, type PhaseRecord, type RolloutState, type UnitRecord } from '../state/store.js';
import { candidateUnit, environmentOf, refuseBackdatedPromote, unitDate } from './unit.js';
import { unitChanges } from '../../model/unit.js';
import { semanticDiff } from '../report/semantic-diff.js';
import { recordWeakeningAccepted, refuseUnacceptedWeakening } from './weakening.js';
import { join } from 'node:path';
import { synthOne, synthPhase, versionsFromOutputs } from './stacks.js';
import { relockPlan, type EnforcementByPhase } from '../../policy/index.js';
import { PHASES } from '../../model/types.js';
import { engineFor, targetKindFor, type Target } from './target.js';
import type { EnginePlan, GateResult } from '../state/contracts.js';
import type { StackArtifact } from '../../stacks/artifact.js';
import { confirm } from '../ui/prompt.js';
import { currentActor } from '../state/ledger.js';
import { plannedNow, refuseUnlessReviewed, refuseUnlessReviewedNoOp } from './plan-binding.js';
import type { ReviewedPlan } from './plan-file.js';
import { evaluateBake, waitOutBake, type BakeClock } from './bake.js';
import { exceptionsExpiringEvent, gateFailedEvent, promotionStartedEvent, resultEvents } from '../notify/index.js';
import { EXPIRY_WARNING_DAYS } from '../../model/exceptions.js';
import { adoptedSnapshot, settleAdopted } from './adopt/state.js';
import { carryAdopted, dropAdoptedBeforeRollback } from './adopt/carry.js';

export const RESULT_SCHEMA_VERSION = 1 as const;

export type Outcome = 'promoted' | 'baking' | 'no-op' | 'bake-finished' | 'halted' | 'rolled-back' | 'verified' | 'verify-failed';

export interface RolloutResult {
  schemaVersion: typeof RESULT_SCHEMA_VERSION;
  kind: 'promote' | 'rollback' | 'verify';
  ok: boolean;
  exitCode: 0 | 1;
  outcome: Outcome;
  env: string;
  phase: Phase;
  release: string | null;
  /** The promoted unit (label, hash) this verb acted on. */
  unit?: { label: string; hash: string } | null;
  attemptId?: string;
  message: string;
  report?: PlanReport;
  gates: GateResult[];
  failedChecks: FailedCheck[];
  rollback?: { to: string | null; toUnit: string | null; status: 'rolled-back' | 'failed'; gates: GateResult[] };
  phaseState?: PhaseRecord;
}

export interface FlowDeps {
  progress: Progress;
  now?: () => Date;
  /** promote --plan: apply only exactly this reviewed plan (rollout/flows/plan-binding.ts). */
  reviewed?: ReviewedPlan;
  /** Clock and sleep of `--wait-bake` (default the real ones). */
  clock?: BakeClock;
  /** How the plan is shown before the confirmation (the CLI renders for a terminal); default the markdown report. */
  renderPlan?: (report: PlanReport) => string;
}

/** Test hook (documented in docs/rollout.md): ROLLOUT_TEST_CRASH_AFTER=apply|apply-unrecorded|rollback-apply kills the process there. */
function crashHook(point: 'apply' | 'apply-unrecorded' | 'rollback-apply'): void {
  if (process.env.ROLLOUT_TEST_CRASH_AFTER === point) process.kill(process.pid, 'SIGKILL');
}

export const hasChanges = (p: EnginePlan) => p.changes.some((c) => c.action !== 'no-op');

/** Plans and, when it changes anything, applies one stack; ledger entries are idempotent per attempt. */
export async function applyStack(
  s: Session,
  t: Target,
  stack: StackArtifact,
  plan: EnginePlan,
  base: Omit<LedgerInput, 'kind' | 'env'>,
): Promise<Record<string, unknown>> {
  if (!hasChanges(plan)) return t.engine.outputs(stack.name);
  const result = await t.engine.apply(stack, plan);
  await s.ledger.appendOnce({
    ...base,
    env: s.env.name,
    kind: 'apply',
    stack: stack.name,
    planHash: plan.planHash,
    changes: plan.changes.filter((c) => c.action !== 'no-op').length,
    key: `${base.attemptId}:apply:${stack.name}:${plan.planHash}`,
  });
  return result.outputs;
}

/** Shows a gate's result and records it in the ledger (with the ids of what did not pass). */
export async function recordGate(
  s: Session,
  g: GateResult,
  /** What the gate's ledger entry is about (attempt, phase, release, unit; a team stack's name). */
  base: Omit<LedgerInput, 'kind' | 'env' | 'gate' | 'status' | 'summary' | 'detail'>,
  progress: Progress,
): Promise<void> {
  progress.gate(g);
  const failed = gateFailedEvent(g, { phase: base.phase, release: base.release ?? undefined, unit: base.unit, attemptId: base.attemptId });
  if (failed) s.notifier.emit(failed);
  await s.ledger.append({
    env: s.env.name,
    kind: 'gate',
    ...base,
    gate: g.gate,
    status: g.status,
    summary: g.summary,
    detail: failedChecks([g]).map((f) => f.id),
  });
}

/** Enforcement settings of the unit each phase holds (policy/locks.ts), with `phase` set to `unit` (null: holds nothing). */
export function heldSettings(
  state: RolloutState,
  change?: { phase: Phase; unit: Pick<UnitRecord, 'enforcement'> | null },
): EnforcementByPhase {
  const out: EnforcementByPhase = {};
  for (const p of PHASES) {
    const u = state.phases[p]?.unit;
    if (u) out[p] = u.enforcement;
  }
  if (change) {
    if (change.unit) out[change.phase] = change.unit.enforcement;
    else delete out[change.phase];
  }
  return out;
}

/**
 * What every phase recorded as in place after its last apply or rollback, for preflight's drift
 * check (content, targets, account-level configurations). Phases holding something without a
 * record (state written before records existed) are listed as unrecorded, judged by name.
 */
export function recordedEnforcement(state: RolloutState): EnforcementSnapshot {
  // Adopted objects first: the owning phase's own record, once it has one, wins for the same id.
  const records: EnforcementSnapshot[] = [adoptedSnapshot(state)];
  const unrecorded: Phase[] = [];
  for (const p of PHASES) {
    const rec = state.phases[p];
    if (rec?.recorded) records.push(rec.recorded as EnforcementSnapshot);
    else if (rec?.release) unrecorded.push(p);
  }
  const merged = mergeSnapshots(records);
  return unrecorded.length ? { ...merged, unrecordedPhases: [...new Set([...(merged.unrecordedPhases ?? []), ...unrecorded])] } : merged;
}

/**
 * Reads back what `phases` now enforce and records it on each (after an apply or a rollback).
 * A read that fails (e.g. a member role that cannot be assumed) never aborts the apply or the
 * rollback it follows: the phases' records are dropped instead, so the next preflight judges
 * their objects by name (as for state without records) and says so.
 */
async function recordEnforcement(s: Session, t: Target, phases: readonly Phase[], progress: Progress): Promise<void> {
  let snaps: (readonly [Phase, EnforcementSnapshot])[] | undefined;
  let failure: unknown;
  try {
    snaps = await progress.step(`record what ${phases.join(', ')} enforce${phases.length === 1 ? 's' : ''} now`, async () =>
      Promise.all(phases.map(async (phase) => [phase, await readEnforcementSnapshot(t.access, s.env, { phase })] as const)),
    );
  } catch (err) {
    failure = err;
    progress.info(
      `could not record what ${phases.join(', ')} enforce (${(err as Error).message}); preflight will judge them by name until the next apply`,
    );
  }
  await s.updateState((st) => {
    for (const phase of phases) {
      const rec = st.phases[phase];
      if (!rec) continue;
      const snap = snaps?.find(([p]) => p === phase)?.[1];
      if (snap && !failure) rec.recorded = snap;
      else delete rec.recorded;
      // What this phase's apply took over and now records is judged by that record, no longer as
      // adopted; a rollback (of an apply that never happened) leaves it adopted, as it was found.
      if (snap && !failure && rec.status !== 'rolling-back') settleAdopted(st, phase, snap);
    }
  });
}

/** A wider phase re-applied for its locks (docs/policy-engine.md): its own unit, the new lock state. */
export interface RelockStack {
  phase: Phase;
  stack: StackArtifact;
  plan: EnginePlan;
  /** before: it opens a lock the change needs; after: a lock the change no longer needs closes. */
  when: 'before' | 'after';
}

/**
 * Wider org phases whose policies must open (before the change) or close (after it) a lock when
 * `phase` goes from what `state` records to `next`: synthesized from each one's own unit, planned.
 */
async function relockStacks(
  s: Session,
  t: Target,
  state: RolloutState,
  phase: Phase,
  next: Pick<UnitRecord, 'enforcement'> | null,
  releases: Partial<Record<Phase, string>>,
  outdir: string,
): Promise<RelockStack[]> {
  const after = heldSettings(state, { phase, unit: next });
  const plan = relockPlan(heldSettings(state), after);
  const out: RelockStack[] = [];
  for (const [when, phases] of [
    ['before', plan.first],
    ['after', plan.after],
  ] as const) {
    for (const p of phases) {
      const own = state.phases[p]?.unit;
      if (p === phase || !own || !releases[p]) continue;
      const asOf = unitDate(own);
      const stack = synthOne({
        env: environmentOf(s.env, own, asOf),
        outdir,
        releases,
        phase: p,
        asOf,
        enforcement: after,
        placement: t.placement,
      });
      out.push({ phase: p, stack, plan: await t.engine.plan(stack), when });
    }
  }
  return out;
}

/** Applies the relock stacks of one side and records each phase's new kept stack (its unit is unchanged). */
async function applyRelocks(
  s: Session,
  t: Target,
  relocks: RelockStack[],
  when: RelockStack['when'],
  base: Omit<LedgerInput, 'kind' | 'env'>,
  progress: Progress,
): Promise<void> {
  for (const r of relocks.filter((x) => x.when === when && hasChanges(x.plan))) {
    await progress.step(`apply ${r.phase} stack (${when === 'before' ? 'open' : 'close'} locks for the settings in flight)`, () =>
      applyStack(s, t, r.stack, r.plan, base),
    );
    const stackHash = await s.store.keepStack(r.stack.json);
    await s.updateState((st) => {
      const rec = st.phases[r.phase];
      if (rec?.unit) rec.unit.stackHash = stackHash;
    });
  }
}

/** Plans the stacks of a phase change (and the wider phases whose locks move) and builds the reviewer report (no changes made). */
export async function planPhaseChange(
  s: Session,
  t: Target,
  state: RolloutState,
  phase: Phase,
  unit: CandidateUnit,
  outdir: string,
  progress: Progress,
): Promise<{
  stacks: ReturnType<typeof synthPhase>;
  plans: EnginePlan[];
  relocks: RelockStack[];
  report: PlanReport;
  releases: Partial<Record<Phase, string>>;
  held: EnforcementByPhase;
}> {
  const release = unit.release.name;
  const before = releasesInPlace(state);
  const releases = { ...before, [phase]: release };
  const current = state.phases[phase]?.release ?? null;
  const held = heldSettings(state, { phase, unit });
  // The phase stack is synthesized from the unit (its settings and exceptions), not from whatever
  // else the environment file holds.
  const stacks = await progress.step(`synthesize guardrails + ${phase} stacks`, async () =>
    synthPhase({
      env: environmentOf(s.env, unit, s.flags.asOf),
      outdir,
      releases,
      phase,
      keepPublished: [current, ...Object.keys(state.published)],
      asOf: s.flags.asOf,
      enforcement: held,
      placement: t.placement,
    }),
  );
  // Objects `rollout adopt` took over for this phase: imported (terraform) or in the engine state (sandbox).
  await carryAdopted(t, s.env, state, phase, stacks.phase);
  const { plans, relocks } = await progress.step(`plan (${t.engineName} engine)`, async (note) => {
    const main = [await t.engine.plan(stacks.guardrails), await t.engine.plan(stacks.phase)];
    const moved = await relockStacks(s, t, state, phase, unit, releases, outdir);
    for (const p of [...main, ...moved.map((r) => r.plan)]) note(planSummaryLine(p));
    return { plans: main, relocks: moved };
  });
  const report = buildPlanReport({
    env: s.env,
    phase,
    release,
    currentRelease: current,
    asOf: s.flags.asOf,
    engine: t.engineName,
    state,
    plans: [...plans, ...relocks.map((r) => r.plan)],
    effective: effectiveDiff(environmentOf(s.env, unit, s.flags.asOf), state, before, releases, s.flags.asOf, {
      before: heldSettings(state),
      after: held,
    }),
    unit: { label: unit.label, hash: unit.hash, changes: unitChanges(state.phases[phase]?.unit, unit) },
    semantic: semanticDiff(s.env, state.phases[phase]?.unit, unit),
  });
  return { stacks, plans, relocks, report, releases, held };
}

/** `rollout promote <phase>`; its outcome is also notified (rollout/notify). */
export async function promote(s: Session, phase: Phase, deps: FlowDeps): Promise<RolloutResult> {
  const days = s.env.notifications?.exceptionsExpiringWithinDays;
  const expiring = s.notifier.enabled ? exceptionsExpiringEvent(s.env, s.flags.asOf, days ?? EXPIRY_WARNING_DAYS) : undefined;
  if (expiring) s.notifier.emit(expiring);
  const r = await promoteUnit(s, phase, deps);
  for (const e of resultEvents(r)) s.notifier.emit(e);
  return r;
}

async function promoteUnit(s: Session, phase: Phase, deps: FlowDeps): Promise<RolloutResult> {
  const { progress } = deps;
  const now = deps.now ?? (() => new Date());
  const release = s.release;
  const env = s.env;
  refuseBackdatedPromote(s.flags.asOf, targetKindFor(env, s.flags), now());
  const unit = candidateUnit(env, release, phase, s.flags.asOf);
  const unitEnv = environmentOf(env, unit, s.flags.asOf);
  let state = await s.state();
  const interrupted = state.phases[phase];
  if (interrupted?.status === 'rolling-back') {
    // A rollback was cut off (killed, lost runner): finish it before anything else, to where it was going.
    const t = await progress.step(`connect to ${env.name}`, () => s.target());
    progress.info(`${phase} was left rolling back (attempt ${interrupted.attemptId}); completing that rollback first`);
    await rollBackPhase(
      s,
      t,
      phase,
      interrupted.rollbackTo ?? { unit: interrupted.previousUnit ?? null, release: interrupted.previousRelease },
      interrupted.attemptId,
      'completing an interrupted rollback',
      deps,
    );
    state = await s.state();
  }
  const base = {
    schemaVersion: RESULT_SCHEMA_VERSION,
    kind: 'promote' as const,
    env: env.name,
    phase,
    release,
    unit: { label: unit.label, hash: unit.hash },
  };

  let decision = decidePromotion(state, phase, unit, now(), { toOlder: s.flags.toOlder });
  if (decision.kind === 'refused') throw new UsageError(decision.reason);
  const noOp = () => ({
    ...base,
    ok: true,
    exitCode: 0 as const,
    outcome: 'no-op' as const,
    message: (decision as { reason: string }).reason,
    gates: [],
    failedChecks: [],
    phaseState: state.phases[phase],
  });

  const t = await progress.step(
    `connect to ${env.name} (${engineFor(env, s.flags)} engine${s.flags.sandboxEndpoint ? ` at ${s.flags.sandboxEndpoint}` : ''})`,
    () => s.target(),
  );
  if (decision.kind === 'no-op') {
    // In place (passed, or gated and still baking) — unless its stack changed since (e.g. an
    // exception expired) or what is deployed did (the plan refreshes: an object deleted outside
    // rollout is re-created): then the same release is re-applied and re-gated. Recorded state
    // alone never concludes "already in place".
    const { plans, relocks } = await planPhaseChange(s, t, state, phase, unit, s.paths.synthOut, silentProgress);
    if (![...plans, ...relocks.map((r) => r.plan)].some(hasChanges)) {
      if (deps.reviewed)
        refuseUnlessReviewedNoOp(deps.reviewed, plannedNow({ unit, asOf: s.flags.asOf, engine: t.engineName, plans, relocks }));
      return noOp();
    }
    progress.info(
      `${unit.label} is in place on ${phase}, but its stacks changed since it was applied (${plans
        .filter(hasChanges)
        .map((p) => p.stack)
        .join(', ')}): re-applying`,
    );
    decision = { kind: 'proceed', resume: false, previous: state.phases[phase]?.unit ?? null };
  }

  // A previous phase whose gates passed and whose bake time is over: run its bake gate first.
  const bakePhase = decision.kind === 'finish-bake' ? decision.phase : decision.finishBakeOf;
  if (bakePhase) {
    const bake = await finishBake(s, t, bakePhase, release, deps);
    // State from before units were recorded cannot name the unit to roll back from: it halts only.
    if (bake.status === 'failed' && (await s.state()).phases[bakePhase]?.unit) return rollBackBaked(s, t, bakePhase, bake, deps);
    if (bake.status !== 'passed') {
      return {
        ...base,
        phase: bakePhase,
        ok: false,
        exitCode: 1,
        outcome: 'halted',
        message: `bake gate of ${bakePhase} did not pass for ${release}: ${bake.summary}; run \`rollout verify ${bakePhase}\` or \`rollout rollback ${bakePhase}\``,
        gates: [bake],
        failedChecks: failedChecks([bake]),
      };
    }
    state = await s.state();
    if (decision.kind === 'finish-bake') {
      return {
        ...base,
        ok: true,
        exitCode: 0,
        outcome: 'bake-finished',
        message: `${release} passed ${phase} (bake time over)`,
        gates: [bake],
        failedChecks: [],
        phaseState: state.phases[phase],
      };
    }
  }

  if (decision.kind !== 'proceed') throw new Error('unreachable');
  if (decision.note) progress.info(decision.note);
  const attemptId = decision.resume ? decision.attemptId : newAttemptId();
  const previous = decision.previous;
  // Before anything is recorded or applied: a weakening unit needs --accept-weakening.
  const weakening = refuseUnacceptedWeakening(env, phase, previous, unit, s.flags.acceptWeakening);
  const previousRelease = previous?.release.name ?? null;
  // Every entry of a --plan attempt (plan, approval, apply, gates) names the reviewed plan file it was bound to.
  const entry = { attemptId, phase, release, unit: unit.hash, ...(deps.reviewed ? { reviewedPlan: deps.reviewed.plan.planFileHash } : {}) };
  if (decision.resume) {
    progress.info(
      `resuming attempt ${attemptId}: ${release} was left ${state.phases[phase]?.status} on ${phase}; re-planning and re-gating`,
    );
    await s.ledger.append({ env: env.name, kind: 'resume', ...entry, summary: `resumed after status ${state.phases[phase]?.status}` });
  }
  if (weakening.length && s.flags.acceptWeakening) await recordWeakeningAccepted(s, entry, weakening, s.flags.acceptWeakening);
  if (decision.older) {
    // Once per attempt, like the weakening acknowledgement: the deliberate step back, who and why.
    await s.ledger.appendOnce({
      env: env.name,
      kind: 'to-older-accepted',
      ...entry,
      summary: decision.older.reason,
      detail: decision.older,
      key: `${attemptId}:to-older-accepted`,
    });
  }

  const { stacks, plans, relocks, report, releases, held } = await planPhaseChange(s, t, state, phase, unit, s.paths.synthOut, progress);
  // Held to the reviewed plan before anything is kept, recorded or applied.
  if (deps.reviewed) refuseUnlessReviewed(deps.reviewed, plannedNow({ unit, asOf: s.flags.asOf, engine: t.engineName, plans, relocks }));
  // Kept before anything is applied: a later rollback to this unit re-applies exactly this stack.
  const unitRecord: UnitRecord = { ...unit, stackHash: await s.store.keepStack(stacks.phase.json) };
  const [gPlan, pPlan] = plans;
  for (const p of plans) {
    await s.ledger.appendOnce({
      env: env.name,
      kind: 'plan',
      ...entry,
      stack: p.stack,
      planHash: p.planHash,
      changes: p.changes.filter((c) => c.action !== 'no-op').length,
      key: `${attemptId}:plan:${p.stack}:${p.planHash}`,
    });
  }
  if (!s.flags.json) progress.info((deps.renderPlan ?? renderPlanMarkdown)(report));

  // Approval (where configured) and the interactive confirmation happen before any change.
  const results: GateResult[] = [];
  if (env.phases[phase].approval) {
    const g = await approvalGate.run({
      env,
      phase,
      release,
      approve: s.flags.approve,
      interactive: !s.flags.yes,
      prompt: confirm,
      approver: currentActor(),
    });
    progress.gate(g);
    if (g.status !== 'passed') throw new UsageError(`${g.checks[0]?.detail ?? g.summary}; nothing was applied`);
    await s.ledger.append({
      env: env.name,
      kind: 'approval',
      ...entry,
      status: g.status,
      summary: g.checks[0]?.detail ?? g.summary,
      planHash: pPlan.planHash,
    });
    results.push(g);
  } else if (!s.flags.yes && !(await confirm(`Apply ${unit.label} to ${phase}?`))) {
    throw new UsageError('cancelled: nothing was applied');
  }

  s.notifier.emit(promotionStartedEvent({ phase, release, unit: unit.hash, attemptId }));
  // Publishing: the guardrail versions of every release in use (not enforcement yet).
  await s.updateState((st) => {
    st.phases[phase] = {
      ...recordBase(st.phases[phase], unitRecord, attemptId, previous),
      status: 'applying',
      planHash: pPlan.planHash,
      guardrailsPlanHash: gPlan.planHash,
      gates: [],
    };
  });
  const gOutputs = await progress.step('apply guardrails stack (publish versions)', () =>
    applyStack(s, t, stacks.guardrails, gPlan, entry),
  );
  state = await s.updateState((st) => {
    for (const r of new Set([...Object.values(releases), previousRelease].filter((x): x is string => Boolean(x)))) {
      const v = versionsFromOutputs(env, gOutputs, r, env.managementAccountId);
      if (Object.keys(v).length) st.published[r] = { ...st.published[r], ...v };
    }
  });

  const halt = (g: GateResult[]) => haltAndRollBack(s, t, phase, unit, attemptId, previous, [...results, ...g], report, deps);

  // Preflight sees what the phase stack about to be applied declares (e.g. an expired
  // exception's policy that this enterprise apply removes).
  const preflight = await progress.step('gate: preflight', () =>
    runGateWithDeadline(
      preflightGate,
      {
        ...gateContext(s, t, state, phase, release, releases, { env: unitEnv, phaseEnforcement: held }),
        plannedPolicies: plannedPoliciesOf(stacks.phase),
        recorded: recordedEnforcement(state),
      },
      gateDeadlineMs(t.kind),
    ),
  );
  await recordGate(s, preflight, entry, progress);
  results.push(preflight);
  if (preflight.status !== 'passed') return halt([]);

  await applyRelocks(s, t, relocks, 'before', entry, progress);
  const pOutputs = await progress.step(`apply ${phase} stack`, () => applyStack(s, t, stacks.phase, pPlan, entry));
  await applyRelocks(s, t, relocks, 'after', entry, progress);
  await recordEnforcement(s, t, [phase, ...relocks.filter((r) => hasChanges(r.plan)).map((r) => r.phase)], progress);
  crashHook('apply-unrecorded');
  const appliedAt = now().toISOString();
  state = await s.updateState((st) => {
    const rec = st.phases[phase]!;
    rec.status = 'applied';
    rec.appliedAt = appliedAt;
    rec.versions = phase === 'pilot' ? versionsFromOutputs(env, pOutputs, release, env.pilot.account) : st.published[release];
  });
  crashHook('apply');

  const post = await progress.step('gates: propagation, smoke, effective-policy', () =>
    runPostApplyGates(gateContext(s, t, state, phase, release, releases, { env: unitEnv, phaseEnforcement: held }), gateDeadlineMs(t.kind)),
  );
  for (const g of post) await recordGate(s, g, entry, progress);
  results.push(...post);
  if (post.length === 0 || post.some((g) => g.status !== 'passed')) return halt([]);

  const bakeSeconds = env.phases[phase].bakeSeconds;
  const applied = new Date(appliedAt);
  const until = bakeUntil(applied, bakeSeconds);
  if (bakeSeconds > 0 && !s.flags.waitBake) {
    state = await s.updateState((st) => {
      Object.assign(st.phases[phase]!, { status: 'gated', gatedAt: now().toISOString(), bakeUntil: until, gates: results });
      // Its gates passed: a unit `rollback --to` may return to (the bake's end updates the same entry).
      st.phases[phase]!.history = heldAfter(st.phases[phase]!, 'promoted', attemptId, now().toISOString());
    });
    const msg = `${unit.label} is applied to ${phase} and its gates passed; baking until ${until} (${bakeSeconds}s after apply). The next phase may take it after that.`;
    await s.ledger.append({ env: env.name, kind: 'promoted', ...entry, status: 'gated', summary: msg });
    return {
      ...base,
      attemptId,
      ok: true,
      exitCode: 0,
      outcome: 'baking',
      message: msg,
      report,
      gates: results,
      failedChecks: [],
      phaseState: state.phases[phase],
    };
  }
  if (bakeSeconds > 0) {
    // Recorded before waiting: a run cut off while it waits leaves the phase baking, and the
    // next promote judges its bake (finishBake) instead of re-applying.
    state = await s.updateState((st) => {
      Object.assign(st.phases[phase]!, { status: 'gated', gatedAt: now().toISOString(), bakeUntil: until, gates: results });
      // Its gates passed: a unit `rollback --to` may return to (the bake's end updates the same entry).
      st.phases[phase]!.history = heldAfter(st.phases[phase]!, 'promoted', attemptId, now().toISOString());
    });
  }
  const bake = await progress.step(
    `gate: bake (${bakeSeconds}s${env.phases[phase].analysis && bakeSeconds > 0 ? ', with metric analysis' : ''})`,
    () => waitOutBake(s, t, phase, progress, deps.clock),
  );
  await recordGate(s, bake, entry, progress);
  results.push(bake);
  if (bake.status !== 'passed') return halt([]);
  state = await s.updateState((st) => {
    const rec = st.phases[phase]!;
    Object.assign(rec, {
      status: 'passed',
      // Set before the wait when there was a bake: the analysis window started there.
      gatedAt: rec.gatedAt && bakeSeconds > 0 ? rec.gatedAt : now().toISOString(),
      bakeUntil: until,
      passedAt: now().toISOString(),
      gates: results,
    });
    rec.history = heldAfter(rec, 'promoted', attemptId, now().toISOString());
  });
  const msg = `${unit.label} passed ${phase}`;
  await s.ledger.append({ env: env.name, kind: 'promoted', ...entry, status: 'passed', summary: msg });
  return {
    ...base,
    attemptId,
    ok: true,
    exitCode: 0,
    outcome: 'promoted',
    message: msg,
    report,
    gates: results,
    failedChecks: [],
    phaseState: state.phases[phase],
  };
}

function recordBase(prev: PhaseRecord | undefined, unit: UnitRecord, attemptId: string, previous: UnitRecord | null): PhaseRecord {
  const resumed = prev?.attemptId === attemptId;
  return {
    release: unit.release.name,
    unit,
    attemptRelease: unit.release.name,
    attemptUnit: unit,
    attemptId,
    previousRelease: previous?.release.name ?? null,
    previousUnit: previous,
    // Carried over every attempt (state from before histories starts from previousUnit and unit).
    history: phaseHistory(prev),
    status: 'applying',
    gates: [],
    ...(resumed && prev?.appliedAt ? { appliedAt: prev.appliedAt } : {}),
    ...((resumed ? prev?.previousVersions : prev?.versions) ? { previousVersions: resumed ? prev?.previousVersions : prev?.versions } : {}),
  };
}

/** A gated phase whose bake time is over: judge its bake (clock and completed analysis window) and record the phase passed. */
async function finishBake(s: Session, t: Target, phase: Phase, release: string, deps: FlowDeps): Promise<GateResult> {
  const state = await s.state();
  const rec = state.phases[phase]!;
  const bake = await deps.progress.step(
    `gate: bake of ${phase}${s.env.phases[phase].analysis ? ' (metric analysis of the completed window)' : ''}`,
    async () => (await evaluateBake(s, t, state, phase, (deps.now ?? (() => new Date()))())).gate,
  );
  await recordGate(s, bake, { attemptId: rec.attemptId, phase, release }, deps.progress);
  if (bake.status === 'passed') {
    await s.updateState((st) => {
      Object.assign(st.phases[phase]!, {
        status: 'passed',
        passedAt: (deps.now ?? (() => new Date()))().toISOString(),
        gates: [...rec.gates.filter((g) => g.gate !== 'bake'), bake],
      });
    });
    await s.ledger.append({
      env: s.env.name,
      kind: 'promoted',
      attemptId: rec.attemptId,
      phase,
      release,
      status: 'passed',
      summary: `${release} passed ${phase} (bake time over)`,
    });
  }
  return bake;
}

/**
 * A baked phase whose bake analysis failed (judged by the next phase's promote): halt, and roll
 * that phase back to the unit it held before, as a failed gate during the bake would have.
 */
async function rollBackBaked(s: Session, t: Target, phase: Phase, bake: GateResult, deps: FlowDeps): Promise<RolloutResult> {
  const rec = (await s.state()).phases[phase]!;
  deps.progress.info(`the bake analysis of ${phase} failed`);
  const gates = [...rec.gates.filter((g) => g.gate !== 'bake'), bake];
  return haltAndRollBack(s, t, phase, rec.unit!, rec.attemptId, rec.previousUnit ?? null, gates, undefined, deps);
}

async function haltAndRollBack(
  s: Session,
  t: Target,
  phase: Phase,
  unit: CandidateUnit,
  attemptId: string,
  to: UnitRecord | null,
  results: GateResult[],
  /** The reviewer report of the attempt halted now (none when a baked phase is judged later). */
  report: PlanReport | undefined,
  deps: FlowDeps,
): Promise<RolloutResult> {
  const release = unit.release.name;
  const failed = failedChecks(results);
  const toText = to ? to.label : 'nothing (removing the phase)';
  deps.progress.info(`halted: ${failed.length} check(s) did not pass; rolling ${phase} back to ${toText}`);
  await s.ledger.append({
    env: s.env.name,
    kind: 'halted',
    attemptId,
    phase,
    release,
    unit: unit.hash,
    summary: `halted on ${[...new Set(failed.map((f) => f.gate))].join(', ')}`,
    detail: failed.map((f) => f.id),
  });
  await s.updateState((st) => {
    st.phases[phase]!.gates = results;
  });
  const rb = await rollBackPhase(
    s,
    t,
    phase,
    { unit: to, release: to?.release.name ?? null },
    attemptId,
    `gate failure of ${unit.label}`,
    deps,
  );
  const lines = failed.map((f) => `  ✖ ${f.gate} ${f.id}: ${f.detail}`);
  const message = [
    `${unit.label} halted at ${phase}; rolled back to ${to ? to.label : 'nothing'} (${rb.status}). Failed checks:`,
    ...lines,
  ].join('\n');
  return {
    schemaVersion: RESULT_SCHEMA_VERSION,
    kind: 'promote',
    ok: false,
    exitCode: 1,
    outcome: 'rolled-back',
    env: s.env.name,
    phase,
    release,
    unit: { label: unit.label, hash: unit.hash },
    attemptId,
    message,
    ...(report ? { report } : {}),
    gates: results,
    failedChecks: failed,
    rollback: rb,
    phaseState: (await s.state()).phases[phase],
  };
}

/** Where a rollback goes: a recorded unit (its kept stack is re-applied), or nothing. */
export interface RollbackTo {
  unit: UnitRecord | null;
  /**
   * Release of the target. Only differs from `unit?.release.name` for state written before units
   * were recorded: then the phase stack is re-synthesized for that release from the environment.
   */
  release: string | null;
}

/** The phase stack a rollback applies: the target unit's kept stack, byte for byte, when there is one. */
async function rollbackStack(
  s: Session,
  t: Target,
  phase: Phase,
  to: RollbackTo,
  releases: Partial<Record<Phase, string>>,
): Promise<StackArtifact> {
  const state = await s.state();
  if (to.unit?.stackHash) {
    const json = await s.store.keptStack(to.unit.stackHash);
    const dir = join(s.paths.synthOut, 'stacks', phase);
    const file = join(dir, 'cdk.tf.json');
    await writeJsonAtomic(file, json);
    return { name: phase, dir, file, json };
  }
  return synthPhase({
    env: environmentOf(s.env, to.unit, to.unit ? unitDate(to.unit) : s.flags.asOf),
    outdir: s.paths.synthOut,
    releases,
    phase,
    keepPublished: Object.keys(state.published),
    asOf: to.unit ? unitDate(to.unit) : s.flags.asOf,
    placement: t.placement,
  }).phase;
}

/**
 * Returns a phase to `to` (a unit, or nothing ⇒ the phase's resources are removed): re-applies
 * the stack kept for that unit (never re-synthesized from today's environment), re-verifies the
 * rolled-back state against that unit with the effective-policy gate, and records it. Touches
 * only this phase.
 */
export async function rollBackPhase(
  s: Session,
  t: Target,
  phase: Phase,
  to: RollbackTo,
  attemptId: string,
  reason: string,
  deps: FlowDeps,
  /** Shown the planned changes before anything is recorded or applied (an operator's rollback asks here); throws to stop. */
  review?: (plans: EnginePlan[]) => Promise<void>,
): Promise<NonNullable<RolloutResult['rollback']>> {
  const { progress } = deps;
  const state = await s.state();
  const releases = { ...releasesInPlace(state) };
  if (to.release) releases[phase] = to.release;
  else delete releases[phase];
  const target = to.unit ? to.unit.label : (to.release ?? 'nothing');
  // Planning changes nothing in AWS or in state, so it comes first: a declined review leaves no trace.
  // (Adopted objects this phase has not applied yet leave the sandbox engine's state: the rollback
  // leaves them as they were found; the next plan of the phase records them again.)
  await dropAdoptedBeforeRollback(t, s.env, state, phase);
  const stack = await rollbackStack(s, t, phase, to, releases);
  const plan = await progress.step(`plan rollback of ${phase} to ${target}`, () => t.engine.plan(stack));
  // Wider phases whose locks were opened for the settings of the unit rolled back from close again.
  const relocks = await relockStacks(s, t, state, phase, to.unit, releases, s.paths.synthOut);
  if (review) await review([plan, ...relocks.map((r) => r.plan)]);
  // Recorded before anything changes: a run cut off from here on is completed by the next one.
  await s.updateState((st) => {
    Object.assign(st.phases[phase]!, { status: 'rolling-back', rollbackTo: to });
  });
  const ledgerBase = { env: s.env.name, attemptId, phase, release: to.release, unit: to.unit?.hash };
  await s.ledger.appendOnce({
    ...ledgerBase,
    kind: 'plan',
    stack: phase,
    planHash: plan.planHash,
    changes: plan.changes.filter((c) => c.action !== 'no-op').length,
    key: `${attemptId}:rollback-plan:${phase}:${plan.planHash}`,
  });
  await applyRelocks(s, t, relocks, 'before', { attemptId, phase, release: to.release, unit: to.unit?.hash }, progress);
  const outputs = await progress.step(`apply rollback of ${phase}`, async () =>
    hasChanges(plan) ? (await t.engine.apply(stack, plan)).outputs : t.engine.outputs(phase),
  );
  await applyRelocks(s, t, relocks, 'after', { attemptId, phase, release: to.release, unit: to.unit?.hash }, progress);
  crashHook('rollback-apply');
  await recordEnforcement(s, t, [phase, ...relocks.filter((r) => hasChanges(r.plan)).map((r) => r.phase)], progress);
  await s.ledger.append({ ...ledgerBase, kind: 'rollback', stack: phase, planHash: plan.planHash, summary: reason });

  // Re-verify what is in place now, against the unit rolled back to (its settings and exceptions;
  // for a pilot rolled back to nothing, `releases` has no pilot entry, so the gate expects no
  // account-level configuration).
  const verifyRelease = to.release ?? state.phases[phase]?.attemptRelease ?? s.release;
  const st2 = await s.updateState((st) => {
    const rec = st.phases[phase]!;
    rec.release = to.release;
    rec.unit = to.unit;
    rec.versions = to.release
      ? phase === 'pilot'
        ? versionsFromOutputs(s.env, outputs, to.release, s.env.pilot.account)
        : st.published[to.release]
      : undefined;
  });
  const asOf = to.unit ? unitDate(to.unit) : s.flags.asOf;
  const vctx = gateContext(s, t, st2, phase, verifyRelease, releases, {
    env: environmentOf(s.env, to.unit, asOf),
    asOf,
    phaseEnforcement: heldSettings(st2),
  });
  // Wait for the rolled-back policies to take effect before judging them (rollout/gates/propagation).
  const verify = [
    await progress.step('gate: propagation (rolled-back state)', () => runGateWithDeadline(propagationGate, vctx, gateDeadlineMs(t.kind))),
    await progress.step('gate: effective-policy (rolled-back state)', () =>
      runGateWithDeadline(effectivePolicyGate, vctx, gateDeadlineMs(t.kind)),
    ),
  ];
  for (const g of verify) await recordGate(s, g, { attemptId, phase, release: to.release, unit: to.unit?.hash }, progress);
  const ok = verify.length > 0 && verify.every((g) => g.status === 'passed');
  await s.updateState((st) => {
    const rec = st.phases[phase]!;
    const at = new Date().toISOString();
    Object.assign(rec, { status: ok ? 'rolled-back' : 'failed', rolledBackAt: at, rollbackGates: verify });
    delete rec.rollbackTo;
    // A halted attempt recorded when its gates passed (its bake then failed) is no longer a unit
    // held with gates passed; the unit re-verified here is one.
    const kept = withoutAttempt(phaseHistory(rec), attemptId);
    rec.history = ok && rec.unit ? withHeld(kept, { unit: rec.unit, how: 'rolled-back-to', at, attemptId }) : kept;
  });
  return { to: to.release, toUnit: to.unit?.label ?? null, status: ok ? 'rolled-back' : 'failed', gates: verify };
}
