import {
  OrganizationsClient,
  DescribeOrganizationCommand,
  ListRootsCommand,
  ListOrganizationalUnitsForParentCommand,
  ListAccountsForParentCommand,
  ListAccountsCommand,
  ListParentsCommand,
  EnablePolicyTypeCommand,
  DisablePolicyTypeCommand,
  CreatePolicyCommand,
  UpdatePolicyCommand,
  DeletePolicyCommand,
  DescribePolicyCommand,
  ListPoliciesCommand,
  AttachPolicyCommand,
  DetachPolicyCommand,
  ListTargetsForPolicyCommand,
  ListPoliciesForTargetCommand,
  DescribeEffectivePolicyCommand,
  ListAccountsWithInvalidEffectivePolicyCommand,
  ListEffectivePolicyValidationErrorsCommand,
  paginateListAccounts,
  PolicyTypeAlreadyEnabledException,
  PolicyTypeNotEnabledException,
  DuplicatePolicyAttachmentException,
  TargetNotFoundException,
  PolicyNotAttachedException,
  PolicyInUseException,
  PolicyNotFoundException,
  MalformedPolicyDocumentException,
  EffectivePolicyNotFoundException,
  AccessDeniedException,
  InvalidInputException,
  DuplicatePolicyException,
  ParentNotFoundException,
  ChildNotFoundException,
  RootNotFoundException,
  OrganizationsServiceException,
  ConstraintViolationException,
} from '@aws-sdk/client-organizations';
import { BEDROCK_POLICY_MAX_CHARS } from '../../core/limits.js';
import { BedrockClient, CreateGuardrailCommand, CreateGuardrailVersionCommand } from '@aws-sdk/client-bedrock';
import type { SandboxHandle } from '../../sandbox/index.js';
import { cfg, MGMT, NESTED, ORG, OU_DEEP, OU_PROD, OU_WORK, PILOT, PROD, REGION, ROOT, start, testEnv } from '../helpers/sandbox.js';

let sb: SandboxHandle;
let org: OrganizationsClient;
let guardrailArn: string;

function policy(identifier: string, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    bedrock: { guardrail_inference: { [REGION]: { config_1: { identifier: { '@@assign': identifier }, ...extra } } } },
  });
}

beforeAll(async () => {
  sb = await start();
  org = new OrganizationsClient(cfg(sb, MGMT));
  const br = new BedrockClient(cfg(sb, MGMT));
  const g = await br.send(
    new CreateGuardrailCommand({ name: 'baseline', blockedInputMessaging: 'blocked', blockedOutputsMessaging: 'blocked' }),
  );
  await br.send(new CreateGuardrailVersionCommand({ guardrailIdentifier: g.guardrailId, description: 'v1' }));
  await br.send(new CreateGuardrailVersionCommand({ guardrailIdentifier: g.guardrailId, description: 'v2' }));
  guardrailArn = g.guardrailArn!;
});
afterAll(async () => {
  await sb.close();
});

describe('organization tree', () => {
  test('DescribeOrganization and ListRoots report the seeded org and the enabled policy type', async () => {
    const o = (await org.send(new DescribeOrganizationCommand({}))).Organization!;
    expect(o).toMatchObject({ Id: ORG, MasterAccountId: MGMT, FeatureSet: 'ALL' });
    const roots = (await org.send(new ListRootsCommand({}))).Roots!;
    expect(roots).toEqual([expect.objectContaining({ Id: ROOT, PolicyTypes: [{ Type: 'BEDROCK_POLICY', Status: 'ENABLED' }] })]);
  });

  test('OUs, accounts and parents follow the tree; timestamps parse as dates', async () => {
    const ous = (await org.send(new ListOrganizationalUnitsForParentCommand({ ParentId: OU_WORK }))).OrganizationalUnits!;
    expect(ous.map((o) => o.Id)).toEqual([OU_PROD]);
    expect(ous[0].Path).toBe(`${ORG}/${ROOT}/${OU_WORK}/${OU_PROD}/`);
    const accts = (await org.send(new ListAccountsForParentCommand({ ParentId: OU_DEEP }))).Accounts!;
    expect(accts.map((a) => a.Id)).toEqual([NESTED]);
    expect(accts[0].JoinedTimestamp).toBeInstanceOf(Date);
    expect(accts[0].Paths).toEqual([`${ORG}/${ROOT}/${OU_WORK}/${OU_PROD}/${OU_DEEP}/${NESTED}/`]);
    expect((await org.send(new ListParentsCommand({ ChildId: PROD }))).Parents).toEqual([{ Id: OU_PROD, Type: 'ORGANIZATIONAL_UNIT' }]);
    expect((await org.send(new ListParentsCommand({ ChildId: OU_WORK }))).Parents).toEqual([{ Id: ROOT, Type: 'ROOT' }]);
    await expect(org.send(new ListParentsCommand({ ChildId: '999999999999' }))).rejects.toBeInstanceOf(ChildNotFoundException);
    await expect(org.send(new ListAccountsForParentCommand({ ParentId: 'ou-ab12-nosuchou1' }))).rejects.toBeInstanceOf(
      ParentNotFoundException,
    );
  });

  test('ListAccounts paginates with NextToken/MaxResults and the SDK paginator collects every account', async () => {
    const first = await org.send(new ListAccountsCommand({ MaxResults: 3 }));
    expect(first.Accounts).toHaveLength(3);
    expect(first.NextToken).toBeTruthy();
    const second = await org.send(new ListAccountsCommand({ MaxResults: 3, NextToken: first.NextToken }));
    expect(second.Accounts).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    const all: string[] = [];
    for await (const page of paginateListAccounts({ client: org, pageSize: 1 }, {})) all.push(...page.Accounts!.map((a) => a.Id!));
    expect(all.sort()).toEqual([MGMT, PILOT, PROD, NESTED].sort());
    await expect(org.send(new ListAccountsCommand({ MaxResults: 21 }))).rejects.toBeInstanceOf(InvalidInputException);
    await expect(org.send(new ListAccountsCommand({ NextToken: 'garbage' }))).rejects.toMatchObject({
      name: 'InvalidInputException',
      Reason: 'INVALID_NEXT_TOKEN',
    });
  });

  test('member accounts may describe the organization but not manage it', async () => {
    const member = new OrganizationsClient(cfg(sb, PILOT));
    expect((await member.send(new DescribeOrganizationCommand({}))).Organization?.Id).toBe(ORG);
    await expect(member.send(new ListAccountsCommand({}))).rejects.toBeInstanceOf(AccessDeniedException);
    await expect(
      member.send(new CreatePolicyCommand({ Name: 'x', Description: '', Type: 'BEDROCK_POLICY', Content: policy(`${guardrailArn}:1`) })),
    ).rejects.toBeInstanceOf(AccessDeniedException);
  });
});

describe('policy types', () => {
  test('enable/disable with the documented errors; disabling detaches policies of the type', async () => {
    const sb2 = await start({ env: testEnv({ sandbox: { policyTypeEnabled: false } }) });
    try {
      const o = new OrganizationsClient(cfg(sb2, MGMT));
      expect((await o.send(new ListRootsCommand({}))).Roots![0].PolicyTypes).toEqual([]);
      const p = (
        await o.send(
          new CreatePolicyCommand({
            Name: 'p',
            Description: '',
            Type: 'BEDROCK_POLICY',
            Content: policy('arn:aws:bedrock:us-east-1:111111111111:guardrail/abc:1'),
          }),
        )
      ).Policy!;
      await expect(o.send(new AttachPolicyCommand({ PolicyId: p.PolicySummary!.Id, TargetId: ROOT }))).rejects.toBeInstanceOf(
        PolicyTypeNotEnabledException,
      );
      await expect(o.send(new DisablePolicyTypeCommand({ RootId: ROOT, PolicyType: 'BEDROCK_POLICY' }))).rejects.toBeInstanceOf(
        PolicyTypeNotEnabledException,
      );
      const en = await o.send(new EnablePolicyTypeCommand({ RootId: ROOT, PolicyType: 'BEDROCK_POLICY' }));
      expect(en.Root?.PolicyTypes).toEqual([{ Type: 'BEDROCK_POLICY', Status: 'ENABLED' }]);
      await expect(o.send(new EnablePolicyTypeCommand({ RootId: ROOT, PolicyType: 'BEDROCK_POLICY' }))).rejects.toBeInstanceOf(
        PolicyTypeAlreadyEnabledException,
      );
      await expect(o.send(new EnablePolicyTypeCommand({ RootId: 'r-zzzz', PolicyType: 'TAG_POLICY' }))).rejects.toBeInstanceOf(
        RootNotFoundException,
      );
      await o.send(new AttachPolicyCommand({ PolicyId: p.PolicySummary!.Id, TargetId: ROOT }));
      await o.send(new DisablePolicyTypeCommand({ RootId: ROOT, PolicyType: 'BEDROCK_POLICY' }));
      expect((await o.send(new ListTargetsForPolicyCommand({ PolicyId: p.PolicySummary!.Id }))).Targets).toEqual([]);
      await expect(o.send(new EnablePolicyTypeCommand({ RootId: ROOT, PolicyType: 'NOT_A_TYPE' as never }))).rejects.toMatchObject({
        name: 'InvalidInputException',
        Reason: 'INVALID_ENUM_POLICY_TYPE',
      });
    } finally {
      await sb2.close();
    }
  });
});

describe('policies and attachments', () => {
  test('create, describe, update, list, attach, detach, delete — with the documented errors', async () => {
    const content = policy(`${guardrailArn}:1`);
    const created = (
      await org.send(new CreatePolicyCommand({ Name: 'baseline', Description: 'org baseline', Type: 'BEDROCK_POLICY', Content: content }))
    ).Policy!;
    const id = created.PolicySummary!.Id!;
    expect(id).toMatch(/^p-[0-9a-z]{8,}$/);
    expect(created.PolicySummary).toMatchObject({
      Name: 'baseline',
      Type: 'BEDROCK_POLICY',
      AwsManaged: false,
      Arn: `arn:aws:organizations::${MGMT}:policy/${ORG}/bedrock_policy/${id}`,
    });
    expect(created.Content).toBe(content);
    await expect(
      org.send(new CreatePolicyCommand({ Name: 'baseline', Description: '', Type: 'BEDROCK_POLICY', Content: content })),
    ).rejects.toBeInstanceOf(DuplicatePolicyException);

    const updated = (await org.send(new UpdatePolicyCommand({ PolicyId: id, Description: 'changed' }))).Policy!;
    expect(updated.PolicySummary?.Description).toBe('changed');
    expect(updated.Content).toBe(content); // omitted Content stays
    expect((await org.send(new DescribePolicyCommand({ PolicyId: id }))).Policy?.PolicySummary?.Description).toBe('changed');
    expect((await org.send(new ListPoliciesCommand({ Filter: 'BEDROCK_POLICY' }))).Policies!.map((p) => p.Id)).toContain(id);
    expect((await org.send(new ListPoliciesCommand({ Filter: 'TAG_POLICY' }))).Policies).toEqual([]);

    await org.send(new AttachPolicyCommand({ PolicyId: id, TargetId: OU_WORK }));
    await org.send(new AttachPolicyCommand({ PolicyId: id, TargetId: PILOT }));
    await expect(org.send(new AttachPolicyCommand({ PolicyId: id, TargetId: OU_WORK }))).rejects.toBeInstanceOf(
      DuplicatePolicyAttachmentException,
    );
    await expect(org.send(new AttachPolicyCommand({ PolicyId: id, TargetId: 'ou-ab12-nosuchou1' }))).rejects.toBeInstanceOf(
      TargetNotFoundException,
    );
    await expect(org.send(new AttachPolicyCommand({ PolicyId: 'p-nosuchpol', TargetId: OU_WORK }))).rejects.toBeInstanceOf(
      PolicyNotFoundException,
    );
    await expect(org.send(new AttachPolicyCommand({ PolicyId: id, TargetId: 'bogus' }))).rejects.toMatchObject({
      name: 'InvalidInputException',
      Reason: 'INVALID_PATTERN_TARGET_ID',
    });

    const targets = (await org.send(new ListTargetsForPolicyCommand({ PolicyId: id }))).Targets!;
    expect(targets).toEqual([
      expect.objectContaining({ TargetId: OU_WORK, Type: 'ORGANIZATIONAL_UNIT', Name: 'Workloads' }),
      expect.objectContaining({ TargetId: PILOT, Type: 'ACCOUNT', Name: 'pilot' }),
    ]);
    expect(
      (await org.send(new ListPoliciesForTargetCommand({ TargetId: PILOT, Filter: 'BEDROCK_POLICY' }))).Policies!.map((p) => p.Id),
    ).toEqual([id]);
    // Only direct attachments: PROD inherits but has nothing attached itself.
    expect((await org.send(new ListPoliciesForTargetCommand({ TargetId: PROD, Filter: 'BEDROCK_POLICY' }))).Policies).toEqual([]);

    await expect(org.send(new DeletePolicyCommand({ PolicyId: id }))).rejects.toBeInstanceOf(PolicyInUseException);
    await org.send(new DetachPolicyCommand({ PolicyId: id, TargetId: PILOT }));
    await expect(org.send(new DetachPolicyCommand({ PolicyId: id, TargetId: PILOT }))).rejects.toBeInstanceOf(PolicyNotAttachedException);
    await org.send(new DetachPolicyCommand({ PolicyId: id, TargetId: OU_WORK }));
    await org.send(new DeletePolicyCommand({ PolicyId: id }));
    await expect(org.send(new DescribePolicyCommand({ PolicyId: id }))).rejects.toBeInstanceOf(PolicyNotFoundException);
  });

  test('content that is not JSON or not the BEDROCK_POLICY shape is MalformedPolicyDocumentException', async () => {
    for (const Content of [
      '{not json',
      '[]',
      JSON.stringify({ bedrock: {}, extra: 1 }),
      JSON.stringify({
        bedrock: { guardrail_inference: { 'us-east-1': { c: { identifier: { '@@assign': 'x' }, colour: { '@@assign': 'red' } } } } },
      }),
    ]) {
      await expect(
        org.send(new CreatePolicyCommand({ Name: `bad-${Content.length}`, Description: '', Type: 'BEDROCK_POLICY', Content })),
      ).rejects.toBeInstanceOf(MalformedPolicyDocumentException);
    }
    const p = (
      await org.send(
        new CreatePolicyCommand({ Name: 'shape-ok', Description: '', Type: 'BEDROCK_POLICY', Content: policy(`${guardrailArn}:1`) }),
      )
    ).Policy!;
    await expect(org.send(new UpdatePolicyCommand({ PolicyId: p.PolicySummary!.Id, Content: '{"nope":1}' }))).rejects.toBeInstanceOf(
      MalformedPolicyDocumentException,
    );
    await org.send(new DeletePolicyCommand({ PolicyId: p.PolicySummary!.Id }));
  });

  test('BEDROCK_POLICY content over the size limit is ConstraintViolationException POLICY_CONTENT_LIMIT_EXCEEDED, counted as submitted', async () => {
    const base = policy(`${guardrailArn}:1`);
    const padded = (n: number) => base + ' '.repeat(n - base.length); // whitespace counts when sent through the API
    const atLimit = (
      await org.send(
        new CreatePolicyCommand({ Name: 'at-limit', Description: '', Type: 'BEDROCK_POLICY', Content: padded(BEDROCK_POLICY_MAX_CHARS) }),
      )
    ).Policy!;
    const over = await org
      .send(
        new CreatePolicyCommand({
          Name: 'over-limit',
          Description: '',
          Type: 'BEDROCK_POLICY',
          Content: padded(BEDROCK_POLICY_MAX_CHARS + 1),
        }),
      )
      .catch((e) => e);
    expect(over).toBeInstanceOf(ConstraintViolationException);
    expect(over).toMatchObject({ Reason: 'POLICY_CONTENT_LIMIT_EXCEEDED' });
    await expect(
      org.send(new UpdatePolicyCommand({ PolicyId: atLimit.PolicySummary!.Id, Content: padded(BEDROCK_POLICY_MAX_CHARS + 1) })),
    ).rejects.toBeInstanceOf(ConstraintViolationException);
    // Other policy types keep their own (unmodelled) limits.
    const tag = (
      await org.send(
        new CreatePolicyCommand({
          Name: 'big-tag',
          Description: '',
          Type: 'TAG_POLICY',
          Content: `{}${' '.repeat(BEDROCK_POLICY_MAX_CHARS)}`,
        }),
      )
    ).Policy!;
    await org.send(new DeletePolicyCommand({ PolicyId: tag.PolicySummary!.Id }));
    await org.send(new DeletePolicyCommand({ PolicyId: atLimit.PolicySummary!.Id }));
  });
});

describe('effective policies', () => {
  test('computed with inheritance: the narrower attachment wins where the parent allows it', async () => {
    const root = (
      await org.send(
        new CreatePolicyCommand({
          Name: 'eff-root',
          Description: '',
          Type: 'BEDROCK_POLICY',
          Content: policy(`${guardrailArn}:1`, {
            selective_content_guarding: { system: { '@@assign': 'comprehensive' }, messages: { '@@assign': 'comprehensive' } },
          }),
        }),
      )
    ).Policy!.PolicySummary!.Id!;
    const pilot = (
      await org.send(
        new CreatePolicyCommand({ Name: 'eff-pilot', Description: '', Type: 'BEDROCK_POLICY', Content: policy(`${guardrailArn}:2`) }),
      )
    ).Policy!.PolicySummary!.Id!;
    await org.send(new AttachPolicyCommand({ PolicyId: root, TargetId: ROOT }));
    await org.send(new AttachPolicyCommand({ PolicyId: pilot, TargetId: PILOT }));
    try {
      const eff = async (TargetId: string) =>
        JSON.parse(
          (await org.send(new DescribeEffectivePolicyCommand({ PolicyType: 'BEDROCK_POLICY', TargetId }))).EffectivePolicy!.PolicyContent!,
        );
      const pilotDoc = await eff(PILOT);
      expect(pilotDoc.bedrock.guardrail_inference[REGION].config_1.identifier).toBe(`${guardrailArn}:2`);
      expect(pilotDoc.bedrock.guardrail_inference[REGION].config_1.selective_content_guarding).toEqual({
        system: 'comprehensive',
        messages: 'comprehensive',
      });
      expect((await eff(NESTED)).bedrock.guardrail_inference[REGION].config_1.identifier).toBe(`${guardrailArn}:1`);

      const r = await org.send(new DescribeEffectivePolicyCommand({ PolicyType: 'BEDROCK_POLICY', TargetId: PROD }));
      expect(r.EffectivePolicy).toMatchObject({ TargetId: PROD, PolicyType: 'BEDROCK_POLICY' });
      expect(r.EffectivePolicy!.LastUpdatedTimestamp).toBeInstanceOf(Date);

      // A member without TargetId sees itself; another account's policy is refused.
      const member = new OrganizationsClient(cfg(sb, PILOT));
      const own = await member.send(new DescribeEffectivePolicyCommand({ PolicyType: 'BEDROCK_POLICY' }));
      expect(own.EffectivePolicy?.TargetId).toBe(PILOT);
      await expect(
        member.send(new DescribeEffectivePolicyCommand({ PolicyType: 'BEDROCK_POLICY', TargetId: PROD })),
      ).rejects.toBeInstanceOf(AccessDeniedException);

      await expect(org.send(new DescribeEffectivePolicyCommand({ PolicyType: 'BEDROCK_POLICY', TargetId: OU_WORK }))).rejects.toMatchObject(
        { name: 'InvalidInputException', Reason: 'TARGET_NOT_SUPPORTED' },
      );
      await expect(
        org.send(new DescribeEffectivePolicyCommand({ PolicyType: 'BEDROCK_POLICY', TargetId: '999999999999' })),
      ).rejects.toBeInstanceOf(TargetNotFoundException);
      await expect(
        org.send(new DescribeEffectivePolicyCommand({ PolicyType: 'SERVICE_CONTROL_POLICY' as never, TargetId: PILOT })),
      ).rejects.toBeInstanceOf(InvalidInputException);
      await expect(org.send(new DescribeEffectivePolicyCommand({ PolicyType: 'TAG_POLICY', TargetId: PILOT }))).rejects.toBeInstanceOf(
        EffectivePolicyNotFoundException,
      );
    } finally {
      await org.send(new DetachPolicyCommand({ PolicyId: root, TargetId: ROOT }));
      await org.send(new DetachPolicyCommand({ PolicyId: pilot, TargetId: PILOT }));
    }
    // Nothing reaches the account any more.
    await expect(org.send(new DescribeEffectivePolicyCommand({ PolicyType: 'BEDROCK_POLICY', TargetId: PILOT }))).rejects.toBeInstanceOf(
      EffectivePolicyNotFoundException,
    );
  });

  test('accounts whose effective policy names a DRAFT or a missing guardrail version are listed as invalid', async () => {
    const good = (
      await org.send(
        new CreatePolicyCommand({ Name: 'inv-good', Description: '', Type: 'BEDROCK_POLICY', Content: policy(`${guardrailArn}:1`) }),
      )
    ).Policy!.PolicySummary!.Id!;
    const draft = (
      await org.send(
        new CreatePolicyCommand({ Name: 'inv-draft', Description: '', Type: 'BEDROCK_POLICY', Content: policy(`${guardrailArn}:DRAFT`) }),
      )
    ).Policy!.PolicySummary!.Id!;
    const missing = (
      await org.send(
        new CreatePolicyCommand({ Name: 'inv-missing', Description: '', Type: 'BEDROCK_POLICY', Content: policy(`${guardrailArn}:9`) }),
      )
    ).Policy!.PolicySummary!.Id!;
    await org.send(new AttachPolicyCommand({ PolicyId: good, TargetId: ROOT }));
    await org.send(new AttachPolicyCommand({ PolicyId: draft, TargetId: PILOT }));
    await org.send(new AttachPolicyCommand({ PolicyId: missing, TargetId: OU_DEEP }));
    try {
      const r = await org.send(new ListAccountsWithInvalidEffectivePolicyCommand({ PolicyType: 'BEDROCK_POLICY' }));
      expect(r.Accounts!.map((a) => a.Id).sort()).toEqual([PILOT, NESTED].sort());
      // Paginated like every Organizations list: one account per page, the token leads to the other.
      const p1 = await org.send(new ListAccountsWithInvalidEffectivePolicyCommand({ PolicyType: 'BEDROCK_POLICY', MaxResults: 1 }));
      expect(p1.Accounts).toHaveLength(1);
      const p2 = await org.send(
        new ListAccountsWithInvalidEffectivePolicyCommand({ PolicyType: 'BEDROCK_POLICY', MaxResults: 1, NextToken: p1.NextToken }),
      );
      expect(p2.NextToken).toBeUndefined();
      expect([...p1.Accounts!, ...p2.Accounts!].map((a) => a.Id).sort()).toEqual([PILOT, NESTED].sort());
      const errs = await org.send(new ListEffectivePolicyValidationErrorsCommand({ AccountId: NESTED, PolicyType: 'BEDROCK_POLICY' }));
      expect(errs.EffectivePolicyValidationErrors?.[0]).toMatchObject({
        ErrorCode: 'GUARDRAIL_VERSION_NOT_FOUND',
        PathToError: `bedrock.guardrail_inference.${REGION}.config_1.identifier`,
        ContributingPolicies: expect.arrayContaining([good, missing]),
      });
      expect(
        (await org.send(new ListEffectivePolicyValidationErrorsCommand({ AccountId: PROD, PolicyType: 'BEDROCK_POLICY' })))
          .EffectivePolicyValidationErrors,
      ).toEqual([]);
      const member = new OrganizationsClient(cfg(sb, PILOT));
      await expect(member.send(new ListAccountsWithInvalidEffectivePolicyCommand({ PolicyType: 'BEDROCK_POLICY' }))).rejects.toBeInstanceOf(
        AccessDeniedException,
      );
    } finally {
      await org.send(new DetachPolicyCommand({ PolicyId: good, TargetId: ROOT }));
      await org.send(new DetachPolicyCommand({ PolicyId: draft, TargetId: PILOT }));
      await org.send(new DetachPolicyCommand({ PolicyId: missing, TargetId: OU_DEEP }));
    }
    expect((await org.send(new ListAccountsWithInvalidEffectivePolicyCommand({ PolicyType: 'BEDROCK_POLICY' }))).Accounts).toEqual([]);
  });

  test('an unknown access key is UnrecognizedClientException (403)', async () => {
    const e = await new OrganizationsClient({
      ...cfg(sb, MGMT),
      credentials: { accessKeyId: 'AKIA000000000000XXXX', secretAccessKey: 'x' },
    })
      .send(new DescribeOrganizationCommand({}))
      .catch((x) => x);
    expect(e).toBeInstanceOf(OrganizationsServiceException);
    expect(e.name).toBe('UnrecognizedClientException');
    expect(e.$metadata.httpStatusCode).toBe(403);
  });
});
