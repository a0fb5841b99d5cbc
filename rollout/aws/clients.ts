/**
 * One way to reach AWS or the sandbox: SDK v3 clients per (account, region).
 *
 * - Management account: base credentials (the default provider chain on real AWS, the seeded
 *   management keys in the sandbox), or an assumed `managementRoleName` role when configured.
 * - Member accounts: STS AssumeRole into arn:aws:iam::<acct>:role/<roleName> from the management
 *   identity; credentials are cached until 5 minutes before expiry. The sandbox goes through the
 *   same AssumeRole path, so the real code path is exercised.
 * - Every HTTP attempt takes a token from a per-API bucket (service:operation) before it is
 *   signed; a throttled API's rate is lowered for every account (AIMD) and the SDK's standard
 *   retry backs off (exponential, full jitter) on throttling, 5xx and timeouts, with a bounded
 *   number of attempts; each attempt has a socket timeout.
 */
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Environment } from '../../model/types.js';
import { ToolingError } from '../../core/errors.js';
import { RateLimiter } from './limiter.js';
import { classifyError, describeError, isThrottling } from './errors.js';

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
  /** Members via STS AssumeRole (default true). false = the sandbox's seeded per-account keys. */
  assumeRoles?: boolean;
  /** Calls per second per API (service:operation). Default 20; 0 = unlimited. */
  ratePerSecond?: number;
  /** Per-API overrides, e.g. { 'organizations:DescribeEffectivePolicy': 10, 'bedrock-runtime:*': 5 }. */
  rates?: Record<string, number>;
  burst?: number;
  /** Attempts per call including the first. Default 4. */
  maxAttempts?: number;
  /**
   * SDK retry mode. Default 'standard' (exponential backoff with full jitter, bounded attempts);
   * the per-API limiter adds the adaptive part (AIMD on throttling) shared across accounts.
   * 'adaptive' adds the SDK's own per-client rate limiter, which can stall a client for minutes.
   */
  retryMode?: 'standard' | 'adaptive';
  /** Per-attempt socket timeout in ms. Default 15000. */
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
  private readonly bundles = new Map<string, AccountClients>();
  private readonly creds = new Map<string, Promise<Creds>>();
  private readonly counters: AccessStats = { attempts: 0, throttled: 0, errors: 0, assumeRoles: 0, byApi: {} };
  private closed = false;

  constructor(opts: AwsAccessOptions) {
    this.opts = opts;
    this.target = opts.target;
    this.managementAccountId = opts.managementAccountId;
    this.limiter = new RateLimiter({ ratePerSecond: opts.ratePerSecond ?? 20, rates: opts.rates, burst: opts.burst });
    const maxSockets = opts.maxSockets ?? 64;
    this.handler = new NodeHttpHandler({
      requestTimeout: opts.timeoutMs ?? 15_000,
      connectionTimeout: Math.min(opts.timeoutMs ?? 15_000, 5_000),
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
    this.handler.destroy();
  }

  private roleArn(accountId: string): string | undefined {
    if (accountId === this.managementAccountId) {
      return this.opts.managementRoleName ? `arn:aws:iam::${accountId}:role/${this.opts.managementRoleName}` : undefined;
    }
    return `arn:aws:iam::${accountId}:role/${this.opts.roleName}`;
  }

  private baseConfig(region: string, credentials: StaticCredentials | (() => Promise<Creds>) | undefined) {
    return {
      region,
      ...(this.target.endpoint ? { endpoint: this.target.endpoint } : {}),
      ...(credentials ? { credentials } : {}),
      requestHandler: this.handler,
      retryMode: this.opts.retryMode ?? 'standard',
      maxAttempts: this.opts.maxAttempts ?? 4,
    };
  }

  /** Credentials for an account: static/base for the management account, cached AssumeRole otherwise. */
  private credentialsFor(accountId: string): StaticCredentials | (() => Promise<Creds>) | undefined {
    const roleArn = this.roleArn(accountId);
    if (!roleArn) return this.target.baseCredentials;
    if (this.opts.assumeRoles === false) {
      const keys = this.target.accountCredentials?.[accountId];
      if (!keys) throw new ToolingError(`no credentials for account ${accountId} (assumeRoles is off and the target has no keys for it)`);
      return keys;
    }
    return () => this.assumed(accountId, roleArn);
  }

  private assumed(accountId: string, roleArn: string): Promise<Creds> {
    const cached = this.creds.get(accountId);
    if (cached) {
      return cached.then((c) => {
        if (c.expiration && c.expiration.getTime() - Date.now() < REFRESH_MARGIN_MS) {
          this.creds.delete(accountId);
          return this.assumed(accountId, roleArn);
        }
        return c;
      });
    }
    const p = (async (): Promise<Creds> => {
      this.counters.assumeRoles += 1;
      const sts = this.forAccount(this.managementAccountId, this.target.region).sts;
      try {
        const out = await sts.send(
          new AssumeRoleCommand({
            RoleArn: roleArn,
            RoleSessionName: this.opts.sessionName ?? 'guardrail-rollout',
            DurationSeconds: 3600,
          }),
        );
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey) throw new ToolingError(`AssumeRole ${roleArn} returned no credentials`);
        return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
      } catch (err) {
        this.creds.delete(accountId); // do not cache failures
        throw err;
      }
    })();
    this.creds.set(accountId, p);
    return p;
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
    const self = this;
    return {
      account: accountId,
      region,
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
        await this.limiter.take(api);
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

interface InstrumentableClient {
  middlewareStack: {
    addRelativeTo: (
      mw: (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>,
      opts: Record<string, unknown>,
    ) => void;
  };
}

export { classifyError, describeError };
