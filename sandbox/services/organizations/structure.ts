/**
 * Changes to the organization tree: CreateAccount (+ DescribeCreateAccountStatus), MoveAccount,
 * Create/Update/DeleteOrganizationalUnit. They let a test change the organization out of band,
 * as a person does in the console, and see whether the rollout notices.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_Operations.html
 *
 * CreateAccount is asynchronous on AWS (IN_PROGRESS, then SUCCEEDED or FAILED); the sandbox
 * finishes it within the call, so the request id carries the account id and
 * DescribeCreateAccountStatus answers from the account itself (no request records in the state).
 */
import { ACCOUNT_ID, OU_ID } from '../../../core/patterns.js';
import { AwsError } from '../../errors.js';
import { accessKeyFor, secretFor } from '../../seed.js';
import { accountById, ancestorsOf, hashChars, nextId, ouById } from '../../state.js';
import { ok, type OrgHandler, PARENT_ID, requireParent, str } from './input.js';
import { epoch, ouShape } from './shapes.js';

/** AWS Organizations allows OUs nested five levels below the root. */
const MAX_OU_DEPTH = 5;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,250}$/;
const REQUEST_ID = /^car-([0-9]{12})$/;

const constraint = (reason: string, message: string) => new AwsError('ConstraintViolationException', 400, message, { Reason: reason });

export const createAccount: OrgHandler = ({ state, input, now }) => {
  const email = str(input, 'Email', { required: true, min: 6, max: 64, pattern: EMAIL, reason: 'INVALID_EMAIL_ADDRESS_TARGET' })!;
  const name = str(input, 'AccountName', { required: true, min: 1, max: 50 })!;
  const roleName = str(input, 'RoleName', { pattern: ROLE_NAME }) ?? 'OrganizationAccountAccessRole';
  const org = state.organization;
  if (org.accounts.some((a) => a.email.toLowerCase() === email.toLowerCase())) {
    // AWS reports this through the request's status, not as an error of the call.
    return ok({
      CreateAccountStatus: {
        Id: `car-${hashChars(`failed:${state.seed}:${email}:${name}:${now}`, 16)}`,
        AccountName: name,
        State: 'FAILED',
        FailureReason: 'EMAIL_ALREADY_EXISTS',
        RequestedTimestamp: epoch(now),
        CompletedTimestamp: epoch(now),
      },
    });
  }
  let id: string;
  do id = nextId(state, 'account', 12).replace(/[a-z]/g, (c) => String(c.charCodeAt(0) % 10));
  while (!ACCOUNT_ID.test(id) || accountById(state, id) || id.startsWith('0'));
  // A created account joins at the root, with the role the management account administers it
  // through (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_access.html).
  org.accounts.push({ id, name, email, parent: org.root.id, joinedAt: now });
  state.credentials[id] = { accessKeyId: accessKeyFor(id), secretAccessKey: secretFor(state.seed, id) };
  state.roles[id] = [{ name: roleName, trust: [`arn:aws:iam::${org.masterAccountId}:root`] }];
  return ok({ CreateAccountStatus: accountStatus(id, name, now) }, true);
};

function accountStatus(id: string, name: string, at: string) {
  return {
    Id: `car-${id}`,
    AccountName: name,
    State: 'SUCCEEDED',
    RequestedTimestamp: epoch(at),
    CompletedTimestamp: epoch(at),
    AccountId: id,
  };
}

export const describeCreateAccountStatus: OrgHandler = ({ state, input }) => {
  const requestId = str(input, 'CreateAccountRequestId', { required: true, pattern: /^car-[a-z0-9]{8,32}$/ })!;
  const account = accountById(state, REQUEST_ID.exec(requestId)?.[1] ?? '');
  if (!account) {
    throw new AwsError('CreateAccountStatusNotFoundException', 400, `We can't find a create account request with the ID ${requestId}.`);
  }
  return ok({ CreateAccountStatus: accountStatus(account.id, account.name, account.joinedAt) });
};

export const moveAccount: OrgHandler = ({ state, input }) => {
  const id = str(input, 'AccountId', { required: true, pattern: ACCOUNT_ID, reason: 'INVALID_PATTERN' })!;
  const source = str(input, 'SourceParentId', { required: true, pattern: PARENT_ID, reason: 'INVALID_PATTERN' })!;
  const destination = str(input, 'DestinationParentId', { required: true, pattern: PARENT_ID, reason: 'INVALID_PATTERN' })!;
  const isParent = (p: string) => p === state.organization.root.id || Boolean(ouById(state, p));
  if (!isParent(source))
    throw new AwsError('SourceParentNotFoundException', 400, `We can't find a source root or OU with the ParentId ${source}.`);
  if (!isParent(destination))
    throw new AwsError(
      'DestinationParentNotFoundException',
      400,
      `We can't find a destination root or OU with the ParentId ${destination}.`,
    );
  const account = accountById(state, id);
  if (!account) throw new AwsError('AccountNotFoundException', 400, `We can't find an AWS account with the AccountId ${id}.`);
  if (account.parent === destination)
    throw new AwsError('DuplicateAccountException', 400, 'That account is already present in the specified destination.');
  if (account.parent !== source)
    throw new AwsError('SourceParentNotFoundException', 400, `The account ${id} is not in the parent ${source}.`);
  account.parent = destination;
  return ok({}, true);
};

export const createOrganizationalUnit: OrgHandler = ({ state, input }) => {
  const parent = str(input, 'ParentId', { required: true, pattern: PARENT_ID, reason: 'INVALID_PATTERN' })!;
  const name = str(input, 'Name', { required: true, min: 1, max: 128 })!;
  requireParent(state, parent);
  const org = state.organization;
  // The parent's chain from the root (empty for the root itself), plus the parent: the new OU's depth.
  const depth = ancestorsOf(state, parent).length + 1;
  if (depth > MAX_OU_DEPTH) throw constraint('OU_DEPTH_LIMIT_EXCEEDED', 'You attempted to create an OU tree that is too many levels deep.');
  if (org.ous.some((o) => o.parent === parent && o.name === name))
    throw new AwsError('DuplicateOrganizationalUnitException', 400, 'An OU with the same name already exists.');
  // ou-<root id suffix>-<8 characters>, as AWS forms OU ids.
  const id = `ou-${org.root.id.slice(2)}-${nextId(state, 'ou', 8)}`;
  if (!OU_ID.test(id)) throw new AwsError('ServiceException', 500, `could not form an OU id from the root ${org.root.id}`);
  org.ous.push({ id, name, parent });
  return ok({ OrganizationalUnit: ouShape(state, id) }, true);
};

function requireOu(state: Parameters<OrgHandler>[0]['state'], input: Parameters<OrgHandler>[0]['input']) {
  const id = str(input, 'OrganizationalUnitId', { required: true, pattern: OU_ID, reason: 'INVALID_PATTERN' })!;
  const ou = ouById(state, id);
  if (!ou) throw new AwsError('OrganizationalUnitNotFoundException', 400, `We can't find an OU with the OrganizationalUnitId ${id}.`);
  return ou;
}

export const updateOrganizationalUnit: OrgHandler = ({ state, input }) => {
  const ou = requireOu(state, input);
  const name = str(input, 'Name', { min: 1, max: 128 });
  if (name !== undefined && name !== ou.name && state.organization.ous.some((o) => o.parent === ou.parent && o.name === name))
    throw new AwsError('DuplicateOrganizationalUnitException', 400, 'An OU with the same name already exists.');
  if (name !== undefined) ou.name = name;
  return ok({ OrganizationalUnit: ouShape(state, ou.id) }, true);
};

export const deleteOrganizationalUnit: OrgHandler = ({ state, input }) => {
  const ou = requireOu(state, input);
  const org = state.organization;
  if (org.ous.some((o) => o.parent === ou.id) || org.accounts.some((a) => a.parent === ou.id))
    throw new AwsError(
      'OrganizationalUnitNotEmptyException',
      400,
      'The specified OU is not empty. Move all accounts to another root or OU and delete all child OUs, and then try the operation again.',
    );
  org.ous = org.ous.filter((o) => o.id !== ou.id);
  // What was attached to the OU goes with it.
  state.attachments = state.attachments.filter((a) => a.targetId !== ou.id);
  return ok({}, true);
};
