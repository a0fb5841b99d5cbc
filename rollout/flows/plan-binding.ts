/**
 * `promote --plan <file>`: the approval means "what was reviewed is exactly what is applied".
 * After promote has planned, what it would apply now is compared with the reviewed plan file
 * (rollout/flows/plan-file.ts); any difference refuses the promote (exit 2) before anything is
 * applied or recorded. Pure: the caller passes what it planned.
 */
import { UsageError } from '../../core/errors.js';
import type { EnginePlan } from '../state/contracts.js';
import type { CandidateUnit } from '../state/promotion.js';
import { type PlanFile, type PlanFileStack, type ReviewedPlan, planFileStacks } from './plan-file.js';
import { isoDate } from './unit.js';

/** What promote would apply now, in the plan file's terms. */
export interface PlannedNow {
  release: string;
  unit: { hash: string; label: string };
  asOf: string;
  engine: string;
  stacks: PlanFileStack[];
}

const short = (h: string) => h.slice(0, 12);
const planText = (s: PlanFileStack) => `${short(s.planHash)} (${s.changes} change${s.changes === 1 ? '' : 's'})`;

/** The differences of everything but the stacks: which release and unit, as of which date, by which engine. */
function subjectDifferences(reviewed: PlanFile, now: Omit<PlannedNow, 'stacks'>): string[] {
  const out: string[] = [];
  if (reviewed.release !== now.release) out.push(`release: reviewed ${reviewed.release}, now ${now.release}`);
  // A unit's label carries its short hash: the release alone may be the same while its settings or exceptions moved.
  if (reviewed.unit.hash !== now.unit.hash) out.push(`unit: reviewed ${reviewed.unit.label}, now ${now.unit.label}`);
  if (reviewed.asOf !== now.asOf) out.push(`as-of: reviewed ${reviewed.asOf}, now ${now.asOf}`);
  if (reviewed.engine !== now.engine) out.push(`engine: reviewed ${reviewed.engine}, now ${now.engine}`);
  return out;
}

/** One line per stack whose plan is not the reviewed one (or that only one side planned). */
function stackDifferences(reviewed: PlanFileStack[], now: PlanFileStack[]): string[] {
  const out: string[] = [];
  const before = new Map(reviewed.map((s) => [s.stack, s]));
  const after = new Map(now.map((s) => [s.stack, s]));
  for (const name of [...new Set([...before.keys(), ...after.keys()])]) {
    const r = before.get(name);
    const n = after.get(name);
    if (r && n && r.planHash === n.planHash) continue;
    const was = r ? `reviewed plan ${planText(r)}` : 'not in the reviewed plan';
    const is = n ? `now ${planText(n)}` : 'now not planned';
    out.push(`${name}: ${was}, ${is}`);
  }
  return out;
}

/** Every difference between the reviewed plan and what would be applied now; empty: they are the same. */
export function planDifferences(reviewed: PlanFile, now: PlannedNow): string[] {
  return [...subjectDifferences(reviewed, now), ...stackDifferences(reviewed.stacks, now.stacks)];
}

function refusal(reviewed: ReviewedPlan, headline: string, lines: string[]): UsageError {
  return new UsageError(
    [
      `${reviewed.file}: ${headline}; nothing was applied:`,
      ...lines.map((l) => `  ${l}`),
      `re-run rollout plan ${reviewed.plan.phase} and review again`,
    ].join('\n'),
  );
}

/** Refuses (exit 2) unless what promote planned now is exactly the reviewed plan. */
export function refuseUnlessReviewed(reviewed: ReviewedPlan, now: PlannedNow): void {
  const diff = planDifferences(reviewed.plan, now);
  if (diff.length) throw refusal(reviewed, 'what promote would apply now is not the reviewed plan', diff);
}

/**
 * Promote found the unit already in place and nothing to apply: fine when the reviewed plan
 * changed nothing either (same release, unit and date); a reviewed plan with changes was made
 * against another state, so approving it now would approve something that is not happening.
 */
export function refuseUnlessReviewedNoOp(reviewed: ReviewedPlan, now: Omit<PlannedNow, 'stacks'>): void {
  const diff = subjectDifferences(reviewed.plan, now);
  const changing = reviewed.plan.stacks.filter((s) => s.changes > 0);
  for (const s of changing) diff.push(`${s.stack}: reviewed plan ${planText(s)}, now no changes`);
  if (diff.length) throw refusal(reviewed, `${now.unit.label} is already in place, which is not the reviewed plan`, diff);
}

/** What promote planned, in the plan file's terms (the same stack list `rollout plan` writes). */
export function plannedNow(p: {
  unit: Pick<CandidateUnit, 'hash' | 'label' | 'release'>;
  asOf: Date;
  engine: string;
  plans: EnginePlan[];
  relocks: { plan: EnginePlan; when: 'before' | 'after' }[];
}): PlannedNow {
  return {
    release: p.unit.release.name,
    unit: { hash: p.unit.hash, label: p.unit.label },
    asOf: isoDate(p.asOf),
    engine: p.engine,
    stacks: planFileStacks(p.plans, p.relocks),
  };
}
