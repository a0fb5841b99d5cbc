/**
 * The worked examples of the AWS Organizations documentation, reproduced through `rollout effective`.
 * Source: https://docs.aws.amazon.com/organizations/latest/userguide/inheritance-examples.html
 * Org (diagram of that page): root → OU1 (111111111111, 222222222222), OU2 (999999999999).
 */
import { effectiveViaCli } from '../helpers/run-cli.js';

const URL = 'https://docs.aws.amazon.com/organizations/latest/userguide/inheritance-examples.html';
const org = (policies: { id: string; content: unknown; targets: string[] }[]) => ({
  root: 'r-root',
  ous: [
    { id: 'ou-1', parent: 'r-root' },
    { id: 'ou-2', parent: 'r-root' },
  ],
  accounts: [
    { id: '111111111111', parent: 'ou-1' },
    { id: '222222222222', parent: 'ou-1' },
    { id: '999999999999', parent: 'ou-2' },
  ],
  policies,
});

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
// The page nests enforced_for inside tag_value in policy D (an indentation slip); its text and the
// resulting effective policy treat it as a sibling, as written here.
const policyD = {
  tags: {
    costcenter: {
      tag_key: { '@@assign': 'CostCenter' },
      tag_value: { '@@remove': ['Development', 'Marketing'] },
      enforced_for: { '@@remove': ['redshift:*', 'dynamodb:table'] },
    },
  },
};

describe(`AWS inheritance examples (${URL})`, () => {
  test('Example 1: Allow child policies to overwrite only tag values (policy A at root, B at OU1)', async () => {
    const out = await effectiveViaCli(
      org([
        { id: 'p-a', content: policyA, targets: ['r-root'] },
        { id: 'p-b', content: policyB, targets: ['ou-1'] },
      ]),
    );
    const expected = {
      tags: { costcenter: { tag_key: 'CostCenter', tag_value: ['Sandbox'], enforced_for: ['redshift:*', 'dynamodb:table'] } },
    };
    expect(out['111111111111']).toEqual(expected);
    expect(out['222222222222']).toEqual(expected);
    // OU2 is untouched by policy B.
    expect(out['999999999999']).toEqual({ tags: { costcenter: { tag_key: 'CostCenter', tag_value: ['Development', 'Support'] } } });
  });

  test('Example 2: Append new values to inherited tags (policy C at OU2)', async () => {
    const out = await effectiveViaCli(
      org([
        { id: 'p-a', content: policyA, targets: ['r-root'] },
        { id: 'p-c', content: policyC, targets: ['ou-2'] },
      ]),
    );
    expect(out['999999999999']).toEqual({
      tags: {
        costcenter: {
          tag_key: 'CostCenter',
          tag_value: ['Development', 'Support', 'Marketing'],
          enforced_for: ['redshift:*', 'dynamodb:table'],
        },
      },
    });
  });

  test('Example 3: Remove values from inherited tags (A root, B OU1, C OU2, D account 999999999999)', async () => {
    const out = await effectiveViaCli(
      org([
        { id: 'p-a', content: policyA, targets: ['r-root'] },
        { id: 'p-b', content: policyB, targets: ['ou-1'] },
        { id: 'p-c', content: policyC, targets: ['ou-2'] },
        { id: 'p-d', content: policyD, targets: ['999999999999'] },
      ]),
    );
    // "the only acceptable value … is Support" and "compliance is not enforced": the emptied
    // enforced_for list is gone from the effective policy.
    expect(out['999999999999']).toEqual({ tags: { costcenter: { tag_key: 'CostCenter', tag_value: ['Support'] } } });
  });

  test('Example 4: Restrict changes to child policies (policy E at root, F at an OU)', async () => {
    const policyE = {
      tags: {
        project: {
          tag_key: { '@@operators_allowed_for_child_policies': ['@@none'], '@@assign': 'Project' },
          tag_value: { '@@operators_allowed_for_child_policies': ['@@append'], '@@assign': ['Maintenance', 'Escalations'] },
        },
      },
    };
    const policyF = { tags: { project: { tag_key: { '@@assign': 'PROJECT' }, tag_value: { '@@append': ['Escalations - research'] } } } };
    const out = await effectiveViaCli(
      org([
        { id: 'p-e', content: policyE, targets: ['r-root'] },
        { id: 'p-f', content: policyF, targets: ['ou-1'] },
      ]),
    );
    // "Policy F attempts to change the case treatment, but it can't": the key stays as policy E
    // assigned it (the page prints it lower-cased, which contradicts its own text).
    expect(out['111111111111']).toEqual({
      tags: {
        project: {
          tag_key: 'Project',
          tag_value: ['Maintenance', 'Escalations', 'Escalations - research'],
        },
      },
    });
  });

  test('Example 5: Conflicts with child control operators (G and H at root: intersection = @@append)', async () => {
    const policyG = {
      tags: { project: { tag_value: { '@@operators_allowed_for_child_policies': ['@@append'], '@@assign': ['Maintenance'] } } },
    };
    const policyH = { tags: { project: { tag_value: { '@@operators_allowed_for_child_policies': ['@@append', '@@remove'] } } } };
    const child = { tags: { project: { tag_value: { '@@append': ['Research'], '@@remove': ['Maintenance'] } } } };
    const out = await effectiveViaCli(
      org([
        { id: 'p-g', content: policyG, targets: ['r-root'] },
        { id: 'p-h', content: policyH, targets: ['r-root'] },
        { id: 'p-child', content: child, targets: ['ou-1'] },
      ]),
    );
    // "child policies can append values, but not remove values … can't remove the Maintenance value"
    expect(out['111111111111']).toEqual({ tags: { project: { tag_value: ['Maintenance', 'Research'] } } });
    expect(out['999999999999']).toEqual({ tags: { project: { tag_value: ['Maintenance'] } } });
  });

  test('Example 6: Conflicts with appending values at same hierarchy level (J attached before K)', async () => {
    const policyJ = { tags: { project: { tag_key: { '@@assign': 'PROJECT' }, tag_value: { '@@append': ['Maintenance'] } } } };
    const policyK = { tags: { project: { tag_key: { '@@assign': 'project' } } } };
    // Attachment order is stood in for by policy id order (p-j < p-k), whatever the listing order.
    for (const policies of [
      [
        { id: 'p-j', content: policyJ, targets: ['r-root'] },
        { id: 'p-k', content: policyK, targets: ['r-root'] },
      ],
      [
        { id: 'p-k', content: policyK, targets: ['r-root'] },
        { id: 'p-j', content: policyJ, targets: ['r-root'] },
      ],
    ]) {
      const out = await effectiveViaCli(org(policies));
      // "PROJECT is used … because the policy that defined it was attached to the organization root
      // first". (The page's sample output also lists an "Escalations" value no policy of the example sets.)
      expect(out['222222222222']).toEqual({ tags: { project: { tag_key: 'PROJECT', tag_value: ['Maintenance'] } } });
    }
  });

  test('an account with no policy on its path has no effective policy (EffectivePolicyNotFoundException → null)', async () => {
    const out = await effectiveViaCli(org([{ id: 'p-b', content: policyB, targets: ['ou-1'] }]));
    expect(out['999999999999']).toBeNull();
    expect(out['111111111111']).not.toBeNull();
  });
});
