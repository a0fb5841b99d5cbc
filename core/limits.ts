/**
 * Service limits shared by the policy engine and the emulator (one definition each).
 */

/**
 * Organizations' maximum policy document size. The quotas page lists 10,000 characters for the other
 * declarative management policy types (tag, backup, chat applications); a BEDROCK_POLICY limit could
 * not be confirmed there, so the same limit is assumed.
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 */
export const BEDROCK_POLICY_MAX_CHARS = 10_000;
