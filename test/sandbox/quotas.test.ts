/**
 * Server-side quotas (sandbox/quotas.ts) and stalled calls (sandbox/faults.ts `stallRate` /
 * `stallMs`), seen through the real SDK v3 clients over loopback: each service answers its own
 * throttling error, a stalled call is answered late or never.
 */
import { BedrockClient, ListGuardrailsCommand, ThrottlingException } from '@aws-sdk/client-bedrock';
import { ListRootsCommand, OrganizationsClient, TooManyRequestsException } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { faultConfigSchema, FaultInjector } from '../../sandbox/faults.js';
import type { SandboxHandle } from '../../sandbox/index.js';
import { QuotaKeeper } from '../../sandbox/quotas.js';
import { cfg, MGMT, PILOT, start } from '../helpers/sandbox.js';

describe('QuotaKeeper (token bucket per operation, account and region)', () => {
  it('admits the burst, then the rate; throttled calls take no token; keys are independent', () => {
    let now = 0;
    const q = new QuotaKeeper({ DescribeEffectivePolicy: { ratePerSecond: 10, burst: 3 }, '*': { ratePerSecond: 1 } }, () => now);
    const admitted = () => q.admit('DescribeEffectivePolicy', MGMT, 'us-east-1');
    expect([admitted(), admitted(), admitted(), admitted()]).toEqual([true, true, true, false]);
    // Other accounts, regions and operations have their own buckets.
    expect(q.admit('DescribeEffectivePolicy', PILOT, 'us-east-1')).toBe(true);
    expect(q.admit('DescribeEffectivePolicy', MGMT, 'eu-west-1')).toBe(true);
    expect(q.admit('ListRoots', MGMT, 'us-east-1')).toBe(true); // "*": burst max(1, 1) = 1
    expect(q.admit('ListRoots', MGMT, 'us-east-1')).toBe(false);
    expect(q.admit('Unmetered', MGMT, 'us-east-1')).toBe(true);
    now = 100; // 0.1 s at 10/s: one token
    expect([admitted(), admitted()]).toEqual([true, false]);
    now = 10_000; // refills to the burst, not beyond
    expect([admitted(), admitted(), admitted(), admitted()]).toEqual([true, true, true, false]);
    expect(q.throttled()).toEqual({ DescribeEffectivePolicy: 3, ListRoots: 1 });
    expect(new QuotaKeeper().admit('X', MGMT, 'us-east-1')).toBe(true);
  });

  it('the fault config file carries quotas and stall rules, validated', () => {
    const cfgFile = { ListRoots: { stallRate: 1, stallMs: 50 }, quotas: { DescribeEffectivePolicy: { ratePerSecond: 10, burst: 10 } } };
    expect(faultConfigSchema.parse(cfgFile)).toEqual(cfgFile);
    const inj = new FaultInjector(cfgFile);
    expect(inj.quotas()).toEqual({ DescribeEffectivePolicy: { ratePerSecond: 10, burst: 10 } });
    expect(inj.decide('ListRoots')).toEqual({ kind: 'stall', latencyMs: 0, stallMs: 50 });
    expect(new FaultInjector({ ListRoots: { stallRate: 1 } }).decide('ListRoots')).toEqual({ kind: 'stall', latencyMs: 0 });
    expect(faultConfigSchema.safeParse({ quotas: { X: { ratePerSecond: 0 } } }).success).toBe(false);
    expect(faultConfigSchema.safeParse({ quotas: { X: { rate: 1 } } }).success).toBe(false);
    expect(faultConfigSchema.safeParse({ ListRoots: { stallRate: 2 } }).success).toBe(false);
    expect(faultConfigSchema.safeParse({ ListRoots: { ratePerSecond: 1 } }).success).toBe(false);
  });
});

describe('quotas and stalls over loopback', () => {
  let sb: SandboxHandle;
  beforeAll(async () => {
    sb = await start({ quotas: { ListRoots: { ratePerSecond: 0.001, burst: 2 } } });
  });
  afterAll(async () => {
    await sb.close();
  });
  afterEach(() => {
    sb.setFaults({});
    sb.setQuotas({ ListRoots: { ratePerSecond: 0.001, burst: 2 } });
  });

  it('Organizations over its quota: TooManyRequestsException with HTTP 400 (awsJson1_1)', async () => {
    const org = new OrganizationsClient(cfg(sb, MGMT));
    await org.send(new ListRootsCommand({}));
    await org.send(new ListRootsCommand({}));
    const err = await org.send(new ListRootsCommand({})).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TooManyRequestsException);
    expect((err as TooManyRequestsException).$metadata.httpStatusCode).toBe(400);
    // The bucket is per account: another account still has its burst.
    await new OrganizationsClient(cfg(sb, PILOT)).send(new ListRootsCommand({})).catch((e: unknown) => {
      expect((e as Error).name).not.toBe('TooManyRequestsException'); // (a member may be denied, never throttled here)
    });
    expect(sb.quotaThrottles()).toEqual({ ListRoots: 1 });
  });

  it('Bedrock: ThrottlingException HTTP 429; STS: Throttling — quotas set from the fault config', async () => {
    sb.setFaults({ quotas: { ListGuardrails: { ratePerSecond: 0.001, burst: 1 }, GetCallerIdentity: { ratePerSecond: 0.001, burst: 1 } } });
    const br = new BedrockClient(cfg(sb, MGMT));
    await br.send(new ListGuardrailsCommand({}));
    const err = await br.send(new ListGuardrailsCommand({})).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ThrottlingException);
    expect((err as ThrottlingException).$metadata.httpStatusCode).toBe(429);
    const sts = new STSClient(cfg(sb, MGMT));
    await sts.send(new GetCallerIdentityCommand({}));
    const e2 = (await sts.send(new GetCallerIdentityCommand({})).catch((e: unknown) => e)) as Error & {
      $metadata: { httpStatusCode?: number };
    };
    expect(e2.name).toBe('Throttling');
    expect(e2.$metadata.httpStatusCode).toBe(400);
  });

  it('a stalled call is answered after stallMs; with no stallMs it is never answered (the client timeout ends it)', async () => {
    sb.setQuotas({});
    sb.setFaults({ ListRoots: { stallRate: 1, stallMs: 50 } });
    const org = new OrganizationsClient(cfg(sb, MGMT));
    expect((await org.send(new ListRootsCommand({}))).Roots?.length).toBe(1);

    sb.setFaults({ ListRoots: { stallRate: 1 } });
    const handler = new NodeHttpHandler({ requestTimeout: 200, throwOnRequestTimeout: true });
    const strict = new OrganizationsClient({ ...cfg(sb, MGMT), requestHandler: handler });
    const err = (await strict.send(new ListRootsCommand({})).catch((e: unknown) => e)) as Error;
    expect(err.name).toBe('TimeoutError');
    handler.destroy();
  });
});
