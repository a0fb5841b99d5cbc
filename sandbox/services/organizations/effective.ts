/**
 * Effective policies: DescribeEffectivePolicy, ListAccountsWithInvalidEffectivePolicy,
 * ListEffectivePolicyValidationErrors. Only BEDROCK_POLICY is evaluated (the emulator's own
 * inheritance, sandbox/organizations/inheritance.ts); other management types have no effective
 * policy here.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_DescribeEffectivePolicy.html
 */
import { ACCOUNT_ID, POLICY_TARGET_ID } from '../../../core/patterns.js';
import { contributingPolicies, effectiveFor, validateEffective } from '../../effective.js';
import { AwsError } from '../../errors.js';
import { accountById, isPolicyTypeEnabled, type SandboxState } from '../../state.js';
import { EFFECTIVE_POLICY_TYPES, invalid, ok, type OrgHandler, page, policyType, str } from './input.js';
import { accountShape } from './shapes.js';

export const describeEffectivePolicy: OrgHandler = ({ state, input, caller, isManagement }) => {
  const type = policyType(input, 'PolicyType', EFFECTIVE_POLICY_TYPES);
  const target = str(input, 'TargetId', { pattern: POLICY_TARGET_ID, reason: 'INVALID_PATTERN_TARGET_ID' }) ?? caller;
  if (!ACCOUNT_ID.test(target)) {
    throw invalid(
      'TARGET_NOT_SUPPORTED',
      "You can't perform the operation on the requested target type. Effective policies are available for accounts only.",
    );
  }
  if (!accountById(state, target))
    throw new AwsError('TargetNotFoundException', 400, `We can't find a root, OU, account, or policy with the TargetId ${target}.`);
  if (!isManagement && target !== caller) {
    throw new AwsError(
      'AccessDeniedException',
      400,
      "You don't have permissions to access this resource. A member account can view only its own effective policy.",
    );
  }
  const notFound = () =>
    new AwsError('EffectivePolicyNotFoundException', 400, "We can't find an effective policy of the specified type for the target.");
  if (!isPolicyTypeEnabled(state, type)) throw notFound();
  if (type !== 'BEDROCK_POLICY') throw notFound();
  const doc = effectiveFor(state, target);
  if (!doc) throw notFound();
  return ok({
    EffectivePolicy: {
      PolicyContent: JSON.stringify(doc),
      LastUpdatedTimestamp: lastChange(state, target),
      TargetId: target,
      PolicyType: type,
    },
  });
};

export const listAccountsWithInvalidEffectivePolicy: OrgHandler = ({ state, input }) => {
  const type = policyType(input, 'PolicyType', EFFECTIVE_POLICY_TYPES);
  const bad =
    type === 'BEDROCK_POLICY' && isPolicyTypeEnabled(state, type)
      ? state.organization.accounts.filter((a) => validateEffective(state, a.id).length > 0)
      : [];
  const p = page(
    input,
    bad.map((a) => accountShape(state, a.id)),
  );
  return ok({ Accounts: p.page, PolicyType: type, NextToken: p.nextToken });
};

export const listEffectivePolicyValidationErrors: OrgHandler = ({ ctx, state, input }) => {
  const account = str(input, 'AccountId', { required: true, pattern: ACCOUNT_ID })!;
  const type = policyType(input, 'PolicyType', EFFECTIVE_POLICY_TYPES);
  if (!accountById(state, account))
    throw new AwsError('AccountNotFoundException', 400, `We can't find an account with the AccountId ${account}.`);
  const errors = type === 'BEDROCK_POLICY' && isPolicyTypeEnabled(state, type) ? validateEffective(state, account) : [];
  const p = page(input, errors);
  return ok({
    AccountId: account,
    PolicyType: type,
    Path: accountShape(state, account).Paths[0],
    EvaluationTimestamp: Math.floor(ctx.now() / 1000),
    EffectivePolicyValidationErrors: p.page,
    NextToken: p.nextToken,
  });
};

/** Latest change (policy update or attachment) among what reaches the account, epoch seconds. */
function lastChange(state: SandboxState, account: string): number {
  const ids = new Set(contributingPolicies(state, account));
  const times = [
    ...state.policies.filter((p) => ids.has(p.id)).map((p) => p.updatedAt),
    ...state.attachments.filter((a) => ids.has(a.policyId)).map((a) => a.attachedAt),
  ].map((t) => Date.parse(t));
  return Math.floor(Math.max(0, ...times) / 1000);
}
