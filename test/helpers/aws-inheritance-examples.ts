/**
 * The worked examples of the AWS Organizations documentation, as one table both implementations
 * of inheritance are tested against: the policy engine (through `rollout effective`,
 * test/policy/aws-inheritance-examples.test.ts) and the emulator's own
 * (test/sandbox/organizations/inheritance.test.ts).
 * Source: https://docs.aws.amazon.com/organizations/latest/userguide/inheritance-examples.html
 * Org (diagram of that page): root → OU1 (111111111111, 222222222222), OU2 (999999999999).
 */
export const AWS_EXAMPLES_URL = 'https://docs.aws.amazon.com/organizations/latest/userguide/inheritance-examples.html';
const CTL = '@@operators_allowed_for_child_policies';

export const EXAMPLE_TREE = {
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
};

export interface ExamplePolicy {
  id: string;
  content: Record<string, unknown>;
  targets: string[];
}

export interface AwsExample {
  name: string;
  /** Each list is one way of attaching the example's policies; all must give `expected`. */
  attachments: ExamplePolicy[][];
  /** account → effective policy as DescribeEffectivePolicy shows it (null: none). */
  expected: Record<string, Record<string, unknown> | null>;
}

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
const policyE = {
  tags: {
    project: {
      tag_key: { [CTL]: ['@@none'], '@@assign': 'Project' },
      tag_value: { [CTL]: ['@@append'], '@@assign': ['Maintenance', 'Escalations'] },
    },
  },
};
const policyF = { tags: { project: { tag_key: { '@@assign': 'PROJECT' }, tag_value: { '@@append': ['Escalations - research'] } } } };
const policyG = { tags: { project: { tag_value: { [CTL]: ['@@append'], '@@assign': ['Maintenance'] } } } };
const policyH = { tags: { project: { tag_value: { [CTL]: ['@@append', '@@remove'] } } } };
const childGH = { tags: { project: { tag_value: { '@@append': ['Research'], '@@remove': ['Maintenance'] } } } };
const policyJ = { tags: { project: { tag_key: { '@@assign': 'PROJECT' }, tag_value: { '@@append': ['Maintenance'] } } } };
const policyK = { tags: { project: { tag_key: { '@@assign': 'project' } } } };

const sandboxB = {
  tags: { costcenter: { tag_key: 'CostCenter', tag_value: ['Sandbox'], enforced_for: ['redshift:*', 'dynamodb:table'] } },
};
const untouchedA = { tags: { costcenter: { tag_key: 'CostCenter', tag_value: ['Development', 'Support'] } } };

export const AWS_EXAMPLES: AwsExample[] = [
  {
    name: 'Example 1: allow child policies to overwrite only tag values (policy A at root, B at OU1)',
    attachments: [
      [
        { id: 'p-a', content: policyA, targets: ['r-root'] },
        { id: 'p-b', content: policyB, targets: ['ou-1'] },
      ],
    ],
    // OU2 is untouched by policy B.
    expected: { '111111111111': sandboxB, '222222222222': sandboxB, '999999999999': untouchedA },
  },
  {
    name: 'Example 2: append new values to inherited tags (policy C at OU2)',
    attachments: [
      [
        { id: 'p-a', content: policyA, targets: ['r-root'] },
        { id: 'p-c', content: policyC, targets: ['ou-2'] },
      ],
    ],
    expected: {
      '999999999999': {
        tags: {
          costcenter: {
            tag_key: 'CostCenter',
            tag_value: ['Development', 'Support', 'Marketing'],
            enforced_for: ['redshift:*', 'dynamodb:table'],
          },
        },
      },
    },
  },
  {
    name: 'Example 3: remove values from inherited tags (A root, B OU1, C OU2, D account 999999999999)',
    attachments: [
      [
        { id: 'p-a', content: policyA, targets: ['r-root'] },
        { id: 'p-b', content: policyB, targets: ['ou-1'] },
        { id: 'p-c', content: policyC, targets: ['ou-2'] },
        { id: 'p-d', content: policyD, targets: ['999999999999'] },
      ],
    ],
    // "the only acceptable value … is Support" and "compliance is not enforced": the emptied
    // enforced_for list is gone from the effective policy.
    expected: { '999999999999': { tags: { costcenter: { tag_key: 'CostCenter', tag_value: ['Support'] } } } },
  },
  {
    name: 'Example 4: restrict changes to child policies (policy E at root, F at OU1)',
    attachments: [
      [
        { id: 'p-e', content: policyE, targets: ['r-root'] },
        { id: 'p-f', content: policyF, targets: ['ou-1'] },
      ],
    ],
    // "Policy F attempts to change the case treatment, but it can't": the key stays as policy E
    // assigned it (the page prints it lower-cased, which contradicts its own text).
    expected: {
      '111111111111': { tags: { project: { tag_key: 'Project', tag_value: ['Maintenance', 'Escalations', 'Escalations - research'] } } },
    },
  },
  {
    name: 'Example 5: conflicts with child control operators (G and H at root: intersection = @@append)',
    attachments: [
      [
        { id: 'p-g', content: policyG, targets: ['r-root'] },
        { id: 'p-h', content: policyH, targets: ['r-root'] },
        { id: 'p-child', content: childGH, targets: ['ou-1'] },
      ],
    ],
    // "child policies can append values, but not remove values … can't remove the Maintenance value"
    expected: {
      '111111111111': { tags: { project: { tag_value: ['Maintenance', 'Research'] } } },
      '999999999999': { tags: { project: { tag_value: ['Maintenance'] } } },
    },
  },
  {
    name: 'Example 6: conflicts with appending values at the same level (J attached before K)',
    // Attachment order is stood in for by policy id order (p-j < p-k), whatever the listing order.
    attachments: [
      [
        { id: 'p-j', content: policyJ, targets: ['r-root'] },
        { id: 'p-k', content: policyK, targets: ['r-root'] },
      ],
      [
        { id: 'p-k', content: policyK, targets: ['r-root'] },
        { id: 'p-j', content: policyJ, targets: ['r-root'] },
      ],
    ],
    // "PROJECT is used … because the policy that defined it was attached to the organization root
    // first". (The page's sample output also lists an "Escalations" value no policy of the example sets.)
    expected: { '222222222222': { tags: { project: { tag_key: 'PROJECT', tag_value: ['Maintenance'] } } } },
  },
  {
    name: 'an account with no policy on its path has no effective policy (EffectivePolicyNotFoundException)',
    attachments: [[{ id: 'p-b', content: policyB, targets: ['ou-1'] }]],
    expected: { '999999999999': null, '111111111111': sandboxB },
  },
];
