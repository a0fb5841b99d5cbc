import type { Environment } from '../../model/types.js';
import { differsOnlyByDroppedExceptions, environmentOfUnit, promotedUnit, suiteHash, unitChanges, unitLabel } from '../../model/unit.js';
import { sandboxEnvironment } from '../helpers/sandbox-fixture.js';

const R2 = 'baseline@2026.11.2';
const ALL_ACTIVE = new Date('2026-10-15T12:00:00Z');
const LATER = new Date('2026-11-25T12:00:00Z');

let env: Environment;
beforeAll(async () => {
  env = await sandboxEnvironment();
});

describe('the promoted unit', () => {
  test('is a pure function of release, settings and exceptions in force: same inputs, same hash', () => {
    const a = promotedUnit(env, R2, LATER);
    expect(promotedUnit(env, R2, LATER)).toEqual(a);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(unitLabel(a)).toBe(`${R2} #${a.hash.slice(0, 12)}`);
    // Listing order of the file does not matter.
    expect(promotedUnit({ ...env, exceptions: [...env.exceptions].reverse() }, R2, LATER).hash).toBe(a.hash);
  });

  test('a guarding mode, a model or an exception alone makes a new unit; the smoke suite does not', () => {
    const base = promotedUnit(env, R2, LATER);
    const comprehensive = promotedUnit({ ...env, enforcement: { ...env.enforcement, messages: 'comprehensive' } }, R2, LATER);
    const excluded = promotedUnit(
      {
        ...env,
        enforcement: {
          ...env.enforcement,
          models: { ...env.enforcement.models, excluded: [...env.enforcement.models.excluded, 'amazon.titan-image-generator-v2:0'] },
        },
      },
      R2,
      LATER,
    );
    expect(new Set([base.hash, comprehensive.hash, excluded.hash]).size).toBe(3);
    expect(unitChanges(base, comprehensive)).toEqual(['enforcement.messages selective → comprehensive']);
    expect(unitChanges(base, excluded)).toEqual(['enforcement.models.excluded + amazon.titan-image-generator-v2:0']);
    expect(unitChanges(base, base)).toEqual([]);
    expect(unitChanges(null, base)).toEqual([`new unit: release ${R2}`]);
    const otherSuite = { ...env, phases: { ...env.phases, pilot: { ...env.phases.pilot, smoke: env.phases.pilot.smoke.slice(1) } } };
    expect(promotedUnit(otherSuite, R2, LATER).hash).toBe(base.hash);
    expect(suiteHash(otherSuite, 'pilot')).not.toBe(suiteHash(env, 'pilot'));
  });

  test('exceptions count as of the date; one that expired leaves a unit that may follow the older one', () => {
    const withAll = promotedUnit(env, R2, ALL_ACTIVE);
    const later = promotedUnit(env, R2, LATER);
    expect(withAll.exceptions.length).toBeGreaterThan(later.exceptions.length);
    expect(unitChanges(withAll, later).every((l) => /^exception .* no longer in force$/.test(l))).toBe(true);
    expect(differsOnlyByDroppedExceptions(withAll, later)).toBe(true);
    expect(differsOnlyByDroppedExceptions(later, withAll)).toBe(false);
    const otherSettings = promotedUnit({ ...env, enforcement: { ...env.enforcement, system: 'selective' } }, R2, LATER);
    expect(differsOnlyByDroppedExceptions(withAll, otherSettings)).toBe(false);
  });

  test('the environment as a unit sees it: its settings and exceptions, plus the file’s expired ones for preflight', () => {
    const u = promotedUnit({ ...env, enforcement: { ...env.enforcement, messages: 'comprehensive' } }, R2, LATER);
    const view = environmentOfUnit(env, u, LATER);
    expect(view.enforcement.messages).toBe('comprehensive');
    const ids = view.exceptions.map((x) => x.id).sort();
    expect(ids).toEqual(env.exceptions.map((x) => x.id).sort());
  });
});
