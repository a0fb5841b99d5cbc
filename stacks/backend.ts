/**
 * State backends per stack, and the `terraform_remote_state` data source that reads another
 * stack's state through the same backend settings.
 *   local: path <directory>/<stack>.tfstate (directory resolved against the working directory)
 *   s3:    key <keyPrefix>/<stack>.tfstate, S3-native locking (use_lockfile), optional DynamoDB lock
 *   cloud: HCP Terraform / Terraform Enterprise workspace <workspacePrefix>-<stack> (exactly one "-")
 */
import path from 'node:path';
import {
  CloudBackend,
  DataTerraformRemoteState,
  DataTerraformRemoteStateLocal,
  DataTerraformRemoteStateS3,
  LocalBackend,
  NamedCloudWorkspace,
  S3Backend,
  type S3BackendConfig,
  type TerraformStack,
} from 'cdktf';
import type { Construct } from 'constructs';
import type { BackendSettings, Environment } from '../model/types.js';
import type { SynthTarget } from './target.js';

/** Default local state directory, relative to the working directory of the synth. */
export function defaultLocalStateDir(env: Environment): string {
  return path.join('.rollout', 'tfstate', env.name);
}

function localPath(env: Environment, backend: Extract<BackendSettings, { type: 'local' }>, stack: string): string {
  const dir = path.resolve(backend.directory ?? defaultLocalStateDir(env));
  return path.join(dir, `${stack}.tfstate`);
}

function s3Key(keyPrefix: string, stack: string): string {
  const prefix = keyPrefix.replace(/^\/+|\/+$/g, '');
  return prefix ? `${prefix}/${stack}.tfstate` : `${stack}.tfstate`;
}

/**
 * S3 backend arguments. `use_lockfile` (S3-native locking) is newer than cdktf 0.21's typings
 * but passed through as-is, and written only when true: Terraform < 1.10 rejects the argument
 * even when false, and without it those versions can still run the stack (stacks/requirements.ts).
 * `dynamodb_table` only when configured. https://developer.hashicorp.com/terraform/language/backend/s3
 */
function s3Config(b: Extract<BackendSettings, { type: 's3' }>, stack: string, target: SynthTarget): S3BackendConfig {
  const config = {
    bucket: b.bucket,
    key: s3Key(b.keyPrefix, stack),
    region: b.region,
    encrypt: b.encrypt,
    ...(b.useLockfile ? { useLockfile: true } : {}),
    ...(b.dynamodbTable ? { dynamodbTable: b.dynamodbTable } : {}),
    ...(target === 'sandbox' ? SANDBOX_S3_BACKEND : {}),
  };
  return config as S3BackendConfig;
}

/**
 * The S3 backend against the emulator, as for the provider blocks (stacks/target.ts): path-style
 * requests (a loopback endpoint has no bucket subdomains) and no AWS account, metadata or region
 * checks. The endpoint cannot be a variable in a backend block, so the engine passes it as
 * AWS_ENDPOINT_URL_S3, which the backend reads
 * (https://developer.hashicorp.com/terraform/language/backend/s3#endpoints).
 */
const SANDBOX_S3_BACKEND = {
  usePathStyle: true,
  skipCredentialsValidation: true,
  skipRequestingAccountId: true,
  skipMetadataApiCheck: true,
  skipRegionValidation: true,
} as const;

/**
 * `<prefix>-<stack>` with exactly one "-": a prefix written as "guardrail-rollout-" (the natural
 * way to write a prefix) must not give "guardrail-rollout--pilot". The remote-state data source
 * uses the same function, so a phase stack always reads the workspace the guardrails stack writes.
 */
export function workspaceName(prefix: string, stack: string): string {
  const base = prefix.replace(/-+$/, '');
  return base ? `${base}-${stack}` : stack;
}

export function addBackend(stack: TerraformStack, env: Environment, stackName: string, target: SynthTarget = 'aws'): void {
  const b = env.deployment.backend;
  switch (b.type) {
    case 'local':
      new LocalBackend(stack, { path: localPath(env, b, stackName) });
      return;
    case 's3':
      new S3Backend(stack, s3Config(b, stackName, target));
      return;
    case 'cloud':
      new CloudBackend(stack, {
        organization: b.organization,
        hostname: b.hostname,
        workspaces: new NamedCloudWorkspace(workspaceName(b.workspacePrefix, stackName), b.project),
      });
      return;
  }
}

/**
 * `data.terraform_remote_state.<id>` reading stack `source`. For `cloud`, Terraform reads
 * remote state with the `remote` backend type (same organization/hostname/workspace).
 */
export function remoteState(
  scope: Construct,
  id: string,
  env: Environment,
  source: string,
  target: SynthTarget = 'aws',
): DataTerraformRemoteState | DataTerraformRemoteStateLocal | DataTerraformRemoteStateS3 {
  const b = env.deployment.backend;
  switch (b.type) {
    case 'local':
      return new DataTerraformRemoteStateLocal(scope, id, { path: localPath(env, b, source) });
    case 's3':
      return new DataTerraformRemoteStateS3(scope, id, s3Config(b, source, target));
    case 'cloud':
      return new DataTerraformRemoteState(scope, id, {
        organization: b.organization,
        hostname: b.hostname,
        workspaces: { name: workspaceName(b.workspacePrefix, source) },
      });
  }
}
