/**
 * AWS Organizations (awsJson1_1): the organization tree, policies, attachments and effective
 * policies. Shapes and errors: https://docs.aws.amazon.com/organizations/latest/APIReference/
 * This file parses the body, checks the caller and dispatches through the operation table; each
 * operation lives with its kind: tree.ts (reads), structure.ts (changes to the tree), policies.ts,
 * effective.ts.
 */
import { AwsError } from '../../errors.js';
import type { SvcRequest } from '../../protocol.js';
import { accountById } from '../../state.js';
import { iso, type HandlerResult, type ServiceContext } from '../common.js';
import { describeEffectivePolicy, listAccountsWithInvalidEffectivePolicy, listEffectivePolicyValidationErrors } from './effective.js';
import type { Input, OrgHandler } from './input.js';
import {
  attachPolicy,
  createPolicy,
  deletePolicy,
  describePolicy,
  detachPolicy,
  disablePolicyType,
  enablePolicyType,
  listPolicies,
  listPoliciesForTarget,
  listTargetsForPolicy,
  updatePolicy,
} from './policies.js';
import {
  describeOrganization,
  listAccounts,
  listAccountsForParent,
  listOrganizationalUnitsForParent,
  listParents,
  listRoots,
} from './tree.js';
import {
  createAccount,
  createOrganizationalUnit,
  deleteOrganizationalUnit,
  describeCreateAccountStatus,
  moveAccount,
  updateOrganizationalUnit,
} from './structure.js';

/** Every operation the sandbox implements. */
const OPERATIONS: Record<string, OrgHandler> = {
  DescribeOrganization: describeOrganization,
  ListRoots: listRoots,
  ListOrganizationalUnitsForParent: listOrganizationalUnitsForParent,
  ListAccountsForParent: listAccountsForParent,
  ListAccounts: listAccounts,
  ListParents: listParents,
  CreateAccount: createAccount,
  DescribeCreateAccountStatus: describeCreateAccountStatus,
  MoveAccount: moveAccount,
  CreateOrganizationalUnit: createOrganizationalUnit,
  UpdateOrganizationalUnit: updateOrganizationalUnit,
  DeleteOrganizationalUnit: deleteOrganizationalUnit,
  EnablePolicyType: enablePolicyType,
  DisablePolicyType: disablePolicyType,
  CreatePolicy: createPolicy,
  UpdatePolicy: updatePolicy,
  DeletePolicy: deletePolicy,
  DescribePolicy: describePolicy,
  ListPolicies: listPolicies,
  AttachPolicy: attachPolicy,
  DetachPolicy: detachPolicy,
  ListTargetsForPolicy: listTargetsForPolicy,
  ListPoliciesForTarget: listPoliciesForTarget,
  DescribeEffectivePolicy: describeEffectivePolicy,
  ListAccountsWithInvalidEffectivePolicy: listAccountsWithInvalidEffectivePolicy,
  ListEffectivePolicyValidationErrors: listEffectivePolicyValidationErrors,
};

/** Operations any organization member may call; all others are management-account only. */
const MEMBER_OPERATIONS = new Set(['DescribeOrganization', 'DescribeEffectivePolicy']);

export function handleOrganizations(ctx: ServiceContext, req: SvcRequest): HandlerResult {
  const { state } = ctx;
  let input: Input;
  try {
    input = req.body.length ? (JSON.parse(req.body.toString('utf8')) as Input) : {};
  } catch {
    throw new AwsError('SerializationException', 400, 'Could not parse the request body as JSON.');
  }
  const caller = req.caller.account;
  if (!accountById(state, caller)) {
    throw new AwsError('AWSOrganizationsNotInUseException', 400, 'Your account is not a member of an organization.');
  }
  const isManagement = caller === state.organization.masterAccountId;
  if (!isManagement && !MEMBER_OPERATIONS.has(req.operation)) {
    throw new AwsError(
      'AccessDeniedException',
      400,
      `You don't have permissions to access this resource. ${req.operation} can be called only from the organization's management account.`,
    );
  }
  const handler = Object.hasOwn(OPERATIONS, req.operation) ? OPERATIONS[req.operation] : undefined;
  if (!handler) throw new AwsError('UnknownOperationException', 400, `The sandbox does not implement Organizations ${req.operation}.`);
  return handler({ ctx, state, operation: req.operation, input, caller, isManagement, now: iso(ctx.now()) });
}
