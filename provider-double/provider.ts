/**
 * `registry.terraform.io/hashicorp/aws` as served by the provider double: a TEST DOUBLE of
 * hashicorp/aws for the local AWS emulator (sandbox/), never used against AWS. It refuses to run
 * without `endpoints {}` URLs, so a configuration can never reach real AWS through it.
 * configure(): `region` (required here), the bedrock/organizations/sts endpoint URLs, base
 * credentials (access_key/secret_key/token, else the SDK default chain), the `assume_role` chain in
 * order (provider-double/credentials.ts), then — unless skipped — GetCallerIdentity to validate
 * the credentials and check allowed_account_ids / forbidden_account_ids.
 * https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/provider/sdkv2/provider.go
 * https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/conns/config.go
 */
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { type AssumeRoleSpec, type ChainOptions, type Credentials, chainProvider, parseDuration, resolveChain } from './credentials.js';
import { providerSchema } from './provider-schema.js';
import { awsResources } from './resources/index.js';
import { blocks, bool, num, str, stringMap, strings } from './resources/cty-object.js';
import { type CtyObject, type ProviderClients, type ProviderContext, ProviderError, type ProviderType } from './types.js';

const SOURCE = 'https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/provider/sdkv2/provider.go';

/** Few attempts: the emulator answers at once, and tests should fail fast. */
const DEFAULT_MAX_ATTEMPTS = 3;
/** Organizations is global; its API lives in us-east-1 in the aws partition. */
const ORGANIZATIONS_REGION = 'us-east-1';

type Service = 'bedrock' | 'organizations' | 'sts';

/** The first URL configured per service across the `endpoints` blocks (a SET). */
function endpointsOf(config: CtyObject): Partial<Record<Service, string>> {
  const out: Partial<Record<Service, string>> = {};
  for (const e of blocks(config.endpoints)) {
    for (const svc of ['bedrock', 'organizations', 'sts'] as const) out[svc] ??= str(e[svc]);
  }
  return out;
}

function baseCredentials(config: CtyObject): Credentials | undefined {
  const accessKeyId = str(config.access_key);
  const secretAccessKey = str(config.secret_key);
  if (!accessKeyId && !secretAccessKey) return undefined;
  if (!accessKeyId || !secretAccessKey) {
    throw new ProviderError('Incomplete static credentials', 'access_key and secret_key must be set together.', [
      accessKeyId ? 'secret_key' : 'access_key',
    ]);
  }
  return { accessKeyId, secretAccessKey, sessionToken: str(config.token) };
}

/** The assume_role blocks in order; a block without role_arn is ignored, as upstream. */
function assumeRoleChain(config: CtyObject): AssumeRoleSpec[] {
  return blocks(config.assume_role).flatMap((b) => {
    const roleArn = str(b.role_arn);
    if (!roleArn) return [];
    const duration = str(b.duration);
    return [
      {
        roleArn,
        sessionName: str(b.session_name),
        externalId: str(b.external_id),
        durationSeconds: duration ? parseDuration(duration) : undefined,
        policy: str(b.policy),
        policyArns: strings(b.policy_arns),
        sourceIdentity: str(b.source_identity),
        tags: stringMap(b.tags),
        transitiveTagKeys: strings(b.transitive_tag_keys),
      },
    ];
  });
}

function requireEndpoint(endpoints: Partial<Record<Service, string>>, svc: Service): string {
  const url = endpoints[svc];
  if (!url) {
    throw new ProviderError(
      `No ${svc} endpoint configured`,
      `Set endpoints { ${svc} = "<emulator URL>" }: this test double of hashicorp/aws calls only the configured emulator, never AWS.`,
      ['endpoints'],
    );
  }
  return url;
}

async function checkAccount(config: CtyObject, sts: STSClient): Promise<void> {
  let account: string | undefined;
  try {
    account = (await sts.send(new GetCallerIdentityCommand({}))).Account;
  } catch (err) {
    const e = err as Error;
    throw new ProviderError('Retrieving caller identity from STS', `${e.name}: ${e.message}`);
  }
  const allowed = strings(config.allowed_account_ids) ?? [];
  const forbidden = strings(config.forbidden_account_ids) ?? [];
  if (account && allowed.length && !allowed.includes(account)) {
    throw new ProviderError('Invalid account ID', `AWS account ID not allowed: ${account}`, ['allowed_account_ids']);
  }
  if (account && forbidden.includes(account)) {
    throw new ProviderError('Invalid account ID', `AWS account ID not allowed: ${account}`, ['forbidden_account_ids']);
  }
}

export const awsProvider: ProviderType = {
  address: 'registry.terraform.io/hashicorp/aws',
  source: SOURCE,
  schema: providerSchema,
  resources: awsResources,

  async configure(config) {
    const region = str(config.region);
    if (!region) {
      throw new ProviderError(
        'Missing region',
        'The provider double needs `region` in the provider block (it does not read AWS config files).',
        ['region'],
      );
    }
    const endpoints = endpointsOf(config);
    if (!endpoints.bedrock && !endpoints.organizations && !endpoints.sts) {
      throw new ProviderError(
        'No endpoints configured',
        'This is a test double of hashicorp/aws for the local AWS emulator and refuses to run without endpoints { bedrock, organizations, sts } URLs: it must never reach AWS.',
        ['endpoints'],
      );
    }
    const maxRetries = num(config.max_retries);
    const maxAttempts = maxRetries !== undefined ? Math.max(1, maxRetries + 1) : DEFAULT_MAX_ATTEMPTS;
    const stsRegion = str(config.sts_region) ?? region;
    const opts: ChainOptions = {
      base: baseCredentials(config),
      chain: assumeRoleChain(config),
      stsEndpoint: endpoints.sts,
      region: stsRegion,
      maxAttempts,
    };
    const credentials = chainProvider(opts, await resolveChain(opts));

    const allowList = (strings(config.allowed_account_ids) ?? []).length + (strings(config.forbidden_account_ids) ?? []).length > 0;
    if (bool(config.skip_credentials_validation) !== true || bool(config.skip_requesting_account_id) !== true || allowList) {
      const sts = new STSClient({ region: stsRegion, endpoint: requireEndpoint(endpoints, 'sts'), credentials, maxAttempts });
      try {
        await checkAccount(config, sts);
      } finally {
        sts.destroy();
      }
    }

    const cache = new Map<string, ProviderClients>();
    const ctx: ProviderContext = {
      region,
      clients(r = region) {
        let c = cache.get(r);
        if (!c) {
          let bedrock: BedrockClient | undefined;
          let organizations: OrganizationsClient | undefined;
          // Built on first use, so a stack that needs only one service may configure only its endpoint.
          c = {
            get bedrock() {
              bedrock ??= track(
                c!,
                new BedrockClient({ region: r, endpoint: requireEndpoint(endpoints, 'bedrock'), credentials, maxAttempts }),
              );
              return bedrock;
            },
            get organizations() {
              organizations ??= track(
                c!,
                new OrganizationsClient({
                  region: ORGANIZATIONS_REGION,
                  endpoint: requireEndpoint(endpoints, 'organizations'),
                  credentials,
                  maxAttempts,
                }),
              );
              return organizations;
            },
          };
          cache.set(r, c);
        }
        return c;
      },
    };
    opened.set(ctx, () => {
      for (const c of cache.values()) for (const client of clientsBuilt(c)) client.destroy();
      cache.clear();
    });
    return ctx;
  },
};

/** Closers of each context's SDK clients (ProviderContext has no shutdown hook of its own). */
const opened = new WeakMap<ProviderContext, () => void>();
const built = new WeakMap<ProviderClients, { destroy(): void }[]>();

function track<T extends { destroy(): void }>(c: ProviderClients, client: T): T {
  built.set(c, [...clientsBuilt(c), client]);
  return client;
}

function clientsBuilt(c: ProviderClients): { destroy(): void }[] {
  return built.get(c) ?? [];
}

/** Closes the SDK clients a configured context opened (tests; the plugin process just exits). */
export function closeProviderContext(ctx: ProviderContext): void {
  opened.get(ctx)?.();
}
