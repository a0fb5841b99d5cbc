/**
 * The emulator's own inheritance (sandbox/organizations/inheritance.ts) on AWS's worked examples
 * (https://docs.aws.amazon.com/organizations/latest/userguide/inheritance-examples.html, org of that
 * page: root → OU1 (111111111111, 222222222222), OU2 (999999999999)) and on the readings it shares
 * with the policy engine where AWS is silent (docs/policy-engine.md, "Where AWS is silent").
 */
import { type AttachedPolicy, effectivePolicyOf, pathOf } from '../../../sandbox/organizations/inheritance.js';
import { AWS_EXAMPLES } from '../../helpers/aws-inheritance-examples.js';

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

describe('AWS inheritance examples', () => {
  test('the path is root, each OU from the root down, the account', () => {
    expect(pathOf(tree, '333333333333')).toEqual(['r-root', 'ou-1', 'ou-11', '333333333333']);
    expect(() => pathOf(tree, '444444444444')).toThrow(/not in the organization/);
  });

  test.each(AWS_EXAMPLES.map((e) => [e.name, e] as const))('%s', (_name, example) => {
    for (const policies of example.attachments) {
      for (const [account, expected] of Object.entries(example.expected)) expect(eff(policies, account)).toEqual(expected);
    }
  });

  test('policy content may be given as its JSON string', () => {
    const [first] = AWS_EXAMPLES;
    const asText = first.attachments[0].map((p) => ({ ...p, content: JSON.stringify(p.content) }));
    for (const [account, expected] of Object.entries(first.expected)) expect(eff(asText, account)).toEqual(expected);
  });

  test('no policy attached at all: no effective policy', () => {
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
