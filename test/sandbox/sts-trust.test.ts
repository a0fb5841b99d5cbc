/**
 * STS AssumeRole checks the role's trust as AWS does (issue 10): member roles trust the
 * management account, the management role trusts the base identity, a missing role and a refused
 * trust are the same AccessDenied, role chaining is capped at one hour, and GetCallerIdentity of a
 * chained session is the assumed role.
 */
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { SandboxHandle } from '../../sandbox/index.js';
import { seedRoles, seedState } from '../../sandbox/seed.js';
import { deserializeState, serializeState } from '../../sandbox/state.js';
import { cfg, MGMT, PILOT, PROD, start, testEnv } from '../helpers/sandbox.js';

const ADMIN = `arn:aws:iam::${MGMT}:role/GuardrailAdminRole`;
const MEMBER = (acct: string) => `arn:aws:iam::${acct}:role/GuardrailRolloutRole`;
const denied = (caller: string, role: string) => `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${role}`;

function credsOf(r: { Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string } }) {
  return {
    accessKeyId: r.Credentials!.AccessKeyId!,
    secretAccessKey: r.Credentials!.SecretAccessKey!,
    sessionToken: r.Credentials!.SessionToken!,
  };
}

test('the seed creates the roles of the deployment settings with their trust', () => {
  const roles = seedRoles(testEnv(), [MGMT, PILOT, PROD]);
  expect(roles).toEqual({
    [MGMT]: [{ name: 'GuardrailAdminRole', trust: [`arn:aws:iam::${MGMT}:root`] }],
    [PILOT]: [{ name: 'GuardrailRolloutRole', trust: [`arn:aws:iam::${MGMT}:root`] }],
    [PROD]: [{ name: 'GuardrailRolloutRole', trust: [`arn:aws:iam::${MGMT}:root`] }],
  });
  // Without a management role the configuration assumes roleName in the management account too.
  const plain = seedRoles(testEnv({ deployment: { roleName: 'GuardrailRolloutRole' } }), [MGMT, PILOT]);
  expect(plain[MGMT]).toEqual([{ name: 'GuardrailRolloutRole', trust: [`arn:aws:iam::${MGMT}:root`] }]);
  const broken = seedRoles(testEnv(), [MGMT, PILOT], { untrustedAccounts: [PILOT], basePrincipal: 'arn:aws:iam::999999999999:user/ci' });
  expect(broken[PILOT]).toEqual([{ name: 'GuardrailRolloutRole', trust: [`arn:aws:iam::${PILOT}:root`] }]);
  expect(broken[MGMT]).toEqual([{ name: 'GuardrailAdminRole', trust: ['arn:aws:iam::999999999999:user/ci'] }]);
});

test('a state file from before trust lists loads with its roles trusting the management account', () => {
  const state = seedState(testEnv());
  const legacy = JSON.parse(serializeState(state)) as Record<string, unknown>;
  legacy.roles = { [MGMT]: ['GuardrailAdminRole'], [PILOT]: ['GuardrailRolloutRole'] };
  const loaded = deserializeState(JSON.stringify(legacy));
  expect(loaded.roles[PILOT]).toEqual([{ name: 'GuardrailRolloutRole', trust: [`arn:aws:iam::${MGMT}:root`] }]);
});

describe('with the default trust', () => {
  let sb: SandboxHandle;
  beforeAll(async () => {
    sb = await start();
  });
  afterAll(async () => {
    await sb.close();
  });

  test('base → management role → member role; the chained session acts as the member role', async () => {
    const admin = await new STSClient(cfg(sb, MGMT)).send(new AssumeRoleCommand({ RoleArn: ADMIN, RoleSessionName: 'rollout' }));
    const adminSts = new STSClient({ ...cfg(sb, MGMT), credentials: credsOf(admin) });
    expect((await adminSts.send(new GetCallerIdentityCommand({}))).Arn).toBe(
      `arn:aws:sts::${MGMT}:assumed-role/GuardrailAdminRole/rollout`,
    );

    const member = await adminSts.send(new AssumeRoleCommand({ RoleArn: MEMBER(PILOT), RoleSessionName: 'rollout' }));
    const memberSts = new STSClient({ ...cfg(sb, MGMT), credentials: credsOf(member) });
    const id = await memberSts.send(new GetCallerIdentityCommand({}));
    expect(id).toMatchObject({ Account: PILOT, Arn: `arn:aws:sts::${PILOT}:assumed-role/GuardrailRolloutRole/rollout` });
    expect(sb.state.sessions[member.Credentials!.AccessKeyId!]!.sourceArn).toBe(
      `arn:aws:sts::${MGMT}:assumed-role/GuardrailAdminRole/rollout`,
    );
  });

  test('a member role does not trust another member account: AccessDenied (403) with the caller and the role', async () => {
    const err = await new STSClient(cfg(sb, PROD))
      .send(new AssumeRoleCommand({ RoleArn: MEMBER(PILOT), RoleSessionName: 's1' }))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    expect((err as Error).message).toBe(denied(`arn:aws:iam::${PROD}:root`, MEMBER(PILOT)));
    // Nor may a member session assume the management role.
    const member = await new STSClient(cfg(sb, MGMT)).send(new AssumeRoleCommand({ RoleArn: MEMBER(PILOT), RoleSessionName: 's2' }));
    const fromMember = await new STSClient({ ...cfg(sb, MGMT), credentials: credsOf(member) })
      .send(new AssumeRoleCommand({ RoleArn: ADMIN, RoleSessionName: 's3' }))
      .catch((e: unknown) => e);
    expect((fromMember as Error).message).toBe(denied(`arn:aws:sts::${PILOT}:assumed-role/GuardrailRolloutRole/s2`, ADMIN));
  });

  test('role chaining is capped at one hour; a first hop may ask for more', async () => {
    const base = new STSClient(cfg(sb, MGMT));
    const long = await base.send(new AssumeRoleCommand({ RoleArn: ADMIN, RoleSessionName: 'long', DurationSeconds: 7200 }));
    expect(long.Credentials!.Expiration!.getTime() - Date.now()).toBeGreaterThan(7100_000);
    const chained = new STSClient({ ...cfg(sb, MGMT), credentials: credsOf(long), maxAttempts: 1 });
    const err = await chained
      .send(new AssumeRoleCommand({ RoleArn: MEMBER(PILOT), RoleSessionName: 'cc', DurationSeconds: 7200 }))
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'ValidationError', $metadata: { httpStatusCode: 400 } });
    expect((err as Error).message).toBe(
      'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    );
    await expect(
      chained.send(new AssumeRoleCommand({ RoleArn: MEMBER(PILOT), RoleSessionName: 'cc', DurationSeconds: 3600 })),
    ).resolves.toBeDefined();
  });
});

test('the management role trusts only the configured base principal; a broken member trust is AccessDenied', async () => {
  const sb = await start({ trust: { basePrincipal: 'arn:aws:iam::999999999999:user/ci', untrustedAccounts: [PROD] } });
  try {
    const base = new STSClient(cfg(sb, MGMT));
    const err = await base.send(new AssumeRoleCommand({ RoleArn: ADMIN, RoleSessionName: 'ss' })).catch((e: unknown) => e);
    expect((err as Error).message).toBe(denied(`arn:aws:iam::${MGMT}:root`, ADMIN));
    // Members still trust the management account; PROD's role trusts only PROD itself.
    await expect(base.send(new AssumeRoleCommand({ RoleArn: MEMBER(PILOT), RoleSessionName: 'ss' }))).resolves.toBeDefined();
    const prod = await base.send(new AssumeRoleCommand({ RoleArn: MEMBER(PROD), RoleSessionName: 'ss' })).catch((e: unknown) => e);
    expect((prod as Error).message).toBe(denied(`arn:aws:iam::${MGMT}:root`, MEMBER(PROD)));
  } finally {
    await sb.close();
  }
});
