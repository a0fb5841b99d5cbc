/**
 * The `provider "aws" {}` block of the TEST DOUBLE of hashicorp/aws (never used against AWS): every
 * v6 argument, all Optional, so real configurations validate; the double uses `region`,
 * `endpoints`, `access_key`/`secret_key`/`token`, `assume_role`, `max_retries`,
 * `allowed_account_ids`/`forbidden_account_ids` and the `skip_*` switches, and ignores the rest.
 * `skip_metadata_api_check` is a string (a tri-state bool) upstream. `alias` is a meta-argument
 * and is not declared.
 * https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/provider/sdkv2/provider.go
 * https://registry.terraform.io/providers/hashicorp/aws/latest/docs#argument-reference
 */
import { ENDPOINT_KEYS } from './endpoint-keys.js';
import type { AttributeSchema, BlockSchema } from './types.js';

const s: AttributeSchema = { type: 'string', optional: true };
const b: AttributeSchema = { type: 'bool', optional: true };
const n: AttributeSchema = { type: 'number', optional: true };
const stringSet: AttributeSchema = { type: ['set', 'string'], optional: true };
const stringList: AttributeSchema = { type: ['list', 'string'], optional: true };
const stringMap: AttributeSchema = { type: ['map', 'string'], optional: true };

export const providerSchema: BlockSchema = {
  attributes: {
    access_key: s,
    allowed_account_ids: stringSet,
    custom_ca_bundle: s,
    ec2_metadata_service_endpoint: s,
    ec2_metadata_service_endpoint_mode: s,
    forbidden_account_ids: stringSet,
    http_proxy: s,
    https_proxy: s,
    insecure: b,
    max_retries: n,
    no_proxy: s,
    profile: s,
    region: s,
    retry_mode: s,
    s3_us_east_1_regional_endpoint: s,
    s3_use_path_style: b,
    secret_key: { ...s, sensitive: true },
    shared_config_files: stringList,
    shared_credentials_files: stringList,
    skip_credentials_validation: b,
    skip_metadata_api_check: s,
    skip_region_validation: b,
    skip_requesting_account_id: b,
    sts_region: s,
    tag_policy_compliance: s,
    token: { ...s, sensitive: true },
    token_bucket_rate_limiter_capacity: n,
    use_dualstack_endpoint: b,
    use_fips_endpoint: b,
  },
  blocks: {
    assume_role: {
      nesting: 'list',
      block: {
        attributes: {
          duration: s,
          external_id: s,
          policy: s,
          policy_arns: stringSet,
          role_arn: s,
          session_name: s,
          source_identity: s,
          tags: stringMap,
          transitive_tag_keys: stringSet,
        },
      },
    },
    assume_role_with_web_identity: {
      nesting: 'list',
      maxItems: 1,
      block: {
        attributes: {
          duration: s,
          policy: s,
          policy_arns: stringSet,
          role_arn: s,
          session_name: s,
          web_identity_token: s,
          web_identity_token_file: s,
        },
      },
    },
    default_tags: { nesting: 'list', maxItems: 1, block: { attributes: { tags: stringMap } } },
    endpoints: { nesting: 'set', block: { attributes: Object.fromEntries(ENDPOINT_KEYS.map((k) => [k, s])) } },
    ignore_tags: { nesting: 'list', maxItems: 1, block: { attributes: { key_prefixes: stringSet, keys: stringSet } } },
  },
};
