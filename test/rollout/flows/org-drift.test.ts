/** verify's organization checks (rollout/flows/org-drift.ts driftChecks): the file's tree against the live one. */
import { driftChecks } from '../../../rollout/flows/org-drift.js';
import type { Organization } from '../../../model/types.js';

const FILE: Organization = {
  root: { id: 'r-ab12', name: 'Root' },
  ous: [
    { id: 'ou-ab12-aaaaaaaa', name: 'Workloads', parent: 'r-ab12' },
    { id: 'ou-ab12-bbbbbbbb', name: 'Retired', parent: 'r-ab12' },
  ],
  accounts: [
    { id: '111111111111', name: 'management', parent: 'r-ab12' },
    { id: '222222222222', name: 'app', parent: 'ou-ab12-aaaaaaaa' },
    { id: '333333333333', name: 'closed', parent: 'ou-ab12-aaaaaaaa' },
  ],
};

test('in sync: one passed check saying what was compared', () => {
  expect(driftChecks(FILE, structuredClone(FILE))).toEqual([
    {
      id: 'organization:in-sync',
      status: 'passed',
      detail: "the organization's 3 accounts and 2 OUs are the ones the environment file lists",
    },
  ]);
});

test('unlisted, missing and moved nodes fail, naming id, name and parent and the fix; renames do not', () => {
  const live = structuredClone(FILE);
  live.ous = live.ous.filter((o) => o.id !== 'ou-ab12-bbbbbbbb');
  live.ous.push({ id: 'ou-ab12-cccccccc', name: 'Staging', parent: 'ou-ab12-aaaaaaaa' });
  live.accounts = live.accounts.filter((a) => a.id !== '333333333333');
  live.accounts.push({ id: '444444444444', name: 'new-app', parent: 'ou-ab12-cccccccc' });
  live.accounts[1] = { ...live.accounts[1]!, parent: 'r-ab12', name: 'app-renamed' };
  const checks = driftChecks(FILE, live);
  expect(checks.map((c) => [c.id, c.status])).toEqual([
    ['organization:unlisted:ou-ab12-cccccccc', 'failed'],
    ['organization:missing:ou-ab12-bbbbbbbb', 'failed'],
    ['organization:moved:222222222222', 'failed'],
    ['organization:unlisted:444444444444', 'failed'],
    ['organization:missing:333333333333', 'failed'],
  ]);
  expect(checks.find((c) => c.id === 'organization:unlisted:444444444444')).toEqual({
    id: 'organization:unlisted:444444444444',
    status: 'failed',
    account: '444444444444',
    detail:
      'account 444444444444 (new-app) under ou-ab12-cccccccc (Staging) is in the organization but not in the environment file: no gate reaches it; run `rollout org import --write` to update the file',
  });
  expect(checks.find((c) => c.id === 'organization:missing:333333333333')?.detail).toBe(
    'account 333333333333 (closed) under ou-ab12-aaaaaaaa (Workloads) is in the environment file but not in the organization; run `rollout org import --write` to update the file',
  );
  expect(checks.find((c) => c.id === 'organization:moved:222222222222')?.detail).toMatch(
    /is under r-ab12 \(Root\) in the organization, but under ou-ab12-aaaaaaaa \(Workloads\) in the environment file/,
  );
});
