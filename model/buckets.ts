/**
 * The S3 buckets an environment's deployment settings name (the rollout state store, the
 * Terraform S3 backend): what an emulator of that environment must have for a rehearsal.
 */
import type { Environment } from './types.js';

export function deploymentBuckets(env: Pick<Environment, 'deployment'>): string[] {
  const out = new Set<string>();
  const store = env.deployment.stateStore;
  if (store?.type === 's3') out.add(store.bucket);
  if (env.deployment.backend.type === 's3') out.add(env.deployment.backend.bucket);
  return [...out].sort();
}
