/**
 * The plan file of `rollout plan --out`: what a reviewer approved, in a form `rollout promote
 * --plan` can hold the promotion to (rollout/flows/plan-binding.ts). It names the env, phase,
 * release, unit, as-of date, engine and the plan hash of every stack planned, carries the
 * reviewer report, and seals all of it with `planFileHash` so a hand-edited file is refused.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { canonicalSha256 } from '../../core/canonical-json.js';
import { InputError } from '../../core/errors.js';
import type { Phase } from '../../model/types.js';
import type { PlanReport } from '../report/report.js';
import type { EnginePlan } from '../state/contracts.js';
import type { CandidateUnit } from '../state/promotion.js';
import type { EngineName } from './flags.js';
import { isoDate } from './unit.js';
import { toolVersion } from '../state/tool-version.js';

export const PLAN_FILE_SCHEMA_VERSION = 1 as const;

/** One planned stack: the guardrails stack, the phase stack, or a wider phase re-applied for its locks. */
export interface PlanFileStack {
  stack: string;
  planHash: string;
  /** Resources the plan changes (0: a no-op plan). */
  changes: number;
  /** Relock stacks only: applied before or after the phase stack. */
  relock?: 'before' | 'after';
}

export interface PlanFile {
  schemaVersion: typeof PLAN_FILE_SCHEMA_VERSION;
  kind: 'rollout-plan';
  env: string;
  phase: Phase;
  release: string;
  unit: { hash: string; label: string };
  asOf: string;
  engine: EngineName;
  target: 'sandbox' | 'aws';
  stacks: PlanFileStack[];
  report: PlanReport;
  createdAt: string;
  toolVersion: string;
  /** canonicalSha256 of every other member: a file edited after `rollout plan` wrote it no longer matches. */
  planFileHash: string;
}

/** A plan file as loaded for a promote: the file it came from names every refusal. */
export interface ReviewedPlan {
  file: string;
  plan: PlanFile;
}

const changed = (p: EnginePlan) => p.changes.filter((c) => c.action !== 'no-op').length;

export function planFileStacks(plans: EnginePlan[], relocks: { plan: EnginePlan; when: 'before' | 'after' }[]): PlanFileStack[] {
  return [
    ...plans.map((p) => ({ stack: p.stack, planHash: p.planHash, changes: changed(p) })),
    ...relocks.map((r) => ({ stack: r.plan.stack, planHash: r.plan.planHash, changes: changed(r.plan), relock: r.when })),
  ];
}

export interface PlanFileInput {
  env: string;
  phase: Phase;
  unit: Pick<CandidateUnit, 'hash' | 'label' | 'release'>;
  asOf: Date;
  engine: EngineName;
  target: 'sandbox' | 'aws';
  stacks: PlanFileStack[];
  report: PlanReport;
  createdAt?: Date;
}

/** Builds the sealed plan file (pure but for the tool version, read once). */
export function buildPlanFile(i: PlanFileInput): PlanFile {
  const body: Omit<PlanFile, 'planFileHash'> = {
    schemaVersion: PLAN_FILE_SCHEMA_VERSION,
    kind: 'rollout-plan',
    env: i.env,
    phase: i.phase,
    release: i.unit.release.name,
    unit: { hash: i.unit.hash, label: i.unit.label },
    asOf: isoDate(i.asOf),
    engine: i.engine,
    target: i.target,
    stacks: i.stacks,
    report: i.report,
    createdAt: (i.createdAt ?? new Date()).toISOString(),
    toolVersion: toolVersion(),
  };
  return { ...body, planFileHash: planFileHashOf(body) };
}

export function planFileHashOf(body: Omit<PlanFile, 'planFileHash'>): string {
  return canonicalSha256(body);
}

export async function writePlanFile(file: string, plan: PlanFile): Promise<void> {
  await writeFile(file, `${JSON.stringify(plan, null, 2)}\n`);
}

// The members promote relies on; the report is carried for the record and not re-validated here.
const planFileSchema = z.object({
  schemaVersion: z.literal(PLAN_FILE_SCHEMA_VERSION),
  kind: z.literal('rollout-plan'),
  env: z.string(),
  phase: z.enum(['pilot', 'model-rules', 'ou', 'enterprise']),
  release: z.string(),
  unit: z.object({ hash: z.string(), label: z.string() }),
  asOf: z.string(),
  engine: z.enum(['sandbox', 'terraform']),
  target: z.enum(['sandbox', 'aws']),
  stacks: z.array(
    z.object({ stack: z.string(), planHash: z.string(), changes: z.number(), relock: z.enum(['before', 'after']).optional() }),
  ),
  report: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  toolVersion: z.string(),
  planFileHash: z.string(),
});

const WRITTEN_BY = 'a plan file written by `rollout plan <phase> --out <dir>`';

/** Parses and checks a plan file's text: JSON, kind, schema, and that its content still matches its planFileHash. */
export function parsePlanFile(text: string, file: string): PlanFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new InputError(file, undefined, `not JSON (${(err as Error).message}); expected ${WRITTEN_BY}`);
  }
  const kind = (value as { kind?: unknown } | null)?.kind;
  if (kind !== 'rollout-plan') {
    throw new InputError(file, undefined, `kind is ${JSON.stringify(kind ?? null)}; expected "rollout-plan" (${WRITTEN_BY})`);
  }
  const r = planFileSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new InputError(file, issue.path.join('.') || undefined, `${issue.message}; expected ${WRITTEN_BY}`);
  }
  const { planFileHash, ...body } = value as PlanFile;
  const actual = planFileHashOf(body);
  if (actual !== planFileHash) {
    throw new InputError(
      file,
      undefined,
      `was changed after rollout plan wrote it (planFileHash ${planFileHash.slice(0, 12)}, content hashes to ${actual.slice(0, 12)}); a reviewed plan cannot be edited: re-run rollout plan ${body.phase} and review again`,
    );
  }
  return value as PlanFile;
}

export async function readPlanFile(file: string): Promise<ReviewedPlan> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(
      file,
      undefined,
      `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); expected ${WRITTEN_BY}`,
    );
  }
  return { file, plan: parsePlanFile(text, file) };
}

/** A plan file of another environment or phase is refused before the lock is taken. */
export function refuseForeignPlan(reviewed: ReviewedPlan, env: string, phase: Phase): void {
  const { plan } = reviewed;
  if (plan.env === env && plan.phase === phase) return;
  throw new InputError(
    reviewed.file,
    undefined,
    `is the reviewed plan of ${plan.phase} in environment ${plan.env}; expected one of ${phase} in environment ${env} (rollout plan ${phase} --env ${env} --out <dir>)`,
  );
}
