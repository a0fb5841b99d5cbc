/** AwsAccess against the sandbox: the credential chain (base → management role → member role), caching and refresh, rate limit, error classes. */
import { jest } from '@jest/globals';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ListRootsCommand } from '@aws-sdk/client-organizations';
import { classifyError } from '../../../rollout/aws/errors.js';
import { type LimiterClock, RateLimiter } from '../../../rollout/aws/limiter.js';
import { AwsAccess, sandboxTarget } from '../../../rollout/aws/clients.js';
import { startSandbox } from '../../../sandbox/index.js';
import { type Fixture, sandboxEnvironment, startFixture } from '../../helpers/sandbox-fixture.js';

/** Fails fast instead of hanging until the jest timeout when a promise never settles. */
function settles<T>(p: Promise<T>, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle within ${ms} ms (credential chain waiting on itself?)`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** The sandbox's record of the STS session a client of `account` signs with. */
async function sessionOf(fx: Fixture, account: string, region?: string) {
  const creds = await fx.access.forAccount(account, region).sts.config.credentials();
  const session = fx.sandbox.state.sessions[creds.accessKeyId];
  if (!session) throw new Error(`${account} does not sign with an STS session (${creds.accessKeyId})`);
  return session;
}

describe('AwsAccess', () => {
  it('chains base → management role → member role: each AssumeRole is signed by the step before (issue 10 regression)', async () => {
    const fx = await startFixture();
    try {
      const mgmtId = fx.env.managementAccountId;
      const adminRole = fx.env.deployment.managementRoleName!;
      expect(adminRole).toBe('GuardrailRolloutAdmin'); // the sandbox environment runs the real chain
      // Before the fix the management-role AssumeRole was signed with the credentials it was
      // producing: the promise waited on itself and this call never settled.
      const mgmt = await settles(fx.access.forAccount(mgmtId).sts.send(new GetCallerIdentityCommand({})));
      expect(mgmt).toMatchObject({ Account: mgmtId, Arn: `arn:aws:sts::${mgmtId}:assumed-role/${adminRole}/guardrail-rollout` });
      const adminSession = await sessionOf(fx, mgmtId);
      expect(adminSession.sourceArn).toBe(`arn:aws:iam::${mgmtId}:root`); // the base identity (seeded management key)

      const member = '444444444441';
      const who = await settles(fx.access.forAccount(member, 'eu-west-1').sts.send(new GetCallerIdentityCommand({})));
      expect(who).toMatchObject({
        Account: member,
        Arn: `arn:aws:sts::${member}:assumed-role/${fx.env.deployment.roleName}/guardrail-rollout`,
      });
      // The member session was assumed FROM the management role session, not from the base keys.
      expect((await sessionOf(fx, member, 'eu-west-1')).sourceArn).toBe(
        `arn:aws:sts::${mgmtId}:assumed-role/${adminRole}/guardrail-rollout`,
      );

      await fx.access.forAccount(member, 'us-east-1').sts.send(new GetCallerIdentityCommand({}));
      await fx.access.forAccount('444444444442').sts.send(new GetCallerIdentityCommand({}));
      // management role once (shared by every member chain), one per member account (shared by regions)
      expect(fx.access.stats().assumeRoles).toBe(3);
    } finally {
      await fx.close();
    }
  });

  it('without a management role: the management account uses the base credentials and members are assumed from them', async () => {
    const env = await sandboxEnvironment();
    const plain = { ...env, deployment: { ...env.deployment, managementRoleName: undefined } };
    const fx = await startFixture({ env: plain });
    try {
      const mgmtId = env.managementAccountId;
      const mgmt = await fx.access.forAccount(mgmtId).sts.send(new GetCallerIdentityCommand({}));
      expect(mgmt.Arn).toBe(`arn:aws:iam::${mgmtId}:root`);
      const member = '444444444441';
      const who = await fx.access.forAccount(member).sts.send(new GetCallerIdentityCommand({}));
      expect(who.Arn).toBe(`arn:aws:sts::${member}:assumed-role/${env.deployment.roleName}/guardrail-rollout`);
      expect((await sessionOf(fx, member)).sourceArn).toBe(`arn:aws:iam::${mgmtId}:root`);
      expect(fx.access.stats().assumeRoles).toBe(1);
    } finally {
      await fx.close();
    }
  });

  it('a member role that does not trust the management side is AccessDenied naming the caller and the role', async () => {
    const env = await sandboxEnvironment();
    const member = '444444444441';
    const sandbox = await startSandbox({ env, trust: { untrustedAccounts: [member] }, onInternalError: () => {} });
    const access = AwsAccess.forEnvironment(env, sandboxTarget(sandbox), { ratePerSecond: 0, maxAttempts: 1 });
    try {
      const err = await access
        .forAccount(member)
        .sts.send(new GetCallerIdentityCommand({}))
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
      const role = `arn:aws:iam::${member}:role/${env.deployment.roleName}`;
      expect((err as Error).message).toBe(
        `AccessDenied: could not assume ${role} (credential chain: base credentials → ` +
          `arn:aws:iam::${env.managementAccountId}:role/GuardrailRolloutAdmin → ${role}): ` +
          `User: arn:aws:sts::${env.managementAccountId}:assumed-role/GuardrailRolloutAdmin/guardrail-rollout is not authorized to perform: ` +
          `sts:AssumeRole on resource: ${role}`,
      );
      expect(classifyError(err)).toBe('denied');
      // Other members and the management role are unaffected; the failure was not cached.
      await expect(access.forAccount('444444444442').sts.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({
        Account: '444444444442',
      });
      await expect(access.forAccount(member).sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'AccessDenied' });
    } finally {
      access.close();
      await sandbox.close();
    }
  });

  it('re-assumes a session (and the session it was chained from) when less than 5 minutes are left', async () => {
    // Only Date is faked: the SDK, AwsAccess and the sandbox read the same clock; sockets and timers stay real.
    jest.useFakeTimers({
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    const env = await sandboxEnvironment();
    const sandbox = await startSandbox({ env, onInternalError: () => {} });
    const access = AwsAccess.forEnvironment(env, sandboxTarget(sandbox), { ratePerSecond: 0, maxAttempts: 1 });
    const member = '444444444441';
    const call = () => access.forAccount(member).sts.send(new GetCallerIdentityCommand({}));
    try {
      const t0 = Date.now();
      await call();
      expect(access.stats().assumeRoles).toBe(2); // management role, then the member role from it
      jest.setSystemTime(t0 + 50 * 60_000);
      await call();
      expect(access.stats().assumeRoles).toBe(2); // 10 minutes left: cached
      jest.setSystemTime(t0 + 56 * 60_000);
      const who = await call();
      expect(access.stats().assumeRoles).toBe(4); // 4 minutes left: both sessions assumed again
      expect(who.Arn).toBe(`arn:aws:sts::${member}:assumed-role/${env.deployment.roleName}/guardrail-rollout`);
      await call();
      expect(access.stats().assumeRoles).toBe(4); // the fresh sessions last another hour
      jest.setSystemTime(t0 + 2 * 3600_000); // a long bake: the old sessions would have expired by now
      await expect(call()).resolves.toMatchObject({ Account: member });
    } finally {
      access.close();
      await sandbox.close();
      jest.useRealTimers();
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

/** Lets promise callbacks (and anything they queue) run. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Simulated time for the limiter: every sleep it asks for is recorded and runs when the test advances. */
function manualClock() {
  let now = 0;
  const pending: { at: number; fn: () => void }[] = [];
  const sleeps: number[] = [];
  const clock: LimiterClock = {
    now: () => now,
    sleep: (ms, fn) => {
      sleeps.push(ms);
      pending.push({ at: now + ms, fn });
    },
  };
  return {
    clock,
    /** Durations of the sleeps requested so far, in ms. */
    sleeps,
    now: () => now,
    pending: () => pending.length,
    /** Moves time to the end of the earliest pending sleep and runs it. */
    async advance(): Promise<void> {
      pending.sort((a, b) => a.at - b.at);
      const next = pending.shift()!;
      now = next.at;
      next.fn();
      await flush();
    },
  };
}

describe('RateLimiter', () => {
  it('spaces calls of one API at the configured rate; other APIs are independent; throttling halves the rate', async () => {
    const t = manualClock();
    const l = new RateLimiter({ ratePerSecond: 50, clock: t.clock });
    let started = 0;
    const calls = Array.from({ length: 11 }, () => l.take('svc:A').then(() => void started++));
    await flush();
    expect(started).toBe(1); // burst 1: one call at once, ten queued behind one wait
    expect(t.sleeps).toEqual([20]);

    let otherStarted = false;
    void l.take('svc:B').then(() => (otherStarted = true));
    await flush();
    expect(otherStarted).toBe(true); // another API does not wait behind svc:A
    expect(t.sleeps).toEqual([20]);

    for (let waits = 1; t.pending() > 0; waits++) {
      await t.advance();
      expect(started).toBe(1 + waits); // each 20 ms wait lets exactly one more call start
    }
    await Promise.all(calls);
    expect(t.sleeps).toEqual(Array(10).fill(20)); // 10 intervals of 20 ms at 50/s
    expect(t.now()).toBe(200);

    l.throttled('svc:A');
    expect(l.currentRate('svc:A')).toBe(25);
    const slowed = l.take('svc:A');
    expect(t.sleeps.at(-1)).toBe(40); // the next call waits one interval at the halved rate
    await t.advance();
    await slowed;
    for (let i = 0; i < 100; i++) l.succeeded('svc:A');
    expect(l.currentRate('svc:A')).toBe(50);
  });

  it('an unlimited limiter never waits', async () => {
    const t = manualClock();
    const l = new RateLimiter({ ratePerSecond: 0, clock: t.clock });
    await Promise.all(Array.from({ length: 100 }, () => l.take('svc:A')));
    expect(t.sleeps).toEqual([]);
    expect(l.currentRate('svc:A')).toBe(0);
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
