/**
 * The hashicorp/aws release line every synthesized stack requires, and the check that a
 * user-written `deployment.awsProviderVersion` is a Terraform version constraint.
 *
 * Why 6.70.0 (docs/stacks.md "Provider resources: evidence"): the provider source has both
 * `aws_bedrock_enforced_guardrail_configuration` (argument `guardrail_identifier`, PR 47408) and
 * `aws_bedrock_guardrail_resource_policy` (PR 48697); neither was released by 6.67.0 (provider
 * roadmap, October 2026) and Pulumi AWS v7.52.1 bridged the enforced configuration on
 * 28 October 2026. The exact first release could not be read from a released CHANGELOG, so
 * 6.70.0 is the floor this project pins; < 7.0.0 keeps a major release (which may rename
 * arguments) out until it has been checked.
 */

/** The concrete release the default constraint is derived from (the provider double installs itself under it). */
export const AWS_PROVIDER_RELEASE = '6.70.0';

/** Default `deployment.awsProviderVersion`: the release line of AWS_PROVIDER_RELEASE, below the next major. */
export const DEFAULT_AWS_PROVIDER_VERSION = `>= ${AWS_PROVIDER_RELEASE}, < ${Number(AWS_PROVIDER_RELEASE.split('.')[0]) + 1}.0.0`;

/**
 * One constraint: optional operator, then a version of one to three numeric parts with an
 * optional pre-release. Terraform's syntax:
 * https://developer.hashicorp.com/terraform/language/expressions/version-constraints
 */
const ONE_CONSTRAINT = /^\s*(?:=|!=|>=|<=|>|<|~>)?\s*\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?\s*$/;

/** True for a comma-separated list of Terraform version constraints such as ">= 6.70.0, < 7.0.0". */
export function isTerraformVersionConstraint(value: string): boolean {
  const parts = value.split(',');
  return value.trim() !== '' && parts.every((p) => ONE_CONSTRAINT.test(p));
}

/** What the loader says when a constraint is not one. */
export const VERSION_CONSTRAINT_EXPECTED = `a Terraform version constraint such as "${DEFAULT_AWS_PROVIDER_VERSION}" (comma-separated; each an optional operator =, !=, >, >=, <, <= or ~> and a version like 6.70.0)`;
