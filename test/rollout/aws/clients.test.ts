/** AwsAccess against the sandbox: management vs assumed-role identities, credential caching, rate limit, error classes. */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ListRootsCommand } from '@aws-sdk/client-organizations';
import { classifyError } from '../../../rollout/aws/errors.js';
import { RateLimiter } from '../../../rollout/aws/limiter.js';
import { startFixture } from '../../helpers/sandbox-fixture.js';

describe('AwsAccess', () => {
  it('acts as the management account with base credentials and as members through AssumeRole (cached)', async () => {
    const fx = await startFixture();
    try {
      const mgmt = await fx.access.forAccount(fx.env.managementAccountId).sts.send(new GetCallerIdentityCommand({}));
      expect(mgmt.Account).toBe(fx.env.managementAccountId);
      const member = '444444444441';
      const who = await fx.access.forAccount(member, 'eu-west-1').sts.send(new GetCallerIdentityCommand({}));
      expect(who.Account).toBe(member);
      expect(who.Arn).toMatch(new RegExp(`assumed-role/${fx.env.deployment.roleName}/`));
      await fx.access.forAccount(member, 'us-east-1').sts.send(new GetCallerIdentityCommand({}));
      expect(fx.access.stats().assumeRoles).toBe(1); // one AssumeRole per account, shared by regions
    } finally {
      await fx.close();
    }
  });

  it('a member without the deployment role cannot be reached: AccessDenied, classified as denied (not transient)', async () => {
    const fx = await startFixture({ access: { roleName: 'NoSuchRole' } });
    try {
      const err = await fx.access
        .forAccount('444444444441')
        .organizations.send(new ListRootsCommand({}))
        .catch((e: unknown) => e);
      expect(classifyError(err)).toBe('denied');
    } finally {
      await fx.close();
    }
  });

  it('retries throttled calls and counts them per API', async () => {
    const fx = await startFixture({ access: { maxAttempts: 5 } });
    try {
      fx.sandbox.setFaults({ ListRoots: { throttleRate: 0.5 } });
      const org = fx.access.forAccount(fx.env.managementAccountId).organizations;
      for (let i = 0; i < 10; i++) await org.send(new ListRootsCommand({}));
      const s = fx.access.stats().byApi['organizations:ListRoots']!;
      expect(s.throttled).toBeGreaterThan(0);
      expect(s.attempts).toBe(10 + s.errors);
    } finally {
      await fx.close();
    }
  });
});

describe('RateLimiter', () => {
  it('spaces calls of one API at the configured rate; other APIs are independent; throttling halves the rate', async () => {
    const l = new RateLimiter({ ratePerSecond: 50 });
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 11 }, () => l.take('svc:A')));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(180); // 10 intervals of 20 ms
    const t1 = Date.now();
    await l.take('svc:B');
    expect(Date.now() - t1).toBeLessThan(50);
    l.throttled('svc:A');
    expect(l.currentRate('svc:A')).toBe(25);
    for (let i = 0; i < 100; i++) l.succeeded('svc:A');
    expect(l.currentRate('svc:A')).toBe(50);
    expect(new RateLimiter({ ratePerSecond: 0 }).currentRate('x:y')).toBe(0);
  });

  it('classifies throttling and 5xx as transient, 403 as denied', () => {
    expect(classifyError(Object.assign(new Error('x'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 429 } }))).toBe(
      'transient',
    );
    expect(classifyError(Object.assign(new Error('x'), { name: 'ServiceException', $metadata: { httpStatusCode: 500 } }))).toBe(
      'transient',
    );
    expect(classifyError(Object.assign(new Error('x'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }))).toBe(
      'denied',
    );
    expect(classifyError(Object.assign(new Error('x'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } }))).toBe(
      'invalid',
    );
  });
});
