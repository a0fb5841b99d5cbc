import { sandboxEnvironment } from '../../helpers/sandbox-fixture.js';
import type { Environment } from '../../../model/types.js';
import { buildPlanReport, renderPlanMarkdown, exceptionView } from '../../../rollout/report/report.js';
import { effectiveDiff } from '../../../rollout/report/effective-diff.js';
import { emptyState, type RolloutState } from '../../../rollout/state/store.js';
import type { EnginePlan } from '../../../rollout/state/contracts.js';
import { versionDescription } from '../../../core/naming.js';

const AS_OF = new Date('2026-11-25T12:00:00Z');
const R1 = 'baseline@2026.11.1';
const R2 = 'baseline@2026.11.2';
let env: Environment;
beforeAll(async () => {
  env = await sandboxEnvironment();
});

function published(): RolloutState {
  const st = emptyState('sandbox');
  for (const [r, v] of [
    [R1, '1'],
    [R2, '2'],
  ] as const) {
    st.published[r] = Object.fromEntries(
      env.regions.map((region) => [
        region,
        {
          account: env.managementAccountId,
          guardrailArn: `arn:aws:bedrock:${region}:${env.managementAccountId}:guardrail/g${region.replace(/-/g, '')}`,
          guardrailId: 'g',
          version: v,
        },
      ]),
    );
  }
  return st;
}

const plans: EnginePlan[] = [
  {
    stack: 'guardrails',
    planHash: 'a'.repeat(64),
    changes: [
      { address: 'aws_bedrock_guardrail_version.release_x', type: 'aws_bedrock_guardrail_version', action: 'create' },
      { address: 'aws_bedrock_guardrail.g', type: 'aws_bedrock_guardrail', action: 'no-op' },
    ],
  },
  {
    stack: 'ou',
    planHash: 'b'.repeat(64),
    changes: [{ address: 'aws_organizations_policy.baseline', type: 'aws_organizations_policy', action: 'update' }],
  },
];

test('report for moving the pilot OU from R1 to R2: versions, resources, scope, effective change, exceptions, gates', () => {
  const state = published();
  state.phases.ou = { release: R1, status: 'passed', attemptRelease: R1, attemptId: 'x', previousRelease: null, gates: [] };
  const before = { ou: R1 };
  const after = { ou: R2 };
  const report = buildPlanReport({
    env,
    phase: 'ou',
    release: R2,
    currentRelease: R1,
    asOf: AS_OF,
    engine: 'sandbox',
    state,
    plans,
    effective: effectiveDiff(env, state, before, after, AS_OF),
  });

  expect(report).toMatchObject({ schemaVersion: 1, kind: 'plan-report', phase: 'ou', release: R2, currentRelease: R1, noChanges: false });
  // Content hashes tell the releases apart: the same 16 hex their guardrail version descriptions carry.
  const hashOf = (name: string) => env.releases.find((r) => r.name === name)!.contentHash;
  expect(report.releaseHash).toBe(hashOf(R2).slice(0, 16));
  expect(report.currentReleaseHash).toBe(hashOf(R1).slice(0, 16));
  expect(report.releaseHash).toMatch(/^[0-9a-f]{16}$/);
  expect(versionDescription(env.releases.find((r) => r.name === R2)!)).toContain(`sha256:${report.releaseHash}`);
  expect(report.versions).toEqual(env.regions.map((region) => ({ region, before: `${R1} v1`, after: `${R2} v2` })));
  expect(report.stacks[0].counts).toMatchObject({ create: 1, 'no-op': 1 });
  expect(report.stacks[0].resources.map((r) => r.address)).toEqual(['aws_bedrock_guardrail_version.release_x']);
  // the pilot OU holds the pilot account and two application accounts in the sandbox
  const inOu = env.organization.accounts
    .filter((a) => a.parent === env.pilot.ou)
    .map((a) => a.id)
    .sort();
  expect(inOu).toHaveLength(3);
  expect(report.scope).toMatchObject({ accounts: 3, accountIds: inOu, ouIds: [env.pilot.ou] });
  expect(report.effective.changedAccounts).toBe(3);
  expect(report.effective.changes[0]).toMatchObject({
    account: env.pilot.account,
    before: expect.stringContaining(`${R1} (v1)`),
    after: expect.stringContaining(`${R2} (v2)`),
  });
  expect(report.exceptions.expired.map((e) => e.id)).toEqual(['EXC-2026-002']);
  expect(report.exceptions.expiringSoon.map((e) => e.id)).toEqual(['EXC-2026-003']);
  expect(report.gates.map((g) => g.gate)).toEqual(['preflight', 'propagation', 'smoke', 'effective-policy', 'bake']);

  const md = renderPlanMarkdown(report);
  expect(md).toContain(`## Guardrail rollout plan: \`${R2}\` → **ou** (sandbox)`);
  expect(md).toContain(`Release on ou: \`${R1}\` (sha256:${report.currentReleaseHash}) → \`${R2}\` (sha256:${report.releaseHash})`);
  expect(md).toMatch(/\| us-east-1 \| baseline@2026\.11\.1 v1 \| baseline@2026\.11\.2 v2 \|/);
  expect(md).toMatch(/\*\*ou\*\* — 0 to create, 1 to update, 0 to replace, 0 to destroy/);
  expect(md).toContain('3 account(s) change, 12 unchanged.');
  expect(md).toMatch(/expired \(no longer applied; remove or renew\): EXC-2026-002 \(2026-10-31, target ou-sb01-dev00001\)/);
  expect(md).toMatch(/expiring within 30 days: EXC-2026-003 \(2026-12-15\)/);
});

test('enterprise with a fresh organization: every account changes, unpublished release is labelled, approval shows as a gate', () => {
  const state = emptyState('sandbox');
  const withApproval: Environment = {
    ...env,
    phases: { ...env.phases, enterprise: { ...env.phases.enterprise, approval: true, bakeSeconds: 3600 } },
  };
  const report = buildPlanReport({
    env: withApproval,
    phase: 'enterprise',
    release: R2,
    currentRelease: null,
    asOf: AS_OF,
    engine: 'terraform',
    state,
    plans: [],
    effective: effectiveDiff(env, state, {}, { enterprise: R2 }, AS_OF),
  });
  expect(report.noChanges).toBe(true);
  expect(report).toMatchObject({ currentRelease: null, currentReleaseHash: null, releaseHash: expect.stringMatching(/^[0-9a-f]{16}$/) });
  expect(renderPlanMarkdown(report)).toContain(`Release on enterprise: none → \`${R2}\` (sha256:${report.releaseHash})`);
  expect(report.versions[0]).toEqual({ region: env.regions[0], before: null, after: `${R2} (to be published)` });
  expect(report.effective.changedAccounts).toBe(env.organization.accounts.length);
  expect(report.effective.changes[0].before).toBe('none');
  expect(report.effective.changes[0].after).toContain(`${R2} (to be published)`);
  // active exceptions add their excluded models in enterprise
  expect(report.scope.models.excluded).toEqual(
    expect.arrayContaining(['cohere.embed-multilingual-v3', 'amazon.titan-image-generator-v2:0']),
  );
  expect(report.gates.map((g) => g.gate)).toEqual(['approval', 'preflight', 'propagation', 'smoke', 'effective-policy', 'bake']);
  expect(report.gates.find((g) => g.gate === 'bake')!.detail).toMatch(/3600s/);
  expect(renderPlanMarkdown(report)).toContain('**approval required**');
});

test('exception status: active, expiring-soon within 30 days, expired after its day ends (UTC)', () => {
  const e = { id: 'E', target: '111111111111', changes: {}, owner: 'o', reason: 'r', approver: 'a', expires: '2026-12-20' };
  expect(exceptionView(e, AS_OF).status).toBe('expiring-soon');
  expect(exceptionView({ ...e, expires: '2027-12-20' }, AS_OF).status).toBe('active');
  expect(exceptionView({ ...e, expires: '2026-11-25' }, new Date('2026-11-25T23:59:59Z')).status).toBe('expiring-soon');
  expect(exceptionView({ ...e, expires: '2026-11-25' }, new Date('2026-11-26T00:00:00Z')).status).toBe('expired');
});

test('objects left in AWS read "forget (kept in AWS)" and "replace (old kept in AWS)"; imports are named; counts add them only when present', () => {
  const state = published();
  const report = buildPlanReport({
    env,
    phase: 'pilot',
    release: R2,
    currentRelease: null,
    asOf: AS_OF,
    engine: 'terraform',
    state,
    plans: [
      {
        stack: 'guardrails',
        planHash: 'c'.repeat(64),
        changes: [
          { address: 'aws_bedrock_guardrail_version.release_old', type: 'aws_bedrock_guardrail_version', action: 'forget' },
          { address: 'aws_bedrock_guardrail_version.release_new', type: 'aws_bedrock_guardrail_version', action: 'replace-forget' },
          { address: 'aws_organizations_policy.adopted', type: 'aws_organizations_policy', action: 'import', importId: 'p-abc' },
        ],
      },
    ],
    effective: effectiveDiff(env, state, {}, { pilot: R2 }, AS_OF),
  });
  expect(report.stacks[0].counts).toEqual({
    create: 0,
    update: 0,
    replace: 0,
    'replace-forget': 1,
    delete: 0,
    forget: 1,
    import: 1,
    'no-op': 0,
  });
  expect(report.stacks[0].resources.map((r) => r.label)).toEqual([
    'forget (kept in AWS)',
    'replace (old kept in AWS)',
    'import (id p-abc)',
  ]);
  const md = renderPlanMarkdown(report);
  expect(md).toContain(
    '**guardrails** — 0 to create, 0 to update, 1 to replace, 0 to destroy, 2 to forget (kept in AWS), 1 to import (plan `cccccccccccc`)',
  );
  expect(md).toContain('| forget (kept in AWS) | `aws_bedrock_guardrail_version.release_old` |');
  expect(md).toContain('| replace (old kept in AWS) | `aws_bedrock_guardrail_version.release_new` |');
  expect(md).toContain('| import (id p-abc) | `aws_organizations_policy.adopted` |');
  expect(report.noChanges).toBe(false);
});
