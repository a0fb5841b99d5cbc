/**
 * The credential chain of the TEST DOUBLE of hashicorp/aws (never used against AWS): base
 * credentials (`access_key`/`secret_key`/`token`, else the SDK default chain, e.g.
 * AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY), then each `assume_role` block in order via STS
 * AssumeRole, every hop signed by the credentials of the one before (IAM role chaining, as the
 * provider does since hashicorp/terraform-provider-aws#39255). The STS calls go to the configured
 * `endpoints { sts }` URL only.
 * https://github.com/hashicorp/aws-sdk-go-base/blob/main/credentials.go
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs#assume_role-configuration-block
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { ProviderError } from './types.js';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

export interface AssumeRoleSpec {
  readonly roleArn: string;
  readonly sessionName?: string;
  readonly externalId?: string;
  readonly durationSeconds?: number;
  readonly policy?: string;
  readonly policyArns?: readonly string[];
  readonly sourceIdentity?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly transitiveTagKeys?: readonly string[];
}

export interface ChainOptions {
  /** undefined = the SDK default chain. */
  readonly base: Credentials | undefined;
  readonly chain: readonly AssumeRoleSpec[];
  readonly stsEndpoint: string | undefined;
  readonly region: string;
  readonly maxAttempts: number;
}

/** The session name the provider would leave to the SDK; fixed here so emulator logs are readable. */
const DEFAULT_SESSION_NAME = 'terraform-provider-aws-double';

/** A Go duration string (`1h`, `15m`, `900s`, `1h30m`) in seconds, as `assume_role.duration` takes. */
export function parseDuration(text: string): number {
  const re = /(\d+(?:\.\d+)?)(h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    total += Number(m[1]) * { h: 3600, m: 60, s: 1 }[m[2] as 'h' | 'm' | 's'];
    consumed += m[0].length;
  }
  if (!text || consumed !== text.length)
    throw new ProviderError('Invalid assume_role duration', `"${text}" is not a duration such as 1h or 900s`);
  return Math.round(total);
}

async function assumeOne(sts: STSClient, spec: AssumeRoleSpec): Promise<Credentials> {
  const tags = Object.entries(spec.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
  const out = await sts.send(
    new AssumeRoleCommand({
      RoleArn: spec.roleArn,
      RoleSessionName: spec.sessionName ?? DEFAULT_SESSION_NAME,
      ExternalId: spec.externalId,
      DurationSeconds: spec.durationSeconds,
      Policy: spec.policy,
      PolicyArns: spec.policyArns?.map((arn) => ({ arn })),
      SourceIdentity: spec.sourceIdentity,
      ...(tags.length ? { Tags: tags } : {}),
      ...(spec.transitiveTagKeys?.length ? { TransitiveTagKeys: [...spec.transitiveTagKeys] } : {}),
    }),
  );
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error('AssumeRole returned no credentials');
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
}

/** The credentials at the end of the chain (the base ones when the chain is empty). */
export async function resolveChain(opts: ChainOptions): Promise<Credentials | undefined> {
  let creds = opts.base;
  if (opts.chain.length && !opts.stsEndpoint) {
    throw new ProviderError(
      'No STS endpoint configured',
      'assume_role needs endpoints { sts = "<emulator URL>" }: this test double calls only the configured emulator, never AWS.',
    );
  }
  for (const [i, spec] of opts.chain.entries()) {
    const sts = new STSClient({ region: opts.region, endpoint: opts.stsEndpoint, credentials: creds, maxAttempts: opts.maxAttempts });
    try {
      creds = await assumeOne(sts, spec);
    } catch (err) {
      const e = err as Error;
      throw new ProviderError(
        'Cannot assume IAM Role',
        `IAM Role (${spec.roleArn}) cannot be assumed (assume_role ${i + 1} of ${opts.chain.length}): ${e.name}: ${e.message}`,
        ['assume_role', i, 'role_arn'],
      );
    } finally {
      sts.destroy();
    }
  }
  return creds;
}

/**
 * A credential provider for SDK clients: resolves the chain once and again when the last hop's
 * session is within five minutes of expiring (role-chained sessions last at most an hour).
 */
export function chainProvider(opts: ChainOptions, first: Credentials | undefined): (() => Promise<Credentials>) | undefined {
  if (!first) return undefined;
  let current: Credentials = first;
  let pending: Promise<Credentials> | undefined;
  return async () => {
    const expiresSoon = current.expiration && current.expiration.getTime() - Date.now() < 5 * 60_000;
    if (!expiresSoon) return current;
    pending ??= resolveChain(opts)
      .then((c) => {
        current = c ?? current;
        return current;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}
