import { generateEnvironment } from '../helpers/generated-environment.js';
import { checkEnvironment } from '../../model/validate.js';
import { accountsInScope, ouDepth } from '../../model/org.js';
import { activeExceptions, expiredExceptions } from '../../model/exceptions.js';

describe('generateEnvironment', () => {
  test('a 2,000-account org with 200 exceptions passes the same rules as a loaded file', () => {
    const env = generateEnvironment({ accounts: 2000, ous: 200, exceptions: 200, seed: 7 });
    expect(() => checkEnvironment(env)).not.toThrow();
    expect(env.organization.accounts).toHaveLength(2001); // + management
    expect(env.organization.ous).toHaveLength(200);
    expect(env.exceptions).toHaveLength(200);
    expect(accountsInScope(env, env.pilot.ou)).toContain(env.pilot.account);
    expect(Math.max(...env.organization.ous.map((o) => ouDepth(env, o.id)))).toBeLessThanOrEqual(3);
    const asOf = new Date('2026-11-25T00:00:00Z');
    expect(activeExceptions(env, asOf).length).toBeGreaterThan(100);
    expect(expiredExceptions(env, asOf).length).toBeGreaterThan(10);
    expect(env.releases.map((r) => r.name)).toEqual(['baseline@2026.11.1', 'baseline@2026.11.2']);
  });

  test('deterministic per seed, different across seeds', () => {
    const a = generateEnvironment({ accounts: 300, ous: 30, exceptions: 20, seed: 42 });
    const b = generateEnvironment({ accounts: 300, ous: 30, exceptions: 20, seed: 42 });
    const c = generateEnvironment({ accounts: 300, ous: 30, exceptions: 20, seed: 43 });
    const strip = (e: typeof a) => JSON.stringify({ ...e, releases: e.releases.map((r) => r.contentHash) });
    expect(strip(a)).toBe(strip(b));
    expect(strip(a)).not.toBe(strip(c));
  });

  test('honours maxDepth and regions', () => {
    const env = generateEnvironment({ accounts: 50, ous: 40, maxDepth: 5, regions: ['eu-central-1'], seed: 3 });
    expect(() => checkEnvironment(env)).not.toThrow();
    expect(env.regions).toEqual(['eu-central-1']);
    expect(Math.max(...env.organization.ous.map((o) => ouDepth(env, o.id)))).toBeGreaterThan(3);
  });

  test('10,000 accounts are generated and indexed quickly enough for the policy bench', () => {
    const env = generateEnvironment({ accounts: 10000, ous: 500, seed: 1 });
    expect(accountsInScope(env, env.organization.root.id)).toHaveLength(10001);
  });
});
