import { loadEnvironment } from '../../model/load.js';
import {
  accountsInScope,
  accountsUnder,
  ancestorsOf,
  isUnder,
  kindOf,
  namePath,
  orgPathOf,
  ouDepth,
  ouPath,
  ousUnder,
} from '../../model/org.js';

describe('organization tree helpers on the sandbox', () => {
  let env: Awaited<ReturnType<typeof loadEnvironment>>;
  beforeAll(async () => {
    env = await loadEnvironment('sandbox');
  });

  test('ancestors, OU path, name path and aws:PrincipalOrgPaths of a nested account', () => {
    expect(ancestorsOf(env, '444444444441')).toEqual(['ou-sb01-prod0001', 'ou-sb01-wkld0001', 'r-sb01']);
    expect(ouPath(env, '444444444441')).toEqual(['r-sb01', 'ou-sb01-wkld0001', 'ou-sb01-prod0001', '444444444441']);
    expect(namePath(env, '444444444441')).toBe('Root/Workloads/Prod/payments-prod');
    expect(orgPathOf(env, '444444444441')).toBe('o-sandbox001/r-sb01/ou-sb01-wkld0001/ou-sb01-prod0001/');
    expect(orgPathOf(env, '111111111111')).toBe('o-sandbox001/r-sb01/');
  });

  test('accounts under an OU include nested OUs; the root covers everyone', () => {
    const workloads = accountsUnder(env, 'ou-sb01-wkld0001').map((a) => a.name);
    expect(workloads).toEqual(['payments-prod', 'claims-prod', 'data-platform-prod', 'payments-dev', 'claims-dev', 'ml-research']);
    expect(ousUnder(env, 'ou-sb01-wkld0001').map((o) => o.name)).toEqual(['Prod', 'Dev']);
    expect(accountsInScope(env, 'r-sb01')).toHaveLength(env.organization.accounts.length);
    expect(accountsInScope(env, '444444444441')).toEqual(['444444444441']);
    expect(accountsInScope(env, 'ou-unknown-00000000')).toEqual([]);
  });

  test('kinds, depth and membership', () => {
    expect([kindOf(env, 'r-sb01'), kindOf(env, 'ou-sb01-prod0001'), kindOf(env, '444444444441'), kindOf(env, 'x')]).toEqual([
      'root',
      'ou',
      'account',
      undefined,
    ]);
    expect(ouDepth(env, 'ou-sb01-prod0001')).toBe(2);
    expect(isUnder(env, env.pilot.account, env.pilot.ou)).toBe(true);
    expect(isUnder(env, '444444444441', env.pilot.ou)).toBe(false);
  });
});
