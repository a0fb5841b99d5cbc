/**
 * Identifier patterns of AWS Organizations, Bedrock and STS, as the API references publish them:
 * one home, used by the environment schema, the constructs, the policy validator, the gates
 * and the emulator. Anchored regular expressions; capture groups documented where they exist.
 */

/** 12-digit AWS account id. */
export const ACCOUNT_ID = /^[0-9]{12}$/;
/** Organization root: https://docs.aws.amazon.com/organizations/latest/APIReference/API_Root.html */
export const ROOT_ID = /^r-[0-9a-z]{4,32}$/;
/** Organizational unit: https://docs.aws.amazon.com/organizations/latest/APIReference/API_OrganizationalUnit.html */
export const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
/** Organization: https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html */
export const ORG_ID = /^o-[a-z0-9]{10,32}$/;
/** Organizations policy id: https://docs.aws.amazon.com/organizations/latest/APIReference/API_PolicySummary.html */
export const POLICY_ID = /^p-[0-9a-zA-Z_]{8,128}$/;
/** A policy target: the root, an OU or an account (AttachPolicy `TargetId`). */
export const POLICY_TARGET_ID = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|[0-9]{12})$/;
/** Region code shape (`us-east-1`); which Regions exist is a list, not a pattern. */
export const REGION_CODE = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/**
 * AWS commercial Regions (partition `aws`), as listed on
 * https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html.
 * Bedrock Guardrails are not offered in all of them; Bedrock itself rejects unsupported ones.
 */
export const AWS_COMMERCIAL_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-1',
  'ap-south-2',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-central-1',
  'ca-west-1',
  'eu-central-1',
  'eu-central-2',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-south-1',
  'eu-south-2',
  'eu-north-1',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
  'sa-east-1',
] as const;
export type AwsRegion = (typeof AWS_COMMERCIAL_REGIONS)[number];

/**
 * Unversioned guardrail ARN; groups: 1 region, 2 owning account, 3 guardrail id.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_GetGuardrail.html
 */
export const GUARDRAIL_ARN_PATTERN = /^arn:aws(?:-[a-z]+)*:bedrock:([a-z0-9-]+):(\d{12}):guardrail\/([a-z0-9]+)$/;
/** A published guardrail version (`guardrailVersion` of the enforcement APIs); DRAFT does not match. */
export const GUARDRAIL_VERSION_PATTERN = /^[1-9][0-9]{0,7}$/;

/** `<guardrail ARN>:<published version>`: the `identifier` of a BEDROCK_POLICY; groups: 1 region, 2 owner, 3 id, 4 version. */
export const ORG_GUARDRAIL_IDENTIFIER = /^arn:aws(?:-[a-z]+)*:bedrock:([a-z0-9-]+):(\d{12}):guardrail\/([a-z0-9]+):([1-9][0-9]{0,7})$/;

/**
 * Bedrock foundation-model id: `provider.model[:version[:variant]]` (optionally `/<12 chars>`),
 * the anchored form of the modelEnforcement pattern
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_PutEnforcedGuardrailConfiguration.html).
 * Geo-prefixed inference-profile ids (`us.anthropic…`) and ARNs do not match.
 */
export const MODEL_ID_PATTERN = /^[a-z0-9-]{1,63}\.[a-z0-9-]{1,63}(:[a-z0-9-]{1,63}){0,2}(\/[a-z0-9]{12})?$/;
export const INFERENCE_PROFILE_PREFIX = /^(us|eu|apac|us-gov|global|jp|au|ca)\.[a-z0-9-]+\./;
