/**
 * The organization tree: DescribeOrganization, ListRoots, ListOrganizationalUnitsForParent,
 * ListAccountsForParent, ListAccounts, ListParents.
 * https://docs.aws.amazon.com/organizations/latest/APIReference/API_Operations.html
 */
import { AwsError } from '../../errors.js';
import { accountById, ouById } from '../../state.js';
import { CHILD_ID, ok, type OrgHandler, PARENT_ID, page, requireParent, str } from './input.js';
import { accountShape, ouShape, rootShape } from './shapes.js';

export const describeOrganization: OrgHandler = ({ state }) => {
  const org = state.organization;
  return ok({
    Organization: {
      Id: org.id,
      Arn: `arn:aws:organizations::${org.masterAccountId}:organization/${org.id}`,
      FeatureSet: org.featureSet,
      MasterAccountArn: `arn:aws:organizations::${org.masterAccountId}:account/${org.id}/${org.masterAccountId}`,
      MasterAccountId: org.masterAccountId,
      MasterAccountEmail: org.masterAccountEmail,
      AvailablePolicyTypes: org.root.policyTypes,
    },
  });
};

export const listRoots: OrgHandler = ({ state, input }) => {
  const p = page(input, [rootShape(state)]);
  return ok({ Roots: p.page, NextToken: p.nextToken });
};

export const listOrganizationalUnitsForParent: OrgHandler = ({ state, input }) => {
  const parent = str(input, 'ParentId', { required: true, pattern: PARENT_ID, reason: 'INVALID_PATTERN' })!;
  requireParent(state, parent);
  const p = page(
    input,
    state.organization.ous.filter((o) => o.parent === parent).map((o) => ouShape(state, o.id)),
  );
  return ok({ OrganizationalUnits: p.page, NextToken: p.nextToken });
};

export const listAccountsForParent: OrgHandler = ({ state, input }) => {
  const parent = str(input, 'ParentId', { required: true, pattern: PARENT_ID })!;
  requireParent(state, parent);
  const p = page(
    input,
    state.organization.accounts.filter((a) => a.parent === parent).map((a) => accountShape(state, a.id)),
  );
  return ok({ Accounts: p.page, NextToken: p.nextToken });
};

export const listAccounts: OrgHandler = ({ state, input }) => {
  const p = page(
    input,
    state.organization.accounts.map((a) => accountShape(state, a.id)),
  );
  return ok({ Accounts: p.page, NextToken: p.nextToken });
};

export const listParents: OrgHandler = ({ state, input }) => {
  const child = str(input, 'ChildId', { required: true, pattern: CHILD_ID, reason: 'INVALID_PATTERN' })!;
  const parent = accountById(state, child)?.parent ?? ouById(state, child)?.parent;
  if (!parent)
    throw new AwsError('ChildNotFoundException', 400, `We can't find an organizational unit (OU) or account with the ChildId ${child}.`);
  const p = page(input, [{ Id: parent, Type: parent === state.organization.root.id ? 'ROOT' : 'ORGANIZATIONAL_UNIT' }]);
  return ok({ Parents: p.page, NextToken: p.nextToken });
};
