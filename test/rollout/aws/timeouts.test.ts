/**
 * Stalled calls and server-side quotas, real SDK over loopback against the sandbox: every
 * attempt has a hard timeout that aborts it, attempts are bounded, a gate has an overall
 * deadline — a call that never answers makes the effective-policy check inconclusive, never
 * passed and never a hang — and the adaptive limiter gets a gate through real throttling
 * (a server quota of 10 calls/s against a client configured for 50) with no false result.
 * Behaviour only: short test timeouts, no wall-clock assertions.
 */
import { ListRootsCommand } from '@aws-sdk/client-organizations';
import type { Environment } from '../../../model/types.js';
import { AwsAccess, callTimeouts, sandboxTarget, type AwsAccessOptions } from '../../../rollout/aws/clients.js';
import { DeadlineExceededError, withDeadline } from '../../../rollout/aws/deadline.js';
import { classifyError } from '../../../rollout/aws/errors.js';
import { effectivePolicyGate, runEffectivePolicyCheck, type GateRunContext } from '../../../rollout/gates/index.js';
import { gateDeadlineMs, runGateWithDeadline } from '../../../rollout/gates/result.js';
import type { GateResult, PublishedVersion } from '../../../rollout/state/contracts.js';
import { generateEnvironment } from '../../helpers/generated-environment.js';
import { startFixture, type Fixture } from '../../helpers/sandbox-fixture.js';

const accountChecks = (r: GateResult) => r.checks.filter((c) => /^effective:\d{12}$/.test(c.id));

describe('timeouts, deadlines and quotas against the sandbox (effective-policy gate, generated organization)', () => {
  let fx: Fixture;
  let env: Environment;
  let published: Record<string, PublishedVersion>;
  const opened: AwsAccess[] = [];

  const access = (opts: Partial<Omit<AwsAccessOptions, 'target'>>) => {
    const a = AwsAccess.forEnvironment(env, sandboxTarget(fx.sandbox), { ratePerSecond: 0, ...opts });
    opened.push(a);
    return a;
  };
  const ctx = (a: AwsAccess): GateRunContext => ({
    ...fx.context('enterprise', env.currentRelease, { enterprise: env.currentRelease }, published),
    access: a,
    concurrency: 16,
  });

  beforeAll(async () => {
    const generated = generateEnvironment({ accounts: 40, ous: 5, regions: ['us-east-1'], exceptions: 0, seed: 11 });
    env = { ...generated, exceptions: [] };
    fx = await startFixture({ env });
    const out = await fx.deploy({ enterprise: env.currentRelease });
    published = fx.published(out.guardrails!.outputs, env.currentRelease, env.managementAccountId);
    // Baseline: the gate passes with no faults.
    expect((await runEffectivePolicyCheck(ctx(fx.access))).status).toBe('passed');
  });
  afterEach(() => {
    fx.sandbox.setFaults({});
    fx.sandbox.setQuotas({});
    for (const a of opened.splice(0)) a.close();
  });
  afterAll(async () => {
    await fx.close();
  });

  it('a late answer is a TimeoutError (not accepted after a warning), retried up to maxAttempts, classified transient', async () => {
    fx.sandbox.setFaults({ ListRoots: { stallRate: 1, stallMs: 2_000 } });
    const a = access({ timeoutMs: 150, maxAttempts: 2 });
    const err = await a
      .forAccount(env.managementAccountId)
      .organizations.send(new ListRootsCommand({}))
      .catch((e: unknown) => e);
    expect((err as Error).name).toBe('TimeoutError');
    expect(classifyError(err)).toBe('transient');
    expect(a.stats().byApi['organizations:ListRoots']).toEqual({ attempts: 2, throttled: 0, errors: 2 });
  });

  it('a DescribeEffectivePolicy that never answers: the gate returns inconclusive (per-attempt timeout, bounded attempts)', async () => {
    fx.sandbox.setFaults({ DescribeEffectivePolicy: { stallRate: 1 } });
    const a = access({ timeoutMs: 150, maxAttempts: 2 });
    const r = await runEffectivePolicyCheck(ctx(a));
    expect(r.status).toBe('inconclusive');
    const checks = accountChecks(r);
    expect(checks).toHaveLength(env.organization.accounts.length);
    for (const c of checks) {
      expect(c.status).toBe('inconclusive');
      expect(c.detail).toMatch(/^DescribeEffectivePolicy: TimeoutError/);
    }
    // Bounded attempts: at most maxAttempts per call (the SDK's retry quota may stop some retries sooner).
    const attempts = a.stats().byApi['organizations:DescribeEffectivePolicy']!.attempts;
    expect(attempts).toBeGreaterThan(checks.length);
    expect(attempts).toBeLessThanOrEqual(2 * checks.length);
  });

  it('with long attempt timeouts, the gate deadline aborts what is in flight and fails fast what comes after: inconclusive', async () => {
    fx.sandbox.setFaults({ DescribeEffectivePolicy: { stallRate: 1 } });
    const a = access({ timeoutMs: 600_000, maxAttempts: 4 });
    const r = await runGateWithDeadline(effectivePolicyGate, ctx(a), 300);
    expect(r.gate).toBe('effective-policy');
    expect(r.status).toBe('inconclusive');
    const checks = accountChecks(r);
    expect(checks).toHaveLength(env.organization.accounts.length); // the gate itself returned, every check reported
    for (const c of checks) {
      expect(c.status).toBe('inconclusive');
      expect(c.detail).toMatch(/^DescribeEffectivePolicy: DeadlineExceeded: gate effective-policy: the 300 ms deadline passed/);
    }
    // Only the calls in flight at the deadline reached the wire (concurrency 16), each once: no retry of a deadline.
    expect(a.stats().byApi['organizations:DescribeEffectivePolicy']?.attempts).toBeLessThanOrEqual(16);
  });

  it('a gate stuck outside any AWS call still returns at its deadline: one inconclusive check', async () => {
    const stuck = { name: 'smoke' as const, run: () => new Promise<GateResult>(() => {}) };
    const r = await runGateWithDeadline(stuck, {}, 50);
    expect(r.status).toBe('inconclusive');
    expect(r.checks).toEqual([expect.objectContaining({ id: 'smoke:deadline', status: 'inconclusive' })]);
  });

  it('a server quota of 10 calls/s, the client at 50 calls/s: every check passes, throttles observed and retried', async () => {
    fx.sandbox.setQuotas({ DescribeEffectivePolicy: { ratePerSecond: 10, burst: 10 } });
    const a = access({ ratePerSecond: 50, maxAttempts: 4 });
    const r = await runEffectivePolicyCheck(ctx(a));
    const bad = r.checks.filter((c) => c.status !== 'passed').map((c) => `${c.id}: ${c.detail}`);
    expect(bad).toEqual([]);
    expect(r.status).toBe('passed');
    expect(accountChecks(r)).toHaveLength(env.organization.accounts.length);
    const s = a.stats().byApi['organizations:DescribeEffectivePolicy']!;
    expect(fx.sandbox.quotaThrottles().DescribeEffectivePolicy).toBeGreaterThan(0);
    expect(s.throttled).toBe(fx.sandbox.quotaThrottles().DescribeEffectivePolicy);
    expect(s.attempts).toBe(env.organization.accounts.length + s.throttled); // each throttle retried once more
    expect(a.limiter.currentRate('organizations:DescribeEffectivePolicy')).toBeLessThan(50); // the limiter backed off
  });
});

describe('call timeouts and deadlines: configuration and errors', () => {
  it('defaults: 30 s per attempt on AWS, 10 s on the sandbox, 4 attempts; env vars, then options, override', () => {
    expect(callTimeouts('aws', {}, {})).toEqual({ attemptMs: 30_000, connectMs: 5_000, maxAttempts: 4 });
    expect(callTimeouts('sandbox', {}, {})).toEqual({ attemptMs: 10_000, connectMs: 5_000, maxAttempts: 4 });
    const env = { ROLLOUT_CALL_TIMEOUT_MS: '2000', ROLLOUT_MAX_ATTEMPTS: '6' };
    expect(callTimeouts('aws', {}, env)).toEqual({ attemptMs: 2_000, connectMs: 2_000, maxAttempts: 6 });
    expect(callTimeouts('aws', { timeoutMs: 100, maxAttempts: 1 }, env)).toEqual({ attemptMs: 100, connectMs: 100, maxAttempts: 1 });
    expect(() => callTimeouts('aws', {}, { ROLLOUT_CALL_TIMEOUT_MS: 'soon' })).toThrow(/ROLLOUT_CALL_TIMEOUT_MS/);
    expect(gateDeadlineMs('aws', {})).toBe(30 * 60_000);
    expect(gateDeadlineMs('sandbox', {})).toBe(5 * 60_000);
    expect(gateDeadlineMs('aws', { ROLLOUT_GATE_DEADLINE_MS: '1234' })).toBe(1234);
    expect(() => gateDeadlineMs('aws', { ROLLOUT_GATE_DEADLINE_MS: '-1' })).toThrow(/ROLLOUT_GATE_DEADLINE_MS/);
  });

  it('timeouts and deadlines are transient (missing evidence: inconclusive)', () => {
    expect(classifyError(Object.assign(new Error('x'), { name: 'TimeoutError', code: 'ETIMEDOUT' }))).toBe('transient');
    expect(classifyError(new DeadlineExceededError({ ms: 5, what: 'gate x' }))).toBe('transient');
  });

  it('nested deadlines: the earlier one wins', async () => {
    const { currentDeadline } = await import('../../../rollout/aws/deadline.js');
    await withDeadline(10_000, async () => {
      const outer = currentDeadline()!;
      await withDeadline(50, async () => expect(currentDeadline()!.ms).toBe(50), 'inner');
      await withDeadline(60_000, async () => expect(currentDeadline()).toBe(outer));
    });
    expect(currentDeadline()).toBeUndefined();
  });
});
