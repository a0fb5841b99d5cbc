/**
 * Opens the environment's state store (`deployment.stateStore`, rollout/state/store/). The S3
 * store needs an S3 client: on AWS the SDK's default credential chain and the store's region;
 * on the sandbox (`--sandbox-endpoint`) the emulator's URL, path-style addressing and the
 * management account's sandbox keys (derived from the default seed, as openTarget does).
 *
 * An S3 store with the in-process sandbox is refused: that emulator lives only as long as one
 * command, so no other runner could ever share the bucket — which is the point of an S3 store —
 * and the session takes the lock before the target is started.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { Environment } from '../../model/types.js';
import { UsageError } from '../../core/errors.js';
import type { RolloutStore } from '../state/store/index.js';
import { LocalStore } from '../state/store/local.js';
import type { EnvPaths } from '../state/paths.js';
import type { CommonFlags } from './flags.js';
import { targetKindFor } from './target-kind.js';

export async function openStore(
  // No release definitions needed: `rollout status` opens the store of an environment loaded without them.
  env: Omit<Environment, 'releases' | 'teamAdditions'>,
  flags: Pick<CommonFlags, 'engine' | 'sandboxEndpoint'>,
  paths: EnvPaths,
): Promise<RolloutStore> {
  const cfg = env.deployment.stateStore ?? { type: 'local' };
  if (cfg.type === 'local') return new LocalStore(paths, env.name);
  // Loaded only for an S3 store: a local store (and `rollout status` on it) never loads the SDK.
  const [{ S3Client }, { NodeHttpHandler }, { S3Store }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@smithy/node-http-handler'),
    import('../state/store/s3.js'),
  ]);
  // Timeouts so an unreachable bucket fails (exit 3) instead of hanging a pipeline.
  const requestHandler = new NodeHttpHandler({ connectionTimeout: 5_000, requestTimeout: 30_000 });
  let client: S3Client;
  if (targetKindFor(env, flags) === 'sandbox') {
    if (!flags.sandboxEndpoint) {
      throw new UsageError(
        `deployment.stateStore is s3 (bucket ${cfg.bucket}) and the target is the sandbox: pass --sandbox-endpoint <url> of a running ` +
          '`rollout sandbox` that serves the bucket (an in-process sandbox lives only as long as this command, so no other runner ' +
          'could share its state), or use `stateStore: { type: local }`',
      );
    }
    const { seededCredentials } = await import('../../sandbox/seed.js');
    client = new S3Client({
      region: cfg.region,
      endpoint: flags.sandboxEndpoint.replace(/\/$/, ''),
      forcePathStyle: true,
      credentials: seededCredentials(env.managementAccountId),
      requestHandler,
    });
  } else {
    client = new S3Client({ region: cfg.region, requestHandler });
  }
  return new S3Store({ client, bucket: cfg.bucket, prefix: cfg.prefix, env: env.name });
}
