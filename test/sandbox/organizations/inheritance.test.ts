/**
 * The emulator's own inheritance (sandbox/organizations/inheritance.ts) on AWS's worked examples
 * (https://docs.aws.amazon.com/organizations/latest/userguide/inheritance-examples.html, org of that
 * page: root → OU1 (111111111111, 222222222222), OU2 (999999999999)) and on the readings it shares
 * with the policy engine where AWS is silent (docs/policy-engine.md, "Where AWS is silent").
 */
import { type AttachedPolicy, effectivePolicyOf, pathOf } from '../../../sandbox/organizations/inheritance.js';

const CTL = '@@operators_allowed_for_child_policies';
const tree = {
  root: 'r-root',
  ous: [
    { id: 'ou-1', parent: 'r-root' },
    { id: 'ou-2', parent: 'r-root' },
    { id: 'ou-11', parent: 'ou-1' },
  ],
  accounts: [
    { id: '111111111111', parent: 'ou-1' },
    { id: '222222222222', parent: 'ou-1' },
    { id: '999999999999', parent: 'ou-2' },
    { id: '333333333333', parent: 'ou-11' },
  ],
};
const eff = (policies: AttachedPolicy[], account: string) => effectivePolicyOf(tree, policies, account);

const policyA = { tags: { costcenter: { tag_key: { '@@assign': 'CostCenter' }, tag_value: { '@@assign': ['Development', 'Support'] } } } };
const policyB = {
  tags: {
    costcenter: {
      tag_key: { '@@assign': 'CostCenter' },
      tag_value: { '@@assign': ['Sandbox'] },
      enforced_for: { '@@assign': ['redshift:*', 'dynamodb:table'] },
    },
  },
};
const policyC = {
  tags: {
    costcenter: {
      tag_key: { '@@assign': 'CostCenter' },
      tag_value: { '@@append': ['Marketing'] },
      enforced_for: { '@@append': ['redshift:*', 'dynamodb:table'] },
    },
  },
};
const policyD = {
  tags: {
    costcenter: {
      tag_key: { '@@assign': 'CostCenter' },
      tag_value: { '@@remove': ['Development', 'Marketing'] },
      enforced_for: { '@@remove': ['redshift:*', 'dynamodb:table'] },
    },
  },
};

describe('AWS inheritance examples', () => {
  test('the path is root, each OU from the root down, the account', () => {
    expect(pathOf(tree, '333333333333')).toEqual(['r-root', 'ou-1', 'ou-11', '333333333333']);
    expect(() => pathOf(tree, '444444444444')).toThrow(/not in the organization/);
  });

  test('Example 1: a child @@assign overwrites the inherited value and adds a new setting', () => {
    const ps = [
      { id: 'p-a', content: policyA, targets: ['r-root'] },
      { id: 'p-b', content: JSON.stringify(policyB), targets: ['ou-1'] },
    ];
    expect(eff(ps, '111111111111')).toEqual({
      tags: { costcenter: { tag_key: 'CostCenter', tag_value: ['Sandbox'], enforced_for: ['redshift:*', 'dynamodb:table'] } },
    });
    expect(eff(ps, '999999999999')).toEqual({ tags: { costcenter: { tag_key: 'CostCenter', tag_value: ['Development', 'Support'] } } });
  });

  test('Example 2: @@append adds to the inherited list, or adds the setting', () => {
    const ps = [
      { id: 'p-a', content: policyA, targets: ['r-root'] },
      { id: 'p-c', content: policyC, targets: ['ou-2'] },
    ];
    expect(eff(ps, '999999999999')).toEqual({
      tags: {
        costcenter: {
          tag_key: 'CostCenter',
          tag_value: ['Development', 'Support', 'Marketing'],
          enforced_for: ['redshift:*', 'dynamodb:table'],
        },
      },
    });
  });

  test('Example 3: @@remove deletes values; a list it empties disappears', () => {
    const ps = [
      { id: 'p-a', content: policyA, targets: ['r-root'] },
      { id: 'p-b', content: policyB, targets: ['ou-1'] },
      { id: 'p-c', content: policyC, targets: ['ou-2'] },
      { id: 'p-d', content: policyD, targets: ['999999999999'] },
    ];
    expect(eff(ps, '999999999999')).toEqual({ tags: { costcenter: { tag_key: 'CostCenter', tag_value: ['Support'] } } });
  });

  test('Example 4: what a parent does not allow does not take effect', () => {
    const policyE = {
      tags: {
        project: {
          tag_key: { [CTL]: ['@@none'], '@@assign': 'Project' },
          tag_value: { [CTL]: ['@@append'], '@@assign': ['Maintenance', 'Escalations'] },
        },
      },
    };
    const policyF = { tags: { project: { tag_key: { '@@assign': 'PROJECT' }, tag_value: { '@@append': ['Escalations - research'] } } } };
    const ps = [
      { id: 'p-e', content: policyE, targets: ['r-root'] },
      { id: 'p-f', content: policyF, targets: ['ou-1'] },
    ];
    expect(eff(ps, '111111111111')).toEqual({
      tags: { project: { tag_key: 'Project', tag_value: ['Maintenance', 'Escalations', 'Escalations - research'] } },
    });
  });

  test('Example 5: child-control lists on one node intersect; they bind lower nodes only', () => {
    const policyG = { tags: { project: { tag_value: { [CTL]: ['@@append'], '@@assign': ['Maintenance'] } } } };
    const policyH = { tags: { project: { tag_value: { [CTL]: ['@@append', '@@remove'] } } } };
    const child = { tags: { project: { tag_value: { '@@append': ['Research'], '@@remove': ['Maintenance'] } } } };
    const ps = [
      { id: 'p-g', content: policyG, targets: ['r-root'] },
      { id: 'p-h', content: policyH, targets: ['r-root'] },
      { id: 'p-child', content: child, targets: ['ou-1'] },
    ];
    expect(eff(ps, '111111111111')).toEqual({ tags: { project: { tag_value: ['Maintenance', 'Research'] } } });
    expect(eff(ps, '999999999999')).toEqual({ tags: { project: { tag_value: ['Maintenance'] } } });
  });

  test('Example 6: on one node the first policy wins a conflict (policy id stands in for attachment order)', () => {
    const policyJ = { tags: { project: { tag_key: { '@@assign': 'PROJECT' }, tag_value: { '@@append': ['Maintenance'] } } } };
    const policyK = { tags: { project: { tag_key: { '@@assign': 'project' } } } };
    for (const ps of [
      [
        { id: 'p-j', content: policyJ, targets: ['r-root'] },
        { id: 'p-k', content: policyK, targets: ['r-root'] },
      ],
      [
        { id: 'p-k', content: policyK, targets: ['r-root'] },
        { id: 'p-j', content: policyJ, targets: ['r-root'] },
      ],
    ])
      expect(eff(ps, '222222222222')).toEqual({ tags: { project: { tag_key: 'PROJECT', tag_value: ['Maintenance'] } } });
  });

  test('no policy on the path: no effective policy', () => {
    expect(eff([{ id: 'p-b', content: policyB, targets: ['ou-1'] }], '999999999999')).toBeNull();
    expect(eff([], '111111111111')).toBeNull();
  });
});

describe('where AWS is silent: the policy engine’s readings', () => {
  const gi = (config: Record<string, unknown>) => ({ bedrock: { guardrail_inference: { 'us-east-1': { config_1: config } } } });

  test('a child-control list on a container binds every key below it', () => {
    const ps = [
      { id: 'p-1', content: gi({ [CTL]: ['@@none'], identifier: { '@@assign': 'a' } }), targets: ['r-root'] },
      {
        id: 'p-2',
        content: gi({ identifier: { '@@assign': 'b' }, model_enforcement: { excluded_models: { '@@append': ['m'] } } }),
        targets: ['ou-1'],
      },
    ];
    expect(eff(ps, '111111111111')).toEqual(gi({ identifier: 'a' }));
  });

  test('a @@remove that removes nothing leaves an explicit empty list; one that empties a list drops it', () => {
    const root = {
      id: 'p-1',
      content: gi({ model_enforcement: { excluded_models: { '@@assign': [] }, included_models: { '@@assign': ['x'] } } }),
      targets: ['r-root'],
    };
    const remove = {
      id: 'p-2',
      content: gi({ model_enforcement: { excluded_models: { '@@remove': ['m'] }, included_models: { '@@remove': ['x'] } } }),
      targets: ['ou-1'],
    };
    expect(eff([root, remove], '111111111111')).toEqual(gi({ model_enforcement: { excluded_models: [] } }));
  });

  test('on one node: the first @@assign, then every @@append, then every @@remove, in policy-id order', () => {
    const ps = [
      { id: 'p-2', content: gi({ model_enforcement: { excluded_models: { '@@assign': ['b'] } } }), targets: ['r-root'] },
      {
        id: 'p-1',
        content: gi({ model_enforcement: { excluded_models: { '@@remove': ['a'], '@@append': ['a', 'c'] } } }),
        targets: ['r-root'],
      },
      {
        id: 'p-3',
        content: gi({ model_enforcement: { excluded_models: { '@@assign': ['z'], '@@append': ['c', 'd'] } } }),
        targets: ['r-root'],
      },
    ];
    expect(eff(ps, '111111111111')).toEqual(gi({ model_enforcement: { excluded_models: ['b', 'c', 'd'] } }));
  });

  test('a bare value is read as @@assign; @@append and @@remove skip values of the wrong kind', () => {
    const ps = [
      { id: 'p-1', content: gi({ identifier: 'a', selective_content_guarding: { system: 'selective' } }), targets: ['r-root'] },
      { id: 'p-2', content: gi({ identifier: { '@@append': ['b'], '@@remove': ['a'] } }), targets: ['ou-1'] },
      { id: 'p-3', content: gi({ model_enforcement: { excluded_models: { '@@append': 'm' } } }), targets: ['ou-2'] },
    ];
    expect(eff(ps, '111111111111')).toEqual(gi({ identifier: 'a', selective_content_guarding: { system: 'selective' } }));
    expect(eff(ps, '999999999999')).toEqual(
      gi({ identifier: 'a', selective_content_guarding: { system: 'selective' }, model_enforcement: { excluded_models: ['m'] } }),
    );
  });

  test('policies on the path that leave nothing: an empty effective policy, not none', () => {
    expect(
      eff(
        [{ id: 'p-1', content: gi({ model_enforcement: { excluded_models: { '@@remove': ['m'] } } }), targets: ['r-root'] }],
        '111111111111',
      ),
    ).toEqual({});
  });
});
