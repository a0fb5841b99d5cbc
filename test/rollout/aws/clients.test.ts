/** AwsAccess against the sandbox: management vs assumed-role identities, credential caching, rate limit, error classes. */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ListRootsCommand } from '@aws-sdk/client-organizations';
import { classifyError } from '../../../rollout/aws/errors.js';
import { type LimiterClock, RateLimiter } from '../../../rollout/aws/limiter.js';
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
