/**
 * `teamAdditions[]` of environment.yaml: what a user sees for each rule (file, path, expectation),
 * the loaded shape, and the pure rules of model/team-additions.ts (expiry, the baseline phase
 * reaching an account).
 */
import type { Document } from 'yaml';
import { InputError } from '../../core/errors.js';
import { baselinePhaseFor, teamAdditionStatus, teamStackName } from '../../model/team-additions.js';
import { loadError, loadMutated, SANDBOX_DIR } from '../helpers/environment.js';

async function rejects(mutate: (d: Document) => void) {
  const err = await loadError(mutate);
  expect(err).toBeInstanceOf(InputError);
  expect(err.exitCode).toBe(2);
  expect(err.file).toMatch(/environment\.yaml$/);
  return err;
}

/** A second addition, valid unless a test changes it. */
function addSecond(d: Document, over: Record<string, unknown> = {}) {
  const a = {
    id: 'claims-strict',
    account: '555555555552',
    owner: 'claims-team',
    reason: 'claims assistant',
    definition: `${SANDBOX_DIR}/guardrails/support-bot-strict.ts`,
    smoke: [{ id: 'c1', surface: 'message', model: 'anthropic.claude-3-5-sonnet-20241022-v2:0', content: 'x', expect: 'blocked' }],
    ...over,
  };
  (d.get('teamAdditions') as { add(v: unknown): void }).add(d.createNode(a));
}

describe('loading', () => {
  test('the sandbox sample: regions default to the environment, definition imported and hashed, cases read', async () => {
    const env = await loadMutated(() => {});
    const [a] = env.teamAdditions!;
    expect(a).toMatchObject({
      id: 'support-bot-strict',
      account: '555555555551',
      owner: 'payments-support-team@northwind.example',
      approver: 'ciso-office',
      expires: '2027-03-31',
      regions: ['us-east-1', 'eu-west-1'],
      smoke: [{ id: 'block-competitor', expect: 'blocked' }],
    });
    expect(a!.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(a!.definition.toSpec().topics.map((t) => t.name)).toEqual(['Competitor Products']);
    expect(teamStackName(a!.id)).toBe('team-support-bot-strict');
  });

  test('absent section: no teamAdditions key at all', async () => {
    const env = await loadMutated((d) => {
      d.delete('teamAdditions');
    });
    expect(env.teamAdditions).toBeUndefined();
  });
});

describe('validation (exit 2, file and path)', () => {
  test('an account not in the organization', async () => {
    const err = await rejects((d) => d.setIn(['teamAdditions', 0, 'account'], '999999999999'));
    expect(err.path).toBe('teamAdditions[0].account');
    expect(err.expected).toMatch(
      /^expected an account listed in organization.accounts, got "999999999999" which is not listed \(line \d+\)$/,
    );
  });

  test('the pilot account (its account-level configuration is the pilot phase’s)', async () => {
    const err = await rejects((d) => d.setIn(['teamAdditions', 0, 'account'], '666666666661'));
    expect(err.path).toBe('teamAdditions[0].account');
    expect(err.expected).toContain('expected an account other than the pilot account 666666666661');
  });

  test('two additions for one account and region', async () => {
    const err = await rejects((d) => addSecond(d, { account: '555555555551', regions: ['eu-west-1'] }));
    expect(err.path).toBe('teamAdditions[1].account');
    expect(err.expected).toContain('555555555551 in eu-west-1 is also taken by "support-bot-strict"');
  });

  test('the same account in another region is fine', async () => {
    const env = await loadMutated((d) => {
      d.setIn(['teamAdditions', 0, 'regions'], ['us-east-1']);
      addSecond(d, { account: '555555555551', regions: ['eu-west-1'] });
    });
    expect(env.teamAdditions!.map((a) => [a.id, a.regions])).toEqual([
      ['support-bot-strict', ['us-east-1']],
      ['claims-strict', ['eu-west-1']],
    ]);
  });

  test('duplicate ids', async () => {
    const err = await rejects((d) => addSecond(d, { id: 'support-bot-strict' }));
    expect([err.path, err.expected]).toEqual([
      'teamAdditions[1].id',
      expect.stringContaining('expected unique team addition ids; "support-bot-strict" is also teamAdditions[0]'),
    ]);
  });

  test.each([['Support_Bot'], ['-x'], ['a'.repeat(36)]])('a bad id %j', async (id) => {
    const err = await rejects((d) => d.setIn(['teamAdditions', 0, 'id'], id));
    expect(err.path).toBe('teamAdditions[0].id');
    expect(err.expected).toContain('expected a team addition id of lower-case letters, digits and "-"');
  });

  test.each([['owner'], ['reason']])('missing %s', async (key) => {
    const err = await rejects((d) => d.deleteIn(['teamAdditions', 0, key]));
    expect(err.path).toBe(`teamAdditions[0].${key}`);
    expect(err.expected).toMatch(/required but missing|expected the (owner|reason)/);
  });

  test('a smoke case that expects allowed', async () => {
    const err = await rejects((d) => d.setIn(['teamAdditions', 0, 'smoke', 0, 'expect'], 'allowed'));
    expect(err.path).toBe('teamAdditions[0].smoke[0].expect');
    expect(err.expected).toContain('expected "blocked" or "anonymized"');
  });

  test('no smoke cases', async () => {
    const err = await rejects((d) => d.setIn(['teamAdditions', 0, 'smoke'], []));
    expect(err.path).toBe('teamAdditions[0].smoke');
    expect(err.expected).toContain('expected at least one smoke case');
  });

  test('a region the environment does not deploy to', async () => {
    const err = await rejects((d) => d.setIn(['teamAdditions', 0, 'regions'], ['us-west-2']));
    expect(err.path).toBe('teamAdditions[0].regions[0]');
    expect(err.expected).toContain("expected one of the environment's regions (us-east-1, eu-west-1)");
  });

  test('a definition that does not exist', async () => {
    const err = await rejects((d) => d.setIn(['teamAdditions', 0, 'definition'], 'guardrails/nope.ts'));
    expect(err.path).toBe('teamAdditions[0].definition');
    expect(err.expected).toContain('does not exist');
  });

  test('an unreal expiry date', async () => {
    const err = await rejects((d) => d.setIn(['teamAdditions', 0, 'expires'], '2027-02-30'));
    expect(err.path).toBe('teamAdditions[0].expires');
  });
});

describe('pure rules', () => {
  test('expiry: active through the end of its day (UTC), like exceptions; no expiry is always active', () => {
    const a = { expires: '2027-03-31' };
    expect(teamAdditionStatus(a, new Date('2027-03-31T23:59:59.999Z'))).toBe('active');
    expect(teamAdditionStatus(a, new Date('2027-04-01T00:00:00Z'))).toBe('expired');
    expect(teamAdditionStatus({}, new Date('2099-01-01T00:00:00Z'))).toBe('active');
  });

  test('the baseline phase reaching an account: the narrowest phase that covers it and holds a release', async () => {
    const env = await loadMutated(() => {});
    const all = new Set(['pilot', 'model-rules', 'ou', 'enterprise'] as const);
    expect(baselinePhaseFor(env, '555555555551', all)).toBe('enterprise');
    expect(baselinePhaseFor(env, '666666666663', all)).toBe('ou'); // under the pilot OU
    expect(baselinePhaseFor(env, '666666666663', new Set(['enterprise'] as const))).toBe('enterprise');
    expect(baselinePhaseFor(env, '555555555551', new Set(['pilot', 'model-rules', 'ou'] as const))).toBeUndefined();
  });
});
