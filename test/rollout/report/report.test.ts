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
  expect(md).toContain('| us-east-1 | `baseline@2026.11.1` v1 | `baseline@2026.11.2` v2 |');
  expect(md).toMatch(/\*\*ou\*\* — 0 to create, 1 to update, 0 to replace, 0 to destroy/);
  expect(md).toContain('3 account(s) change, 12 unchanged.');
  // The three accounts move the same way: one grouped line with the count, the accounts folded.
  expect(report.effective.groups).toHaveLength(1);
  expect(md).toContain(
    '**3 accounts**: `baseline@2026.11.1` (v1) → `baseline@2026.11.2` (v2) in us-east-1, eu-west-1\n\n<details><summary>the 3 accounts</summary>',
  );
  for (const id of inOu) expect(md).toMatch(new RegExp(`<details><summary>the 3 accounts</summary>\\n\\n[^<]*\\(${id}\\)`));
  expect(md).toContain('`1 to add` `1 to change` · 3 account(s) change effective policy');
  expect(md).toContain('**About this release:** Stricter insults filter');
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

/** The markdown with code spans and HTML comments taken out: what GitHub would autolink. */
const outsideCode = (md: string) => md.replace(/<!--[\s\S]*?-->/g, '').replace(/`[^`\n]*`/g, '');

describe('the report as a PR comment', () => {
  function enterpriseReport(plans: EnginePlan[]) {
    const state = published();
    return buildPlanReport({
      env,
      phase: 'enterprise',
      release: R2,
      currentRelease: R1,
      asOf: AS_OF,
      engine: 'sandbox',
      state,
      plans,
      effective: effectiveDiff(env, state, { enterprise: R1 }, { enterprise: R2 }, AS_OF),
    });
  }
  const destructive: EnginePlan[] = [
    {
      stack: 'guardrails',
      planHash: 'd'.repeat(64),
      changes: [
        { address: 'aws_bedrock_guardrail_version.release_old', type: 'aws_bedrock_guardrail_version', action: 'forget' },
        { address: 'aws_bedrock_guardrail.g', type: 'aws_bedrock_guardrail', action: 'replace' },
        { address: 'aws_organizations_policy.gone', type: 'aws_organizations_policy', action: 'delete' },
        ...Array.from({ length: 11 }, (_, i) => ({
          address: `aws_organizations_policy_attachment.a${i}`,
          type: 'aws_organizations_policy_attachment',
          action: 'create' as const,
        })),
      ],
    },
  ];

  test('first line is the hidden marker a pipeline finds its comment by', () => {
    const md = renderPlanMarkdown(enterpriseReport(plans));
    expect(md.split('\n')[0]).toBe('<!-- guardrail-rollout plan env=sandbox phase=enterprise -->');
  });

  test('headline counts per action, a warning for replace/destroy, forget labelled "kept in AWS"', () => {
    const md = renderPlanMarkdown(enterpriseReport(destructive));
    expect(md).toContain('`11 to add` `1 to replace` `1 to destroy` `1 to forget (kept in AWS)` · 15 account(s) change effective policy');
    expect(md).toContain(
      '> [!WARNING]\n> 2 resource(s) will be replaced or destroyed: `aws_bedrock_guardrail.g` (replace), `aws_organizations_policy.gone` (delete)',
    );
    expect(md).toContain('> [!NOTE]\n> 1 to forget (kept in AWS):');
    expect(md).toContain('| forget (kept in AWS) | `aws_bedrock_guardrail_version.release_old` |');
    // 14 resource rows: the table is folded away, with its rows all there.
    expect(md).toContain('<details><summary>14 resource change(s) in guardrails</summary>\n\n| action | resource |');
    expect(md).toContain('| create | `aws_organizations_policy_attachment.a10` |\n\n</details>');
  });

  test('no change at all reads "no changes" and warns about nothing', () => {
    const md = renderPlanMarkdown(enterpriseReport([]));
    expect(md).toContain('`no changes` · ');
    expect(md).not.toContain('[!WARNING]');
  });

  test('effective changes are grouped by identical change, with the number of accounts and the accounts in <details>', () => {
    const report = enterpriseReport(plans);
    // Every account moves R1 → R2; the exception's account differs in its excluded models, so a second group.
    expect(report.effective.groups.map((g) => g.accounts.length).reduce((a, b) => a + b, 0)).toBe(report.effective.changedAccounts);
    expect(report.effective.groups[0].change).toBe(`${R1} (v1) → ${R2} (v2) in us-east-1, eu-west-1`);
    const md = renderPlanMarkdown(report);
    const n = report.effective.groups[0].accounts.length;
    expect(n).toBeGreaterThan(10);
    expect(md).toContain(`**${n} accounts**: \`${R1}\` (v1) → \`${R2}\` (v2) in us-east-1, eu-west-1`);
    expect(md).toContain(`<details><summary>the ${n} accounts</summary>`);
    expect(md.match(/<details><summary>the /g)).toHaveLength(report.effective.groups.length);
  });

  test('no bare release name anywhere (GitHub would autolink it as an e-mail address)', () => {
    for (const report of [enterpriseReport(destructive), enterpriseReport([])]) {
      const md = renderPlanMarkdown(report);
      expect(md).toContain(R2);
      expect(outsideCode(md)).not.toMatch(/\w@\w/);
    }
    const state = published();
    const pilot = buildPlanReport({
      env,
      phase: 'pilot',
      release: R2,
      currentRelease: R1,
      asOf: AS_OF,
      engine: 'sandbox',
      state,
      plans,
      effective: effectiveDiff(env, state, { pilot: R1 }, { pilot: R2 }, AS_OF),
    });
    expect(outsideCode(renderPlanMarkdown(pilot))).not.toMatch(/\w@\w/);
  });
});
