/**
 * The promoted unit of a verb: computed once from the environment, the release and the as-of
 * date (model/unit.ts), and the rule on back-dated promotions.
 */
import { UsageError } from '../../core/errors.js';
import type { Environment, Phase } from '../../model/types.js';
import { environmentOfUnit, promotedUnit, suiteHash, unitLabel } from '../../model/unit.js';
import type { CandidateUnit } from '../state/promotion.js';
import type { UnitRecord } from '../state/store.js';

export const isoDate = (d: Date): string => d.toISOString().slice(0, 10);

/** The unit `release` is as of `asOf`, with the phase's smoke suite hash. */
export function candidateUnit(env: Environment, release: string, phase: Phase, asOf: Date): CandidateUnit {
  const unit = promotedUnit(env, release, asOf);
  return { ...unit, label: unitLabel(unit), suiteHash: suiteHash(env, phase), asOf: isoDate(asOf) };
}

/** The environment as a unit saw it (its settings and exceptions) as of `asOf`, for synthesis and gates. */
export function environmentOf(
  env: Environment,
  unit: Pick<UnitRecord, 'enforcement' | 'exceptions'> | null | undefined,
  asOf: Date,
): Environment {
  return unit ? environmentOfUnit(env, unit, asOf) : env;
}

/** The date a recorded unit was computed for (its exceptions were in force then). */
export const unitDate = (unit: Pick<UnitRecord, 'asOf'>): Date => new Date(`${unit.asOf}T12:00:00Z`);

/**
 * `promote` applies what is in force as of `--as-of`. A date in the past would re-activate
 * exceptions that have expired, so it is refused against real AWS; on the sandbox (either
 * engine) a rehearsal of any date is legitimate. `plan`, `preview` and `exceptions` accept any date.
 */
export function refuseBackdatedPromote(asOf: Date, target: 'sandbox' | 'aws', now: Date = new Date()): void {
  if (target === 'sandbox') return;
  if (isoDate(asOf) < isoDate(now)) {
    throw new UsageError(
      `--as-of ${isoDate(asOf)} is before today (${isoDate(now)}): promote applies the exceptions in force on that date, and an earlier date would re-activate exceptions that have expired. Use a date from today on (plan, preview and exceptions accept any date; the sandbox may rehearse any date)`,
    );
  }
}
