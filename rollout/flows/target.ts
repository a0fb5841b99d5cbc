/**
 * Where a verb's stacks and gates go: the sandbox (started in-process with its state under
 * `.rollout/<env>/sandbox-state.json`, or a running `rollout sandbox` via --sandbox-endpoint)
 * or real AWS (default credential chain + assumed roles). One AwsAccess serves both the
 * sandbox engine and the gates, so there is one code path and two targets.
 */
import { join } from 'node:path';
import type { Environment } from '../../model/types.js';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { AwsAccess, awsTarget, describeError, sandboxTarget } from '../aws/clients.js';
import { SandboxEngine, type SandboxEngineHooks } from '../engines/sandbox/engine.js';
import { TerraformEngine, terraformBinary } from '../engines/terraform/engine.js';
import { ToolingError, UsageError } from '../../core/errors.js';
import type { Engine } from '../state/contracts.js';
import type { CommonFlags, EngineName } from './flags.js';
import type { EnvPaths } from '../state/paths.js';
import { AWS_PROVIDER_RELEASE, deploymentBuckets } from '../../model/index.js';
import { trafficProfile } from '../../model/traffic.js';
import type { StackPlacement } from './stacks.js';

/** The in-process emulator; its code is loaded (import()) only when a verb targets the sandbox. */
type SandboxHandle = Awaited<ReturnType<typeof import('../../sandbox/index.js')['startSandbox']>>;

export interface Target {
  kind: 'sandbox' | 'aws';
  engineName: EngineName;
  access: AwsAccess;
  engine: Engine;
  /** Where the stacks of this target are synthesized for (provider endpoints, local state). */
  placement: StackPlacement;
  /** The in-process sandbox, when this process started one. */
  sandbox?: SandboxHandle;
  close(): Promise<void>;
}

// In target-kind.ts, which loads no SDK or engine, so the state store can be chosen without them.
export { engineFor, isSandboxEnvironment, targetKindFor } from './target-kind.js';
import { engineFor, targetKindFor } from './target-kind.js';

/** API calls per second per operation: unlimited against a local sandbox, 20 on AWS (override: ROLLOUT_RATE_LIMIT). */
function rate(kind: 'sandbox' | 'aws'): number {
  const v = Number(process.env.ROLLOUT_RATE_LIMIT);
  if (process.env.ROLLOUT_RATE_LIMIT && Number.isFinite(v) && v >= 0) return v;
  return kind === 'sandbox' ? 0 : 20;
}

export interface OpenTargetOptions {
  hooks?: SandboxEngineHooks;
  log?: (line: string) => void;
  /** Options for the in-process emulator besides its environment and state file (faults, quotas, delays; tests and rehearsals). */
  sandbox?: Omit<Parameters<typeof import('../../sandbox/index.js')['startSandbox']>[0], 'env' | 'statePath'>;
}

/**
 * A `--sandbox-endpoint` must answer before anything is planned or recorded: otherwise an
 * unreachable endpoint surfaces mid-apply (state left `applying`) or as inconclusive gates (exit 1)
 * instead of exit 3.
 */
async function probeSandbox(access: AwsAccess, endpoint: string): Promise<void> {
  try {
    await access.forAccount(access.managementAccountId).sts.send(new GetCallerIdentityCommand({}));
  } catch (err) {
    access.close();
    throw new ToolingError(
      `the sandbox at ${endpoint} did not answer (${describeError(err)}). Start one with \`rollout sandbox\` ` +
        '(default seed) and pass the "endpoint" it prints, or leave out --sandbox-endpoint to run the sandbox in-process',
      err,
    );
  }
}

export async function openTarget(env: Environment, flags: CommonFlags, paths: EnvPaths, opts: OpenTargetOptions = {}): Promise<Target> {
  const engineName = engineFor(env, flags);
  const useSandbox = targetKindFor(env, flags) === 'sandbox';
  let sandbox: SandboxHandle | undefined;
  let access: AwsAccess;
  if (useSandbox) {
    let handle: Parameters<typeof sandboxTarget>[0];
    if (flags.sandboxEndpoint) {
      // A running `rollout sandbox` seeded with the default seed: its keys are derivable.
      const { seededCredentials } = await import('../../sandbox/seed.js');
      const ids = [env.managementAccountId, ...env.organization.accounts.map((a) => a.id)];
      handle = {
        endpoint: flags.sandboxEndpoint.replace(/\/$/, ''),
        region: env.homeRegion,
        managementAccountId: env.managementAccountId,
        accounts: Object.fromEntries(ids.map((id) => [id, seededCredentials(id)])),
      };
    } else {
      const { startSandbox } = await import('../../sandbox/index.js');
      try {
        // The environment's own buckets (state store, S3 backend) exist in its emulator, as in its AWS.
        const buckets = [...new Set([...deploymentBuckets(env), ...(opts.sandbox?.buckets ?? [])])];
        // The environment's synthetic traffic (model/traffic.ts), unless the caller set its own.
        const traffic =
          opts.sandbox && 'traffic' in opts.sandbox ? opts.sandbox.traffic : trafficProfile(env, env.sandbox?.traffic ?? 'none');
        sandbox = await startSandbox({ ...opts.sandbox, env, buckets, traffic, statePath: paths.sandboxState });
      } catch (err) {
        throw new ToolingError(`could not start the in-process sandbox (state ${paths.sandboxState}): ${(err as Error).message}`, err);
      }
      handle = sandbox;
    }
    access = AwsAccess.forEnvironment(env, sandboxTarget(handle), { ratePerSecond: rate('sandbox') });
    if (flags.sandboxEndpoint) await probeSandbox(access, handle.endpoint);
  } else {
    access = AwsAccess.forEnvironment(env, awsTarget(env.homeRegion), { ratePerSecond: rate('aws') });
  }
  let engine: Engine;
  try {
    engine =
      engineName === 'sandbox'
        ? new SandboxEngine({ env, access, statePath: paths.sandboxEngine, hooks: opts.hooks, log: opts.log })
        : new TerraformEngine({
            binary: terraformBinary(flags.terraformBin, env.deployment.terraformBinary),
            stacksDir: join(paths.synthOut, 'stacks'),
            env: useSandbox ? await sandboxTerraformEnv(env, access, paths) : undefined,
          });
  } catch (err) {
    access.close();
    await sandbox?.close();
    throw err;
  }
  return {
    kind: useSandbox ? 'sandbox' : 'aws',
    engineName,
    access,
    engine,
    placement: useSandbox ? { target: 'sandbox', localStateDir: join(paths.dir, 'tfstate') } : { target: 'aws' },
    sandbox,
    async close() {
      access.close();
      await sandbox?.close();
    },
  };
}

/**
 * What `terraform` needs to apply sandbox stacks: hashicorp/aws served by the provider double
 * (provider-double/, a test double of the provider for the emulator, installed in a filesystem
 * mirror under the rollout home; ROLLOUT_SANDBOX_PROVIDER=registry uses the real provider
 * instead, which needs the registry), the emulator's URL for the stacks' `endpoints {}`
 * (TF_VAR_sandbox_endpoint) and the management account's sandbox keys as base credentials, from
 * which the provider blocks assume their roles exactly as on AWS.
 */
async function sandboxTerraformEnv(env: Environment, access: AwsAccess, paths: EnvPaths): Promise<Record<string, string>> {
  const target = access.target;
  const base = target.baseCredentials;
  if (!target.endpoint || !base) throw new ToolingError('the sandbox target has no endpoint or base credentials for terraform');
  const provider = process.env.ROLLOUT_SANDBOX_PROVIDER ?? 'double';
  if (provider !== 'double' && provider !== 'registry') {
    throw new UsageError(`ROLLOUT_SANDBOX_PROVIDER must be "double" (default) or "registry", got ${JSON.stringify(provider)}`);
  }
  let install: Record<string, string> = {};
  // "registry": the real hashicorp/aws from the user's own CLI configuration (a rehearsal with internet access).
  if (provider === 'double') {
    const { readyProviderDouble } = await import('../../provider-double/ensure.js');
    try {
      install = await readyProviderDouble(join(paths.dir, 'terraform'), AWS_PROVIDER_RELEASE);
    } catch (err) {
      throw new ToolingError(`could not prepare the provider double for terraform: ${(err as Error).message}`, err);
    }
  }
  return {
    ...install,
    TF_VAR_sandbox_endpoint: target.endpoint,
    // An S3 backend's endpoint cannot be a variable (stacks/backend.ts): the backend reads this.
    AWS_ENDPOINT_URL_S3: target.endpoint,
    // A rehearsal needs no call to HashiCorp's version-check service.
    CHECKPOINT_DISABLE: '1',
    AWS_ACCESS_KEY_ID: base.accessKeyId,
    AWS_SECRET_ACCESS_KEY: base.secretAccessKey,
    AWS_SESSION_TOKEN: base.sessionToken ?? '',
    AWS_REGION: env.homeRegion,
  };
}
