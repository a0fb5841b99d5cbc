/**
 * One way to reach AWS or the sandbox: SDK v3 clients per (account, region).
 *
 * - Credential chain, as AWS does it: base credentials (the SDK default provider chain on real
 *   AWS, the seeded management keys in the sandbox) → the management role
 *   (`deployment.managementRoleName`, when configured) → the member role
 *   arn:aws:iam::<acct>:role/<roleName> per member account. Each AssumeRole is signed by the step
 *   before it (role chaining:
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining),
 *   through an STS client of its own, never the client of the identity it produces. Without a
 *   management role, the management account uses the base credentials and members are assumed
 *   from them. Sessions are cached per chain and re-assumed when less than 5 minutes are left
 *   (long bakes outlive the one-hour sessions). The sandbox goes through the same AssumeRole
 *   path and checks each role's trust, so the real code path is exercised.
 * - Probe roles (`deployment.probeRoles`, docs/environments.md#probe-roles): `forWorkload` acts as
 *   the identity workloads use in an account, one more hop at the end of that account's chain:
 *   base → management role → member role → probe role (in the management account: base →
 *   management role → probe role). The probe role is assumed FROM the deployment role's session in
 *   its own account, so it trusts a same-account role that already administers the account, and no
 *   workload role has to trust anything outside its account. No probe role for an account =
 *   `forWorkload` returns the deployment role's clients with `probeRole` undefined (a fallback the
 *   gates report).
 * - Every HTTP attempt takes a token from a per-API bucket (service:operation) before it is
 *   signed; a throttled API's rate is lowered for every account (AIMD) and the SDK's standard
 *   retry backs off (exponential, full jitter) on throttling, 5xx and timeouts, with a bounded
 *   number of attempts.
 * - Timeouts (callTimeouts): every attempt has a hard timeout that really aborts it (the HTTP
 *   handler's requestTimeout with throwOnRequestTimeout, plus connection and socket-idle
 *   timeouts): a stalled connection or a late answer is a TimeoutError, retried like a 5xx, and
 *   after the last attempt a transient error (inconclusive in a gate). On top, a deadline set with
 *   `withDeadline` (rollout/aws/deadline.ts; rollout/gates/result.ts runGateWithDeadline) aborts
 *   whatever is still in flight when it passes. Defaults: 30 s per attempt on AWS, 10 s against
 *   the sandbox; 4 attempts. Environment: ROLLOUT_CALL_TIMEOUT_MS, ROLLOUT_MAX_ATTEMPTS.
 */
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { NodeHttpHandler, type NodeHttpHandlerOptions } from '@smithy/node-http-handler';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { probeRoleFor } from '../../model/probe-roles.js';
import type { Environment } from '../../model/types.js';
import { ToolingError } from '../../core/errors.js';
import { RateLimiter } from './limiter.js';
import { classifyError, describeError, errorName, isThrottling } from './errors.js';
import { currentDeadline, deadlineError, raceDeadline, throwIfDeadlinePassed } from './deadline.js';

export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface AwsTarget {
  kind: 'sandbox' | 'aws';
  /** Endpoint override (the sandbox's loopback URL); undefined on real AWS. */
  endpoint?: string;
  /** Home region: Organizations and STS calls, and the default for forAccount(). */
  region: string;
  /** Credentials of the management identity; undefined = the SDK default provider chain. */
  baseCredentials?: StaticCredentials;
  /** Sandbox only: the seeded keys of every account (used when assumeRoles is false). */
  accountCredentials?: Record<string, StaticCredentials>;
}

export interface AwsAccessOptions {
  target: AwsTarget;
  managementAccountId: string;
  /** Role assumed in member accounts (env.deployment.roleName). */
  roleName: string;
  /** Role assumed in the management account; absent = use the base credentials directly. */
  managementRoleName?: string;
  /** Probe role name per account (env.deployment.probeRoles resolved); undefined = none. */
  probeRoleFor?: (accountId: string) => string | undefined;
  /** Members via STS AssumeRole (default true). false = the sandbox's seeded per-account keys. */
  assumeRoles?: boolean;
  /** Calls per second per API (service:operation). Default 20; 0 = unlimited. */
  ratePerSecond?: number;
  /** Per-API overrides, e.g. { 'organizations:DescribeEffectivePolicy': 10, 'bedrock-runtime:*': 5 }. */
  rates?: Record<string, number>;
  burst?: number;
  /** Attempts per call including the first. Default: ROLLOUT_MAX_ATTEMPTS, else 4. */
  maxAttempts?: number;
  /**
   * SDK retry mode. Default 'standard' (exponential backoff with full jitter, bounded attempts);
   * the per-API limiter adds the adaptive part (AIMD on throttling) shared across accounts.
   * 'adaptive' adds the SDK's own per-client rate limiter, which can stall a client for minutes.
   */
  retryMode?: 'standard' | 'adaptive';
  /**
   * Hard per-attempt timeout in ms (request sent → response read; the attempt is aborted, not
   * just logged). Default: ROLLOUT_CALL_TIMEOUT_MS, else 30000 on AWS and 10000 on the sandbox.
   */
  timeoutMs?: number;
  /** AssumeRole session name. Default "guardrail-rollout". */
  sessionName?: string;
  /** Parallel sockets per host. Default 64. */
  maxSockets?: number;
}

export interface AccountClients {
  account: string;
  region: string;
  bedrock: BedrockClient;
  runtime: BedrockRuntimeClient;
  organizations: OrganizationsClient;
  sts: STSClient;
  /** The account's CloudWatch in the region (the bake analysis reads guardrail metrics). */
  cloudwatch: CloudWatchClient;
}

/** Clients acting as an account's workload identity (its probe role), for the runtime checks. */
export interface WorkloadClients {
  account: string;
  region: string;
  /** ARN of the probe role these clients act as; undefined = none configured: the deployment role's clients. */
  probeRole?: string;
  /** ARN of the deployment role of the account (the identity used when there is no probe role, and the probe's source). */
  deploymentRole: string;
  runtime: BedrockRuntimeClient;
  sts: STSClient;
}

export interface ApiStats {
  attempts: number;
  throttled: number;
  errors: number;
}
export interface AccessStats {
  attempts: number;
  throttled: number;
  errors: number;
  assumeRoles: number;
  byApi: Record<string, ApiStats>;
}

type Creds = StaticCredentials & { expiration?: Date };
const REFRESH_MARGIN_MS = 5 * 60_000;

/** The target for a started sandbox (handle from sandbox/index.ts startSandbox). */
export function sandboxTarget(handle: {
  endpoint: string;
  region: string;
  managementAccountId: string;
  accounts: Record<string, { accessKeyId: string; secretAccessKey: string }>;
}): AwsTarget {
  const base = handle.accounts[handle.managementAccountId];
  if (!base) throw new ToolingError(`sandbox handle has no credentials for the management account ${handle.managementAccountId}`);
  return {
    kind: 'sandbox',
    endpoint: handle.endpoint,
    region: handle.region,
    baseCredentials: { ...base },
    accountCredentials: Object.fromEntries(Object.entries(handle.accounts).map(([k, v]) => [k, { ...v }])),
  };
}

/** Real AWS: default credential chain, regional endpoints. */
export function awsTarget(region: string, baseCredentials?: StaticCredentials): AwsTarget {
  return { kind: 'aws', region, baseCredentials };
}

export class AwsAccess {
  readonly target: AwsTarget;
  readonly managementAccountId: string;
  readonly limiter: RateLimiter;
  private readonly opts: AwsAccessOptions;
  private readonly handler: NodeHttpHandler;
  /** The per-attempt timeouts and attempt count every client of this access uses. */
  readonly timeouts: CallTimeouts;
  private readonly bundles = new Map<string, AccountClients>();
  private readonly workloads = new Map<string, WorkloadClients>();
  /** Assumed sessions per role chain (roles joined by " → "). */
  private readonly creds = new Map<string, Promise<Creds>>();
  /** STS clients that sign each AssumeRole hop, per source identity ("" = the base credentials). */
  private readonly hopSts = new Map<string, STSClient>();
  private readonly counters: AccessStats = { attempts: 0, throttled: 0, errors: 0, assumeRoles: 0, byApi: {} };
  private closed = false;

  constructor(opts: AwsAccessOptions) {
    this.opts = opts;
    this.target = opts.target;
    this.managementAccountId = opts.managementAccountId;
    this.limiter = new RateLimiter({ ratePerSecond: opts.ratePerSecond ?? 20, rates: opts.rates, burst: opts.burst });
    const maxSockets = opts.maxSockets ?? 64;
    const t = callTimeouts(opts.target.kind, opts);
    this.timeouts = t;
    this.handler = new DeadlineHttpHandler({
      requestTimeout: t.attemptMs,
      throwOnRequestTimeout: true,
      connectionTimeout: t.connectMs,
      socketTimeout: t.attemptMs,
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
    });
  }

  /** Access for an environment: roles from env.deployment, management account from env. */
  static forEnvironment(env: Environment, target: AwsTarget, opts: Partial<Omit<AwsAccessOptions, 'target'>> = {}): AwsAccess {
    return new AwsAccess({
      target,
      managementAccountId: env.managementAccountId,
      roleName: env.deployment.roleName,
      managementRoleName: env.deployment.managementRoleName,
      probeRoleFor: (accountId) => probeRoleFor(env, accountId)?.roleName,
      ...opts,
    });
  }

  get homeRegion(): string {
    return this.target.region;
  }

  /** Clients acting as `accountId` in `region` (default: the home region). Cached. */
  forAccount(accountId: string, region: string = this.target.region): AccountClients {
    if (this.closed) throw new ToolingError('AwsAccess is closed');
    const key = `${accountId}/${region}`;
    let b = this.bundles.get(key);
    if (!b) {
      b = this.makeBundle(accountId, region);
      this.bundles.set(key, b);
    }
    return b;
  }

  /**
   * Clients acting as the workload identity of `accountId`: its probe role, assumed from the end of
   * the account's role chain; or, when no probe role is configured for it, the deployment role's
   * clients (`probeRole` undefined). Cached.
   */
  forWorkload(accountId: string, region: string = this.target.region): WorkloadClients {
    if (this.closed) throw new ToolingError('AwsAccess is closed');
    const key = `${accountId}/${region}`;
    let w = this.workloads.get(key);
    if (!w) {
      w = this.makeWorkload(accountId, region);
      this.workloads.set(key, w);
    }
    return w;
  }

  /** The roles assumed to act as the probe role of `accountId`; undefined = no probe role. */
  probeChain(accountId: string): string[] | undefined {
    const name = this.opts.probeRoleFor?.(accountId);
    if (!name) return undefined;
    return [...this.roleChain(accountId), `arn:aws:iam::${accountId}:role/${name}`];
  }

  stats(): AccessStats {
    return JSON.parse(JSON.stringify(this.counters)) as AccessStats;
  }

  resetStats(): void {
    Object.assign(this.counters, { attempts: 0, throttled: 0, errors: 0, assumeRoles: 0, byApi: {} });
  }

  close(): void {
    this.closed = true;
    // The HTTP handler is shared by every client: destroy it once instead of each client.
    this.bundles.clear();
    this.workloads.clear();
    this.hopSts.clear();
    this.handler.destroy();
  }

  /**
   * The roles assumed, in order, to act in `accountId`: [] = the base credentials as they are;
   * the management account: [management role] when one is configured; a member account:
   * [management role, member role] when one is configured, else [member role].
   */
  roleChain(accountId: string): string[] {
    const mgmt = this.opts.managementRoleName ? [`arn:aws:iam::${this.managementAccountId}:role/${this.opts.managementRoleName}`] : [];
    if (accountId === this.managementAccountId) return mgmt;
    return [...mgmt, `arn:aws:iam::${accountId}:role/${this.opts.roleName}`];
  }

  private baseConfig(region: string, credentials: StaticCredentials | (() => Promise<Creds>) | undefined) {
    return {
      region,
      ...(this.target.endpoint ? { endpoint: this.target.endpoint } : {}),
      ...(credentials ? { credentials } : {}),
      requestHandler: this.handler,
      retryMode: this.opts.retryMode ?? 'standard',
      maxAttempts: this.timeouts.maxAttempts,
    };
  }

  /** Credentials for an account: the base credentials, or the cached end of its role chain. */
  private credentialsFor(accountId: string): StaticCredentials | (() => Promise<Creds>) | undefined {
    const chain = this.roleChain(accountId);
    if (!chain.length) return this.target.baseCredentials;
    if (this.opts.assumeRoles === false) {
      const keys = this.target.accountCredentials?.[accountId];
      if (!keys) throw new ToolingError(`no credentials for account ${accountId} (assumeRoles is off and the target has no keys for it)`);
      return keys;
    }
    return () => this.assumed(chain);
  }

  /**
   * The session at the end of `chain`: AssumeRole of its last role, signed with the session of
   * the chain before it (or the base credentials). Cached per chain; a session with less than
   * REFRESH_MARGIN_MS left is assumed again (its source refreshes the same way). Failures are not
   * cached.
   */
  private assumed(chain: readonly string[]): Promise<Creds> {
    const key = chain.join(' → ');
    const cached = this.creds.get(key);
    if (cached) {
      return cached.then((c) => {
        if (c.expiration && c.expiration.getTime() - Date.now() < REFRESH_MARGIN_MS) {
          if (this.creds.get(key) === cached) this.creds.delete(key);
          return this.assumed(chain);
        }
        return c;
      });
    }
    const roleArn = chain[chain.length - 1]!;
    const sourceChain = chain.slice(0, -1);
    const p = Promise.resolve().then(async (): Promise<Creds> => {
      this.counters.assumeRoles += 1;
      try {
        const out = await this.stsFor(sourceChain).send(
          new AssumeRoleCommand({
            RoleArn: roleArn,
            RoleSessionName: this.opts.sessionName ?? 'guardrail-rollout',
            // One hour: the most a chained session may last (role chaining caps it at 1 h).
            DurationSeconds: 3600,
          }),
        );
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey) throw new ToolingError(`AssumeRole ${roleArn} returned no credentials`);
        return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
      } catch (err) {
        if (this.creds.get(key) === p) this.creds.delete(key); // do not cache failures
        throw chainError(err, roleArn, chain);
      }
    });
    this.creds.set(key, p);
    return p;
  }

  /** The STS client that signs with the session at the end of `sourceChain` ([] = the base credentials). */
  private stsFor(sourceChain: readonly string[]): STSClient {
    if (this.closed) throw new ToolingError('AwsAccess is closed');
    const key = sourceChain.join(' → ');
    let sts = this.hopSts.get(key);
    if (!sts) {
      const creds = sourceChain.length ? () => this.assumed(sourceChain) : this.target.baseCredentials;
      sts = new STSClient(this.baseConfig(this.target.region, creds));
      this.instrument(sts as unknown as InstrumentableClient, 'sts');
      this.hopSts.set(key, sts);
    }
    return sts;
  }

  private makeWorkload(accountId: string, region: string): WorkloadClients {
    const chain = this.roleChain(accountId);
    const deploymentRole = chain[chain.length - 1] ?? `the base credentials of ${accountId}`;
    const probe = this.probeChain(accountId);
    if (!probe) {
      const b = this.forAccount(accountId, region);
      return {
        account: accountId,
        region,
        deploymentRole,
        get runtime() {
          return b.runtime;
        },
        get sts() {
          return b.sts;
        },
      };
    }
    if (this.opts.assumeRoles === false) {
      throw new ToolingError(`probe role ${probe[probe.length - 1]} needs role assumption (assumeRoles is off)`);
    }
    const creds = () => this.assumed(probe);
    let runtime: BedrockRuntimeClient | undefined;
    let sts: STSClient | undefined;
    const self = this;
    return {
      account: accountId,
      region,
      probeRole: probe[probe.length - 1],
      deploymentRole,
      get runtime() {
        if (!runtime) {
          runtime = new BedrockRuntimeClient(self.baseConfig(region, creds));
          self.instrument(runtime as unknown as InstrumentableClient, 'bedrock-runtime');
        }
        return runtime;
      },
      get sts() {
        if (!sts) {
          sts = new STSClient(self.baseConfig(self.target.region, creds));
          self.instrument(sts as unknown as InstrumentableClient, 'sts');
        }
        return sts;
      },
    };
  }

  private makeBundle(accountId: string, region: string): AccountClients {
    const creds = this.credentialsFor(accountId);
    const home = this.target.region;
    // Organizations is a global service homed in us-east-1
    // (https://docs.aws.amazon.com/organizations/latest/APIReference/Welcome.html); the sandbox accepts any region.
    const orgRegion = this.target.kind === 'aws' ? 'us-east-1' : home;
    const instrument = <C extends { middlewareStack: { addRelativeTo: (...a: never[]) => void } }>(client: C, service: string): C => {
      this.instrument(client as unknown as InstrumentableClient, service);
      return client;
    };
    // Lazy clients: a gate touching 500 accounts only builds the clients it uses.
    let bedrock: BedrockClient | undefined;
    let runtime: BedrockRuntimeClient | undefined;
    let organizations: OrganizationsClient | undefined;
    let sts: STSClient | undefined;
    let cloudwatch: CloudWatchClient | undefined;
    const self = this;
    return {
      account: accountId,
      region,
      get cloudwatch() {
        return (cloudwatch ??= instrument(new CloudWatchClient(self.baseConfig(region, creds)), 'cloudwatch'));
      },
      get bedrock() {
        return (bedrock ??= instrument(new BedrockClient(self.baseConfig(region, creds)), 'bedrock'));
      },
      get runtime() {
        return (runtime ??= instrument(new BedrockRuntimeClient(self.baseConfig(region, creds)), 'bedrock-runtime'));
      },
      // Organizations and STS are global: always the home region (signing region us-east-1 on AWS).
      get organizations() {
        return (organizations ??= instrument(new OrganizationsClient(self.baseConfig(orgRegion, creds)), 'organizations'));
      },
      get sts() {
        return (sts ??= instrument(new STSClient(self.baseConfig(home, creds)), 'sts'));
      },
    };
  }

  /** Rate limit + counters on every attempt (inside the retry loop, before signing). */
  private instrument(client: InstrumentableClient, service: string): void {
    client.middlewareStack.addRelativeTo(
      (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
        const api = `${service}:${(context.commandName ?? 'Unknown').replace(/Command$/, '')}`;
        // A slot in the limiter is no reason to outlive the caller's deadline (rollout/aws/deadline.ts).
        await raceDeadline(this.limiter.take(api));
        const s = (this.counters.byApi[api] ??= { attempts: 0, throttled: 0, errors: 0 });
        s.attempts += 1;
        this.counters.attempts += 1;
        try {
          const out = await next(args);
          this.limiter.succeeded(api);
          return out;
        } catch (err) {
          s.errors += 1;
          this.counters.errors += 1;
          if (isThrottling(err)) {
            s.throttled += 1;
            this.counters.throttled += 1;
            this.limiter.throttled(api);
          }
          throw err;
        }
      },
      { name: 'rolloutRateLimit', relation: 'before', toMiddleware: 'httpSigningMiddleware', override: true },
    );
  }
}

const CHAIN_FAILURE = Symbol('rollout.credentialChain');

/**
 * An AssumeRole hop failed: say which role and which chain in the message, once (an inner hop's
 * failure passes through the outer hops unchanged). The error keeps its name and $metadata, so
 * classifyError still sees AccessDenied as denied and throttling as transient.
 */
function chainError(err: unknown, roleArn: string, chain: readonly string[]): unknown {
  if (!(err instanceof Error) || (err as { [CHAIN_FAILURE]?: true })[CHAIN_FAILURE]) return err;
  err.message = `${errorName(err)}: could not assume ${roleArn} (credential chain: base credentials → ${chain.join(' → ')}): ${err.message}`;
  Object.defineProperty(err, CHAIN_FAILURE, { value: true });
  return err;
}

export interface CallTimeouts {
  /** Hard timeout of one attempt, ms (request sent → whole response read). */
  attemptMs: number;
  /** TCP/TLS connection establishment, ms. */
  connectMs: number;
  /** Attempts per call including the first (the SDK's maxAttempts). */
  maxAttempts: number;
}

function positiveInt(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new ToolingError(`${name} must be a whole number ≥ 1, got "${raw}"`);
  return n;
}

/**
 * Per-attempt timeout and attempts: the options, else ROLLOUT_CALL_TIMEOUT_MS /
 * ROLLOUT_MAX_ATTEMPTS, else 30 s per attempt on AWS (10 s against the local sandbox) and 4
 * attempts. Worst case for one call without a deadline: maxAttempts × attemptMs plus the SDK's
 * back-off (full jitter, at most 20 s per retry).
 */
export function callTimeouts(
  kind: AwsTarget['kind'],
  opts: { timeoutMs?: number; maxAttempts?: number } = {},
  env: NodeJS.ProcessEnv = process.env,
): CallTimeouts {
  const attemptMs =
    opts.timeoutMs ?? positiveInt(env.ROLLOUT_CALL_TIMEOUT_MS, 'ROLLOUT_CALL_TIMEOUT_MS') ?? (kind === 'aws' ? 30_000 : 10_000);
  const maxAttempts = opts.maxAttempts ?? positiveInt(env.ROLLOUT_MAX_ATTEMPTS, 'ROLLOUT_MAX_ATTEMPTS') ?? 4;
  return { attemptMs, connectMs: Math.min(attemptMs, 5_000), maxAttempts };
}

/**
 * The shared HTTP handler: NodeHttpHandler with the hard per-attempt timeouts, plus the current
 * deadline (rollout/aws/deadline.ts) as an abort signal on every attempt — an attempt still in
 * flight when the deadline passes is aborted and reported as DeadlineExceeded.
 */
class DeadlineHttpHandler extends NodeHttpHandler {
  constructor(options: NodeHttpHandlerOptions) {
    super(options);
  }

  override async handle(...[request, options = {}]: Parameters<NodeHttpHandler['handle']>): ReturnType<NodeHttpHandler['handle']> {
    const scope = currentDeadline();
    if (!scope) return super.handle(request, options);
    throwIfDeadlinePassed(scope);
    const own = options.abortSignal as AbortSignal | undefined;
    const abortSignal = own ? AbortSignal.any([own, scope.signal]) : scope.signal;
    try {
      return await super.handle(request, { ...options, abortSignal });
    } catch (err) {
      if (scope.signal.aborted && !own?.aborted) throw deadlineError(scope);
      throw err;
    }
  }
}

interface InstrumentableClient {
  middlewareStack: {
    addRelativeTo: (
      mw: (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>,
      opts: Record<string, unknown>,
    ) => void;
  };
}

export { classifyError, describeError };
