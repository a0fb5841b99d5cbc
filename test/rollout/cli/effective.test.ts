import { runCli, writeTemp } from '../../helpers/run-cli.js';

const doc = {
  bedrock: {
    guardrail_inference: {
      'us-east-1': { config_1: { identifier: { '@@assign': 'arn:aws:bedrock:us-east-1:111111111111:guardrail/abc:3' } } },
    },
  },
};
const base = {
  root: 'r-1',
  ous: [{ id: 'ou-a', parent: 'r-1' }],
  accounts: [
    { id: '111111111111', parent: 'ou-a' },
    { id: '222222222222', parent: 'r-1' },
  ],
  policies: [{ id: 'p-1', content: JSON.stringify(doc), targets: ['ou-a'] }],
};

describe('rollout effective', () => {
  test('prints a readable table without --json', async () => {
    const r = await runCli(['effective', '--org', writeTemp('org.json', base)]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/111111111111\s+us-east-1\s+arn:aws:bedrock:us-east-1:111111111111:guardrail\/abc:3/);
    expect(r.out).toMatch(/222222222222\s+-\s+\(no BEDROCK_POLICY on its path\)/);
  });

  test.each([
    ['an unknown key', { ...base, extra: true }, /org\.json at extra: .*/],
    [
      'a parent that does not exist',
      { ...base, accounts: [{ id: '1', parent: 'ou-missing' }] },
      /org\.json at accounts\[0\]\.parent: "ou-missing" is neither the root nor an OU/,
    ],
    [
      'a target that does not exist',
      { ...base, policies: [{ id: 'p', content: doc, targets: ['ou-zz'] }] },
      /at policies\[0\]\.targets\[0\]/,
    ],
    [
      'content that is not a document',
      { ...base, policies: [{ id: 'p', content: '{not json', targets: ['r-1'] }] },
      /at policies\[0\]\.content: not a JSON object policy document/,
    ],
    [
      'a cycle between OUs',
      {
        ...base,
        ous: [
          { id: 'ou-a', parent: 'ou-b' },
          { id: 'ou-b', parent: 'ou-a' },
        ],
      },
      /not reachable from the root/,
    ],
  ])('bad input (%s) exits 2 naming the file and the path', async (_, snapshot, message) => {
    const r = await runCli(['effective', '--org', writeTemp('org.json', snapshot)]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  test('a file that is not JSON, or missing, exits 2', async () => {
    expect((await runCli(['effective', '--org', writeTemp('org.json', '{')])).code).toBe(2);
    const missing = await runCli(['--json', 'effective', '--org', '/nonexistent/org.json']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.out)).toMatchObject({ ok: false, error: { type: 'InputError', file: '/nonexistent/org.json' } });
  });
});
