/**
 * The emulator's changes to the organization tree (sandbox/services/organizations/structure.ts):
 * what a person does in the console that the rollout must notice. Real SDK clients over loopback.
 */
import {
  AccountNotFoundException,
  ConstraintViolationException,
  CreateAccountCommand,
  CreateAccountStatusNotFoundException,
  CreateOrganizationalUnitCommand,
  DeleteOrganizationalUnitCommand,
  DescribeCreateAccountStatusCommand,
  DestinationParentNotFoundException,
  DuplicateAccountException,
  DuplicateOrganizationalUnitException,
  ListAccountsForParentCommand,
  ListParentsCommand,
  MoveAccountCommand,
  OrganizationalUnitNotEmptyException,
  OrganizationsClient,
  SourceParentNotFoundException,
  UpdateOrganizationalUnitCommand,
  AccessDeniedException,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { SandboxHandle } from '../../../sandbox/index.js';
import { cfg, MGMT, OU_DEEP, OU_PROD, OU_WORK, PILOT, ROOT, start } from '../../helpers/sandbox.js';

let sb: SandboxHandle;
let org: OrganizationsClient;
beforeEach(async () => {
  sb = await start();
  org = new OrganizationsClient(cfg(sb, MGMT));
});
afterEach(async () => {
  await sb.close();
});

test('CreateAccount: a new account at the root, described by its request, with the role the management account assumes', async () => {
  const { CreateAccountStatus: s } = await org.send(new CreateAccountCommand({ Email: 'new@example.com', AccountName: 'new-app' }));
  expect(s).toMatchObject({ State: 'SUCCEEDED', AccountName: 'new-app', AccountId: expect.stringMatching(/^\d{12}$/) });
  const id = s!.AccountId!;
  const listed = (await org.send(new ListAccountsForParentCommand({ ParentId: ROOT }))).Accounts!;
  expect(listed.find((a) => a.Id === id)).toMatchObject({ Name: 'new-app', Email: 'new@example.com', JoinedMethod: 'CREATED' });
  expect((await org.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: s!.Id }))).CreateAccountStatus).toMatchObject({
    State: 'SUCCEEDED',
    AccountId: id,
  });
  const sts = new STSClient(cfg(sb, MGMT));
  const role = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${id}:role/OrganizationAccountAccessRole`, RoleSessionName: 'test' }),
  );
  expect(role.AssumedRoleUser?.Arn).toContain(id);
  // An e-mail already in use fails the request (its status), not the call.
  const dup = (await org.send(new CreateAccountCommand({ Email: 'new@example.com', AccountName: 'again' }))).CreateAccountStatus;
  expect(dup).toMatchObject({ State: 'FAILED', FailureReason: 'EMAIL_ALREADY_EXISTS' });
  await expect(org.send(new DescribeCreateAccountStatusCommand({ CreateAccountRequestId: 'car-000000000000' }))).rejects.toBeInstanceOf(
    CreateAccountStatusNotFoundException,
  );
});

test('MoveAccount moves between parents, with the documented errors', async () => {
  await org.send(new MoveAccountCommand({ AccountId: PILOT, SourceParentId: OU_WORK, DestinationParentId: OU_DEEP }));
  expect((await org.send(new ListParentsCommand({ ChildId: PILOT }))).Parents).toEqual([{ Id: OU_DEEP, Type: 'ORGANIZATIONAL_UNIT' }]);
  const move = (AccountId: string, SourceParentId: string, DestinationParentId: string) =>
    org.send(new MoveAccountCommand({ AccountId, SourceParentId, DestinationParentId }));
  await expect(move(PILOT, OU_DEEP, OU_DEEP)).rejects.toBeInstanceOf(DuplicateAccountException);
  await expect(move(PILOT, OU_WORK, ROOT)).rejects.toBeInstanceOf(SourceParentNotFoundException);
  await expect(move(PILOT, OU_DEEP, 'ou-ab12-nosuchou1')).rejects.toBeInstanceOf(DestinationParentNotFoundException);
  await expect(move('999999999999', ROOT, OU_WORK)).rejects.toBeInstanceOf(AccountNotFoundException);
});

test('Create/Update/DeleteOrganizationalUnit: ids of the root, depth limit, duplicates, only empty OUs deleted', async () => {
  const { OrganizationalUnit: ou } = await org.send(new CreateOrganizationalUnitCommand({ ParentId: OU_DEEP, Name: 'Level4' }));
  expect(ou).toMatchObject({ Id: expect.stringMatching(/^ou-ab12-[a-z0-9]{8}$/), Name: 'Level4' });
  const five = (await org.send(new CreateOrganizationalUnitCommand({ ParentId: ou!.Id, Name: 'Level5' }))).OrganizationalUnit!;
  await expect(org.send(new CreateOrganizationalUnitCommand({ ParentId: five.Id, Name: 'Level6' }))).rejects.toBeInstanceOf(
    ConstraintViolationException,
  );
  await expect(org.send(new CreateOrganizationalUnitCommand({ ParentId: OU_DEEP, Name: 'Level4' }))).rejects.toBeInstanceOf(
    DuplicateOrganizationalUnitException,
  );
  expect(
    (await org.send(new UpdateOrganizationalUnitCommand({ OrganizationalUnitId: ou!.Id, Name: 'Renamed' }))).OrganizationalUnit?.Name,
  ).toBe('Renamed');
  await expect(org.send(new DeleteOrganizationalUnitCommand({ OrganizationalUnitId: ou!.Id }))).rejects.toBeInstanceOf(
    OrganizationalUnitNotEmptyException,
  );
  await org.send(new DeleteOrganizationalUnitCommand({ OrganizationalUnitId: five.Id }));
  await org.send(new DeleteOrganizationalUnitCommand({ OrganizationalUnitId: ou!.Id }));
  expect(sb.state.organization.ous.map((o) => o.id)).toEqual([OU_WORK, OU_PROD, OU_DEEP]);
});

test('the tree is changed from the management account only', async () => {
  const member = new OrganizationsClient(cfg(sb, PILOT));
  await expect(member.send(new CreateAccountCommand({ Email: 'x@example.com', AccountName: 'x' }))).rejects.toBeInstanceOf(
    AccessDeniedException,
  );
});
