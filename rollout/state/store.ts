/**
 * Durable rollout state of one environment (`.rollout/<env>/state.json`), written atomically
 * (write-file-atomic: temp file + rename), so a crash leaves either the old or the new file.
 *
 * Compatibility: `phases.<phase>.release` (release in place) and
 * `published[<release>][<region>] = { guardrailArn, version, … }` are read by
 * rollout/state/recorded-phases.ts (preview/effective); keep those two shapes stable.
 */
import { readFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { PHASES, type Phase } from '../../model/types.js';
import type { GateResult, PublishedVersion } from './contracts.js';
import type { PromotedUnit } from '../../model/unit.js';
import { ToolingError } from '../../core/errors.js';

export const STATE_SCHEMA_VERSION = 1;

/**
 * applying   apply started, not known to have finished (crash here ⇒ re-plan, re-apply, re-gate)
 * applied    phase stack applied, gates not (yet) passed — never promotable
 * gated      post-apply gates passed, bake time running (bakeUntil)
 * passed     gates passed and bake elapsed: the next phase may take this release
 * failed     a gate failed and the rollback itself did not complete
 * rolled-back a gate failed; the phase was returned to `release` (the previous one, or none)
 * rolling-back a rollback started and is not known to have finished (crash here ⇒ the next run
 *             completes it first, to `rollbackTo`)
 */
export type PhaseStatus = 'applying' | 'applied' | 'gated' | 'passed' | 'failed' | 'rolled-back' | 'rolling-back';

/**
 * A promoted unit as a phase recorded it: the unit (release, enforcement settings, exceptions in
 * force), the hash of the phase's smoke suite that judged it, the as-of date it was computed for,
 * and the hash of the phase stack applied for it (its JSON is kept in the stack store,
 * rollout/state/stack-store.ts, so a rollback re-applies exactly that).
 */
export interface UnitRecord extends PromotedUnit {
  label: string;
  suiteHash: string;
  /** YYYY-MM-DD */
  asOf: string;
  stackHash?: string;
}

/** One unit a phase held (PhaseRecord.history). */
export interface HeldUnit {
  unit: UnitRecord;
  /** ISO time it came to hold it; absent for entries derived from state written before histories. */
  at?: string;
  /** promoted: its gates passed here; rolled-back-to: a rollback returned the phase to it and re-verified it. */
  how: 'promoted' | 'rolled-back-to' | 'recorded-before-history';
  /** The attempt (promotion or rollback) that recorded it. */
  attemptId?: string;
}

export interface PhaseRecord {
  /** Release in place on this phase (null: nothing applied / removed by rollback). */
  release: string | null;
  /** Unit in place on this phase (null: nothing; absent in state written before units existed). */
  unit?: UnitRecord | null;
  /** Unit of the latest attempt (differs from `unit` after a rollback). */
  attemptUnit?: UnitRecord;
  /** Unit in place before the latest attempt: the rollback target. */
  previousUnit?: UnitRecord | null;
  /**
   * The units the phase held with gates passed (or re-verified by a rollback), oldest first, at
   * most HISTORY_LIMIT (rollout/state/promotion.ts): what `rollback --to` may return to. Absent
   * in state written before histories: read through phaseHistory(), which derives it from
   * `previousUnit` and `unit`.
   */
  history?: HeldUnit[];
  /**
   * What the phase enforces as read back from AWS after its last apply or rollback (policies with
   * content and targets, account-level configurations): the record preflight compares live
   * objects with (drift by content).
   */
  recorded?: unknown;
  status: PhaseStatus;
  /** Release of the latest attempt (differs from `release` after a rollback). */
  attemptRelease: string;
  attemptId: string;
  /** Release in place before the latest attempt: the rollback target. */
  previousRelease: string | null;
  planHash?: string;
  guardrailsPlanHash?: string;
  appliedAt?: string;
  gatedAt?: string;
  bakeUntil?: string;
  passedAt?: string;
  rolledBackAt?: string;
  /** Guardrail version enforced by this phase per region (pilot: the pilot account's own). */
  versions?: Record<string, PublishedRecord>;
  /** `versions` of the unit in place before the latest attempt: the bake analysis's baseline (pilot). */
  previousVersions?: Record<string, PublishedRecord>;
  /** Latest result per gate for the latest attempt. */
  gates: GateResult[];
  /** Gate results of the rollback's re-verification, when there was one. */
  rollbackGates?: GateResult[];
  /** While `rolling-back`: where the rollback goes (a unit, or nothing), so a re-run can finish it. */
  rollbackTo?: { unit: UnitRecord | null; release: string | null };
}

export type PublishedRecord = Omit<PublishedVersion, 'region'>;

export interface RolloutState {
  schemaVersion: typeof STATE_SCHEMA_VERSION;
  env: string;
  phases: Partial<Record<Phase, PhaseRecord>>;
  /** published[release][region] */
  published: Record<string, Record<string, PublishedRecord>>;
  /** Objects `rollout adopt` took over (rollout/flows/adopt/, docs/adopt.md); absent when nothing was adopted. */
  adopted?: AdoptedRecord[];
  updatedAt: string;
}

/**
 * One object `rollout adopt` took over: the phase that owns it from then on, how it mapped, and
 * what it was when adopted (`object`: the policy or configuration as read back, kept untyped here
 * because its shape belongs to the gates above this layer). Preflight accepts it by that content
 * and the effective-policy gate expects it, until `settledAt`: the owning phase's first record
 * after the adoption, from which on that phase's own record says what is in place.
 */
export interface AdoptedRecord {
  kind: 'policy' | 'account-config';
  /** The policy id, or `<account>/<region>` of an account-level configuration. */
  id: string;
  owner: Phase;
  mapping: 'same-content' | 'different-content';
  adoptedAt: string;
  attemptId: string;
  object: unknown;
  /** Terraform engine: the `import` blocks the owning phase's next plan carries (`to` address, import id). */
  imports?: { to: string; id: string; provider?: string }[];
  settledAt?: string;
}

const gateSchema = z.looseObject({ gate: z.string(), status: z.string(), summary: z.string(), checks: z.array(z.any()) });
const phaseSchema = z.looseObject({
  release: z.string().nullable(),
  status: z.enum(['applying', 'applied', 'gated', 'passed', 'failed', 'rolled-back', 'rolling-back']),
  attemptRelease: z.string(),
  attemptId: z.string(),
  previousRelease: z.string().nullable(),
  gates: z.array(gateSchema),
});
const stateSchema = z.looseObject({
  schemaVersion: z.literal(STATE_SCHEMA_VERSION),
  env: z.string(),
  phases: z.partialRecord(z.enum(PHASES), phaseSchema),
  published: z.record(z.string(), z.record(z.string(), z.looseObject({ guardrailArn: z.string(), version: z.string() }))),
});

export function emptyState(env: string): RolloutState {
  return { schemaVersion: STATE_SCHEMA_VERSION, env, phases: {}, published: {}, updatedAt: new Date(0).toISOString() };
}

export async function loadState(file: string, env: string): Promise<RolloutState> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyState(env);
    throw new ToolingError(`cannot read rollout state ${file}: ${(err as Error).message}`, err);
  }
  return parseState(text, file);
}

/** Parses and checks a state document; `where` names it in errors (a file, an S3 object). */
export function parseState(text: string, where: string): RolloutState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ToolingError(
      `rollout state ${where} is not valid JSON (${(err as Error).message}); restore it from the ledger or remove it`,
      err,
    );
  }
  const result = stateSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ToolingError(`rollout state ${where} at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed as RolloutState;
}

/** Pretty JSON written atomically (temp file, fsync, rename), creating the directory: the state files' one write path. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`, { fsync: true });
}

export async function saveState(file: string, state: RolloutState): Promise<void> {
  state.updatedAt = new Date().toISOString();
  await writeJsonAtomic(file, state);
}

/** Reads, changes and writes the state in one step (callers hold the environment lock). */
export async function updateState(file: string, env: string, change: (s: RolloutState) => void): Promise<RolloutState> {
  const state = await loadState(file, env);
  change(state);
  await saveState(file, state);
  return state;
}

export function newAttemptId(): string {
  return `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Published versions of a release as a list (for gates and status). */
export function publishedVersions(state: RolloutState, release: string): PublishedVersion[] {
  return Object.entries(state.published[release] ?? {}).map(([region, p]) => ({ ...p, region }));
}

/** Releases currently in place on any phase (the guardrails stack keeps publishing them). */
export function releasesInPlace(state: RolloutState): Partial<Record<Phase, string>> {
  const out: Partial<Record<Phase, string>> = {};
  for (const p of PHASES) {
    const r = state.phases[p]?.release;
    if (r) out[p] = r;
  }
  return out;
}
