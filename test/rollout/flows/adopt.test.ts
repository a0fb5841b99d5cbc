/** The pure parts of `rollout adopt`: mapping rules, what a takeover writes, import blocks, the adopted state. */
import { managedPolicyDescription } from '../../../core/naming.js';
import type { Environment } from '../../../model/types.js';
import { mapInventory, takeable, type Expectation } from '../../../rollout/flows/adopt/mapping.js';
import { takeover } from '../../../rollout/flows/adopt/takeover.js';
import { withImportBlocks } from '../../../rollout/flows/adopt/imports.js';
import { adoptedInForce, adoptedSnapshot, pendingImports, settleAdopted } from '../../../rollout/flows/adopt/state.js';
import type { RecordedAccountConfig, RecordedPolicy } from '../../../rollout/gates/preflight/recorded.js';
import { emptyState, type RolloutState } from '../../../rollout/state/store.js';

const env = {
  managementAccountId: '111111111111',
  homeRegion: 'us-east-1',
  organization: { root: { id: 'r-ab12' }, ous: [], accounts: [] },
  pilot: { account: '222222222222', ou: 'ou-ab12-pilot001' },
} as unknown as Environment;

const doc = (id: string) =>
  JSON.stringify({ bedrock: { guardrail_inference: { 'us-east-1': { config_1: { identifier: { '@@assign': id } } } } } });
const policy = (id: string, targets: string[], content = doc('g:1'), name = `by-hand-${id}`): RecordedPolicy => ({
  id,
  name,
  content,
  targets,
});
const config = (account: string, region = 'us-east-1'): RecordedAccountConfig => ({
  account,
  region,
  configId: `cfg-${account}`,
  guardrailArn: `arn:aws:bedrock:${region}:${account}:guardrail/abc`,
  guardrailVersion: '1',
  system: 'COMPREHENSIVE',
  messages: 'COMPREHENSIVE',
  includedModels: ['ALL'],
  excludedModels: [],
});
const none: Expectation = { policies: {}, pilotConfigs: {} };

function map(over: Partial<Parameters<typeof mapInventory>[0]>) {
  return mapInventory({
    env,
    policies: [],
    accountConfigs: [],
    known: { policies: [], accountConfigs: [] },
    expected: none,
    occupied: new Set(),
    ...over,
  });
}

describe('mapping', () => {
  test('one target each: root → enterprise, pilot OU → ou, pilot account → model-rules; content compared with what the phase would attach', () => {
    const rows = map({
      policies: [policy('p-root', ['r-ab12']), policy('p-ou', ['ou-ab12-pilot001'], doc('g:2')), policy('p-acct', ['222222222222'])],
      expected: { policies: { enterprise: doc('g:1'), ou: doc('g:1') }, pilotConfigs: {} },
    });
    expect(rows.map((r) => [r.id, r.mapping, r.owner])).toEqual([
      ['p-root', 'same-content', 'enterprise'],
      ['p-ou', 'different-content', 'ou'],
      ['p-acct', 'different-content', 'model-rules'],
    ]);
    expect(rows[1]!.differences).toEqual(['us-east-1.config_1.identifier: g:1 → g:2']);
    expect(takeable(rows)).toHaveLength(3);
  });

  test('not represented: unattached, several targets, another target, a phase that holds its own, a second candidate', () => {
    const rows = map({
      policies: [
        policy('p-free', []),
        policy('p-many', ['r-ab12', 'ou-ab12-pilot001']),
        policy('p-other', ['ou-ab12-other001']),
        policy('p-ou', ['ou-ab12-pilot001']),
        policy('p-root1', ['r-ab12']),
        policy('p-root2', ['r-ab12']),
      ],
      occupied: new Set(['ou']),
    });
    expect(rows.map((r) => [r.id, r.mapping, r.owner])).toEqual([
      ['p-free', 'not-represented', undefined],
      ['p-many', 'not-represented', undefined],
      ['p-other', 'not-represented', undefined],
      ['p-ou', 'not-represented', undefined],
      ['p-root1', 'different-content', 'enterprise'],
      ['p-root2', 'not-represented', undefined],
    ]);
    expect(rows[2]!.detail).toMatch(/exception/);
  });

  test('ours already: recorded or adopted ids, and policies guardrail-rollout generated', () => {
    const known = policy('p-known', ['r-ab12']);
    const rows = map({
      policies: [
        known,
        {
          ...policy('p-gen', ['r-ab12']),
          name: 'guardrail-rollout-enterprise',
          description: managedPolicyDescription({ phase: 'enterprise', release: 'baseline@2026.11.2' }),
        },
      ],
      known: { policies: [known], accountConfigs: [] },
    });
    expect(rows.map((r) => r.mapping)).toEqual(['managed', 'managed']);
  });

  test('account-level configurations: the pilot account → pilot (one per Region); any other account is not represented', () => {
    const rows = map({
      accountConfigs: [config('222222222222'), config('222222222222', 'eu-west-1'), config('333333333333')],
      expected: {
        policies: {},
        pilotConfigs: {
          'us-east-1': { ...config('222222222222'), guardrailVersion: '2' },
        },
      },
    });
    expect(rows.map((r) => [r.id, r.mapping, r.owner])).toEqual([
      ['222222222222/us-east-1', 'different-content', 'pilot'],
      ['222222222222/eu-west-1', 'different-content', 'pilot'],
      ['333333333333/us-east-1', 'not-represented', undefined],
    ]);
    expect(rows[0]!.differences).toEqual(['guardrailVersion: 2 → 1']);
  });
});

describe('takeover', () => {
  test("a root policy becomes the enterprise stack's baseline policy and attachment; imports with the provider's ids", () => {
    const t = takeover(env, {
      kind: 'policy',
      id: 'p-root',
      owner: 'enterprise',
      mapping: 'different-content',
      object: policy('p-root', ['r-ab12']),
    });
    expect(Object.keys(t.resources)).toEqual(['aws_organizations_policy.baseline', 'aws_organizations_policy_attachment.baseline_r_ab12']);
    expect(t.resources['aws_organizations_policy.baseline']).toMatchObject({
      account: '111111111111',
      region: 'us-east-1',
      attrs: { id: 'p-root' },
    });
    expect(t.record.imports).toEqual([
      { to: 'aws_organizations_policy.baseline', id: 'p-root' },
      { to: 'aws_organizations_policy_attachment.baseline_r_ab12', id: 'r-ab12:p-root' },
    ]);
  });

  test("a pilot configuration becomes the pilot stack's account_<region>, imported by Region with that Region's provider", () => {
    const c = config('222222222222', 'eu-west-1');
    const t = takeover(env, {
      kind: 'account-config',
      id: '222222222222/eu-west-1',
      owner: 'pilot',
      mapping: 'different-content',
      object: c,
    });
    expect(Object.keys(t.resources)).toEqual(['aws_bedrock_enforced_guardrail_configuration.account_eu_west_1']);
    expect(t.record.imports).toEqual([
      { to: 'aws_bedrock_enforced_guardrail_configuration.account_eu_west_1', id: 'eu-west-1', provider: 'aws.eu_west_1' },
    ]);
  });
});

describe('import blocks', () => {
  const json = { resource: { aws_organizations_policy: { baseline: {} } } };
  test('only for declared resources, never doubled', () => {
    const once = withImportBlocks(json, [
      { to: 'aws_organizations_policy.baseline', id: 'p-1' },
      { to: 'aws_organizations_policy_attachment.baseline_r_ab12', id: 'r-ab12:p-1' },
    ]);
    expect(once.import).toEqual([{ to: 'aws_organizations_policy.baseline', id: 'p-1' }]);
    expect(withImportBlocks(once, [{ to: 'aws_organizations_policy.baseline', id: 'p-1' }])).toBe(once);
  });
});

describe('adopted state', () => {
  test('unsettled objects are a record for preflight, in force for the effective-policy gate, imports for their phase; settled by a record that holds them', () => {
    const p = policy('p-root', ['r-ab12']);
    const tk = takeover(env, { kind: 'policy', id: p.id, owner: 'enterprise', mapping: 'different-content', object: p });
    const state: RolloutState = { ...emptyState('x'), adopted: [{ ...tk.record, adoptedAt: 't', attemptId: 'a' }] };
    expect(adoptedSnapshot(state).policies).toEqual([p]);
    expect(adoptedInForce(state)).toEqual({ adoptedPolicies: [{ id: p.id, content: p.content, targets: p.targets }] });
    expect(pendingImports(state, 'enterprise')).toHaveLength(2);
    expect(pendingImports(state, 'ou')).toEqual([]);
    settleAdopted(state, 'enterprise', { policies: [], accountConfigs: [] });
    expect(state.adopted![0]!.settledAt).toBeUndefined();
    settleAdopted(state, 'enterprise', { policies: [{ ...p, name: 'guardrail-rollout-enterprise' }], accountConfigs: [] }, 'now');
    expect(state.adopted![0]!.settledAt).toBe('now');
    expect(adoptedSnapshot(state).policies).toEqual([]);
    expect(adoptedInForce(state)).toEqual({});
  });
});
