/**
 * The sandbox: a local AWS-compatible emulator of STS, Organizations, the Bedrock control
 * plane, Bedrock Runtime and an S3 subset, for the real AWS SDK v3 clients over loopback.
 *
 *   const sb = await startSandbox({ env, buckets: ['rollout-state'] });
 *   const org = new OrganizationsClient(clientConfig(sb, sb.managementAccountId));
 *   const s3 = new S3Client({ ...clientConfig(sb, sb.managementAccountId), forcePathStyle: true });
 */
import { FaultInjector, type FaultConfig } from './faults.js';
import { QuotaKeeper, type QuotaConfig } from './quotas.js';
import { loadStateFile, StateWriter } from './persist.js';
import { Propagation } from './propagation.js';
import { seedState, type SandboxEnv, type SeedOptions } from './seed.js';
import { listen } from './server.js';
import { ensureBucket } from './services/s3/index.js';
import type { ServiceContext } from './services/common.js';
import type { SandboxState } from './state.js';
import { createWorld } from './world.js';
import type { RuntimeWorld } from './runtime/context.js';
import type { DimensionSetSpec } from './metrics/derive.js';
import type { EnforcedMetricsAccount } from './metrics/publish.js';
import { createMetricsHub } from './metrics-hub.js';
import type { TrafficProfile } from './traffic/profile.js';

export type { FaultConfig, FaultRule } from './faults.js';
export type { QuotaConfig, QuotaRule } from './quotas.js';
export type { SandboxState } from './state.js';
export type { SandboxEnv, SeedOptions } from './seed.js';
export { FOUNDATION_MODELS, findModel, resolveModel, type CatalogueModel } from './models.js';
export { AwsError } from './errors.js';
export type { TrafficProfile, TrafficPrompt } from './traffic/profile.js';
export type { DimensionSetSpec, DimensionName, MetricName } from './metrics/derive.js';
export type { EnforcedMetricsAccount } from './metrics/publish.js';
export { GUARDRAILS_NAMESPACE, DEFAULT_DIMENSION_SETS } from './metrics/derive.js';

export interface StartSandboxOptions {
  env: SandboxEnv;
  /** 0 (default) picks a free port. */
  port?: number;
  /** JSON state file: loaded if present, rewritten atomically after every mutating call. */
  statePath?: string;
  faults?: FaultConfig;
  /**
   * Server-side quotas per operation and (account, region), e.g.
   * `{ DescribeEffectivePolicy: { ratePerSecond: 10, burst: 10 } }` (sandbox/quotas.ts); they
   * replace the "quotas" of `faults` when both are given.
   */
  quotas?: QuotaConfig;
  /** Seeds ids, secrets and fault draws (default 1). */
  seed?: number;
  /** Trust of the seeded roles (a fresh state only; a loaded state file keeps its own). */
  trust?: SeedOptions;
  /**
   * S3 buckets to create at start if absent (a loaded state file keeps its buckets and objects),
   * owned by the management account in the home region. Nothing else creates a bucket but
   * CreateBucket.
   */
  buckets?: readonly string[];
  /**
   * Propagation delay, ms (sandbox/propagation.ts; default the fault config's
   * "propagationDelayMs", else 0): for that long after a BEDROCK_POLICY attach, detach, update or
   * delete, or an enforced configuration put or delete, DescribeEffectivePolicy and the runtime
   * enforcement still answer what was in force before. Measured on `now`.
   */
  propagationDelayMs?: number;
  /** Clock for timestamps, session expiry and the propagation delay (tests). */
  now?: () => number;
  /** Logs unexpected internal errors (default: stderr). */
  onInternalError?: (err: unknown) => void;
  /** Waits out injected latency (`latencyMs` faults; default: a timer). Tests pass their own. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Synthetic application traffic (sandbox/traffic): a profile starts it (a profile equal to the
   * persisted one keeps its lastTick, so the run catches up), null turns it off, undefined keeps
   * the state file's.
   */
  traffic?: TrafficProfile | null;
  /** Longest gap the traffic simulation catches up on a tick, ms (default 1 h; older time is skipped). */
  trafficCatchUpHorizonMs?: number;
  /**
   * Account where evaluations of organization- or account-enforced guardrails publish their
   * metrics (AWS does not document it): 'member' (default, the evaluating account), 'management'
   * (the management account for organization-enforced, the guardrail owner for account-enforced), 'none'.
   */
  enforcedMetricsAccount?: EnforcedMetricsAccount;
  /** Published dimension sets of the guardrail metrics (default DEFAULT_DIMENSION_SETS). */
  metricDimensionSets?: DimensionSetSpec[];
  /** Metric events are kept this long, ms (default 6 h). */
  metricsRetentionMs?: number;
}

export interface SandboxHandle {
  endpoint: string;
  region: string;
  managementAccountId: string;
  accounts: Record<string, { accessKeyId: string; secretAccessKey: string }>;
  /** The live state (mutating it directly bypasses validation and persistence). */
  state: SandboxState;
  /** RuntimeWorld view of the state, as the Bedrock Runtime handlers see it. */
  world: RuntimeWorld;
  /** Replaces the fault config; its "quotas" and "propagationDelayMs" keys (if any) replace the quotas and the delay too. */
  setFaults(cfg: FaultConfig): void;
  /** Sets the propagation delay of the changes made from now on (ms, 0 = none). */
  setPropagationDelay(ms: number): void;
  /** Replaces the server-side quotas ({} = none) and refills every bucket. */
  setQuotas(cfg: QuotaConfig): void;
  /** Calls answered with a throttling error by the quotas so far, per operation. */
  quotaThrottles(): Record<string, number>;
  /** Connections accepted so far, per protocol. */
  stats: { http1: number; http2: number };
  /** Replaces the traffic profile (null = off); calls are generated from now on. */
  setTraffic(profile: TrafficProfile | null): void;
  /** Generates the simulated traffic up to now (the timer and CloudWatch reads do it too). */
  tickTraffic(): void;
  /** Writes the state file and the metrics file now (no-op without statePath). */
  flush(): void;
  close(): Promise<void>;
}

export interface SdkClientConfig {
  region: string;
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxAttempts?: number;
}

export async function startSandbox(opts: StartSandboxOptions): Promise<SandboxHandle> {
  const seed = opts.seed ?? 1;
  const state = (opts.statePath && loadStateFile(opts.statePath)) || seedState(opts.env, seed, opts.trust);
  const ctx: ServiceContext = { state, now: opts.now ?? Date.now };
  for (const name of opts.buckets ?? []) ensureBucket(state, name, state.organization.masterAccountId, state.homeRegion, ctx.now());
  const faults = new FaultInjector(opts.faults ?? {}, seed);
  const quotas = new QuotaKeeper(opts.quotas ?? faults.quotas());
  const propagation = new Propagation(opts.propagationDelayMs ?? faults.propagationDelayMs() ?? 0);
  // The runtime enforces what is in force, not a change still propagating.
  const world = createWorld(() => propagation.visible(ctx.state, ctx.now()));
  const writer = opts.statePath ? new StateWriter(opts.statePath, () => ctx.state) : undefined;

  // Guardrail metrics and traffic (docs/sandbox.md#cloudwatch-metrics-and-traffic).
  const hub = createMetricsHub(ctx, world, seed, opts.statePath, { ...opts, settled: () => propagation.pendingCount(ctx.now()) === 0 });
  hub.catchUp();
  const flush = () => {
    writer?.flushSync();
    hub.flushSync();
  };
  flush();
  const onInternalError =
    opts.onInternalError ?? ((err: unknown) => process.stderr.write(`sandbox internal error: ${(err as Error)?.stack ?? String(err)}\n`));
  const server = await listen(
    {
      ctx,
      faults,
      quotas,
      propagation,
      world,
      persist: () => writer?.flush(),
      defaultRegion: state.homeRegion,
      sleep: opts.sleep,
      metrics: hub.server,
      onInternalError,
    },
    opts.port ?? 0,
  );
  hub.start(onInternalError);
  return {
    endpoint: `http://127.0.0.1:${server.port}`,
    region: state.homeRegion,
    managementAccountId: state.organization.masterAccountId,
    accounts: Object.fromEntries(Object.entries(state.credentials).map(([id, c]) => [id, { ...c }])),
    state,
    world,
    setFaults: (cfg) => {
      faults.set(cfg);
      if (cfg.quotas) quotas.set(cfg.quotas);
      const delay = faults.propagationDelayMs();
      if (delay !== undefined) propagation.setDelay(delay);
    },
    setPropagationDelay: (ms) => propagation.setDelay(ms),
    setQuotas: (cfg) => quotas.set(cfg),
    quotaThrottles: () => quotas.throttled(),
    stats: server.stats,
    setTraffic: (profile) => {
      hub.setTraffic(profile);
      void writer?.flush();
    },
    tickTraffic: hub.catchUp,
    flush,
    async close() {
      hub.stop();
      await server.close();
      await writer?.flush();
      hub.flushSync();
    },
  };
}

/** SDK client configuration acting as `accountId` (its root credentials) against the sandbox. */
export function clientConfig(
  handle: Pick<SandboxHandle, 'endpoint' | 'region' | 'accounts'>,
  accountId: string,
  region?: string,
  extra: { maxAttempts?: number } = {},
): SdkClientConfig {
  const cred = handle.accounts[accountId];
  if (!cred) throw new Error(`The sandbox has no account ${accountId}`);
  return {
    region: region ?? handle.region,
    endpoint: handle.endpoint,
    credentials: { accessKeyId: cred.accessKeyId, secretAccessKey: cred.secretAccessKey },
    ...(extra.maxAttempts !== undefined ? { maxAttempts: extra.maxAttempts } : {}),
  };
}

/**
 * `clientConfig` for an S3Client: path-style addressing (`/<bucket>/<key>` on the sandbox's
 * endpoint), since a virtual-hosted `<bucket>.127.0.0.1` cannot resolve.
 */
export function s3ClientConfig(
  handle: Pick<SandboxHandle, 'endpoint' | 'region' | 'accounts'>,
  accountId: string,
  region?: string,
  extra: { maxAttempts?: number } = {},
): SdkClientConfig & { forcePathStyle: true } {
  return { ...clientConfig(handle, accountId, region, extra), forcePathStyle: true };
}
