/** Public entry of the environment model: types, loader, org-tree and exception helpers. */
export * from './types.js';
export {
  loadEnvironment,
  resolveEnvironmentPath,
  listEnvironments,
  projectRoot,
  environmentFromObject,
  loadDefinitionFile,
  ENVIRONMENT_FILE,
  type LoadOptions,
} from './load.js';
export {
  DEFAULT_AWS_PROVIDER_VERSION,
  DEFAULT_ROLE_NAME,
  DEFAULT_SAMPLE,
  parseDuration,
  isRealDate,
  environmentFileSchema,
  type EnvironmentFile,
} from './schema.js';
export { AWS_PROVIDER_RELEASE, isTerraformVersionConstraint } from './provider-version.js';
export { checkEnvironment, MAX_OU_DEPTH, type EnvironmentShape } from './validate.js';
export * from './org.js';
export * from './exceptions.js';
export * from './probe-roles.js';
export { deploymentBuckets } from './buckets.js';
export { isSandboxEnvironment } from './sandbox-environment.js';
