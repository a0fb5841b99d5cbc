import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { OrganizationsClient, DescribeOrganizationCommand, ListRootsCommand, AccessDeniedException } from '@aws-sdk/client-organizations';
import type { SandboxHandle } from '../../sandbox/index.js';
import { cfg, MGMT, PILOT, start } from '../helpers/sandbox.js';

let sb: SandboxHandle;
beforeAll(async () => {
  sb = await start();
});
afterAll(async () => {
  await sb.close();
});

test('GetCallerIdentity maps the seeded access key to its account', async () => {
  const sts = new STSClient(cfg(sb, PILOT));
  const id = await sts.send(new GetCallerIdentityCommand({}));
  expect(id.Account).toBe(PILOT);
  expect(id.Arn).toBe(`arn:aws:iam::${PILOT}:root`);
  expect(id.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
});

test('AssumeRole returns temporary credentials that act as the assumed role in the target account', async () => {
  const sts = new STSClient(cfg(sb, MGMT));
  const r = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${PILOT}:role/GuardrailRolloutRole`, RoleSessionName: 'rollout-1' }),
  );
  expect(r.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
  expect(r.Credentials?.Expiration).toBeInstanceOf(Date);
  expect(r.Credentials!.Expiration!.getTime() - Date.now()).toBeGreaterThan(3500_000);
  expect(r.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${PILOT}:assumed-role/GuardrailRolloutRole/rollout-1`);

  const creds = {
    accessKeyId: r.Credentials!.AccessKeyId!,
    secretAccessKey: r.Credentials!.SecretAccessKey!,
    sessionToken: r.Credentials!.SessionToken!,
  };
  const assumed = new STSClient({ ...cfg(sb, MGMT), credentials: creds });
  const id = await assumed.send(new GetCallerIdentityCommand({}));
  expect(id.Account).toBe(PILOT);
  expect(id.Arn).toBe(`arn:aws:sts::${PILOT}:assumed-role/GuardrailRolloutRole/rollout-1`);
  expect(id.UserId).toMatch(/^AROA[A-Z0-9]+:rollout-1$/);

  // The session acts as a member account: management-only Organizations calls are refused.
  const org = new OrganizationsClient({ ...cfg(sb, MGMT), credentials: creds });
  await expect(org.send(new ListRootsCommand({}))).rejects.toBeInstanceOf(AccessDeniedException);
  expect((await org.send(new DescribeOrganizationCommand({}))).Organization?.MasterAccountId).toBe(MGMT);

  // Without its session token the temporary key is rejected.
  const noToken = new STSClient({
    ...cfg(sb, MGMT),
    credentials: { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey },
  });
  const err = await noToken.send(new GetCallerIdentityCommand({})).catch((e) => e);
  expect(err).toBeInstanceOf(STSServiceException);
  expect(err.name).toBe('InvalidClientTokenId');
});

test('the management role is assumable only in the management account', async () => {
  const sts = new STSClient(cfg(sb, MGMT));
  const ok = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MGMT}:role/GuardrailAdminRole`, RoleSessionName: 'admin' }));
  expect(ok.AssumedRoleUser?.Arn).toContain(`${MGMT}:assumed-role/GuardrailAdminRole/admin`);
  const err = await sts
    .send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${PILOT}:role/GuardrailAdminRole`, RoleSessionName: 'admin' }))
    .catch((e) => e);
  expect(err).toBeInstanceOf(STSServiceException);
  expect(err.name).toBe('AccessDenied');
  expect(err.$metadata.httpStatusCode).toBe(403);
});

test('AssumeRole of an unknown role or account is AccessDenied; bad session names are ValidationError', async () => {
  const sts = new STSClient(cfg(sb, MGMT));
  for (const RoleArn of [`arn:aws:iam::${PILOT}:role/NoSuchRole`, 'arn:aws:iam::999999999999:role/GuardrailRolloutRole', 'not-an-arn']) {
    const err = await sts.send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 's1' })).catch((e) => e);
    expect(err.name).toBe('AccessDenied');
  }
  const bad = await sts
    .send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${PILOT}:role/GuardrailRolloutRole`, RoleSessionName: 'has space' }))
    .catch((e) => e);
  expect(bad.name).toBe('ValidationError');
});

test('an unknown access key is InvalidClientTokenId (403)', async () => {
  const sts = new STSClient({ ...cfg(sb, MGMT), credentials: { accessKeyId: 'AKIAUNKNOWNKEY000000', secretAccessKey: 'x' } });
  const err = await sts.send(new GetCallerIdentityCommand({})).catch((e) => e);
  expect(err).toBeInstanceOf(STSServiceException);
  expect(err.name).toBe('InvalidClientTokenId');
  expect(err.$metadata.httpStatusCode).toBe(403);
});
