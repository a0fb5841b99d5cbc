import {
  BedrockClient,
  CreateGuardrailCommand,
  GetGuardrailCommand,
  UpdateGuardrailCommand,
  DeleteGuardrailCommand,
  ListGuardrailsCommand,
  CreateGuardrailVersionCommand,
  PutEnforcedGuardrailConfigurationCommand,
  ListEnforcedGuardrailsConfigurationCommand,
  DeleteEnforcedGuardrailConfigurationCommand,
  PutResourcePolicyCommand,
  GetResourcePolicyCommand,
  DeleteResourcePolicyCommand,
  ListFoundationModelsCommand,
  paginateListGuardrails,
  ValidationException,
  ResourceNotFoundException,
  ConflictException,
  ResourceInUseException,
  AccessDeniedException,
  type CreateGuardrailCommandInput,
} from '@aws-sdk/client-bedrock';
import { OrganizationsClient, CreatePolicyCommand, AttachPolicyCommand, DetachPolicyCommand } from '@aws-sdk/client-organizations';
import type { SandboxHandle } from '../../sandbox/index.js';
import { FOUNDATION_MODELS } from '../../sandbox/index.js';
import { cfg, MGMT, ORG, OU_PROD, PILOT, PROD, REGION, ROOT, start } from '../helpers/sandbox.js';
import { orgSharingPolicy } from '../helpers/resource-policy.js';

let sb: SandboxHandle;
let br: BedrockClient;
beforeAll(async () => {
  sb = await start();
  br = new BedrockClient(cfg(sb, MGMT));
});
afterAll(async () => {
  await sb.close();
});

const full: CreateGuardrailCommandInput = {
  name: 'full-guardrail',
  description: 'every policy type',
  blockedInputMessaging: 'Sorry, blocked input.',
  blockedOutputsMessaging: 'Sorry, blocked output.',
  topicPolicyConfig: {
    topicsConfig: [
      {
        name: 'Investment advice',
        definition: 'Recommendations about investing money.',
        examples: ['Which stock should I buy?'],
        type: 'DENY',
      },
    ],
  },
  contentPolicyConfig: {
    filtersConfig: [
      { type: 'HATE', inputStrength: 'HIGH', outputStrength: 'HIGH' },
      { type: 'PROMPT_ATTACK', inputStrength: 'HIGH', outputStrength: 'NONE' },
    ],
  },
  wordPolicyConfig: { wordsConfig: [{ text: 'project-x' }], managedWordListsConfig: [{ type: 'PROFANITY' }] },
  sensitiveInformationPolicyConfig: {
    piiEntitiesConfig: [{ type: 'EMAIL', action: 'ANONYMIZE' }],
    regexesConfig: [{ name: 'ticket', pattern: 'TCK-\\d+', action: 'BLOCK' }],
  },
  contextualGroundingPolicyConfig: { filtersConfig: [{ type: 'GROUNDING', threshold: 0.7 }] },
};

async function create(name: string, client = br) {
  return client.send(new CreateGuardrailCommand({ ...full, name }));
}

describe('guardrails', () => {
  test('CreateGuardrail (202) then GetGuardrail returns the configuration under output names', async () => {
    const c = await create('create-get');
    expect(c.$metadata.httpStatusCode).toBe(202);
    expect(c.guardrailId).toMatch(/^[a-z0-9]{12}$/);
    expect(c.guardrailArn).toBe(`arn:aws:bedrock:${REGION}:${MGMT}:guardrail/${c.guardrailId}`);
    expect(c.version).toBe('DRAFT');
    expect(c.createdAt).toBeInstanceOf(Date);
    // By id and by (encoded) ARN.
    for (const guardrailIdentifier of [c.guardrailId!, c.guardrailArn!]) {
      const g = await br.send(new GetGuardrailCommand({ guardrailIdentifier }));
      expect(g).toMatchObject({ name: 'create-get', version: 'DRAFT', status: 'READY', blockedInputMessaging: 'Sorry, blocked input.' });
      expect(g.topicPolicy?.topics?.[0]).toMatchObject({ name: 'Investment advice', type: 'DENY' });
      expect(g.contentPolicy?.filters?.map((f) => f.type)).toEqual(['HATE', 'PROMPT_ATTACK']);
      expect(g.wordPolicy?.managedWordLists).toEqual([{ type: 'PROFANITY' }]);
      expect(g.sensitiveInformationPolicy?.piiEntities).toEqual([{ type: 'EMAIL', action: 'ANONYMIZE' }]);
      expect(g.contextualGroundingPolicy?.filters).toEqual([{ type: 'GROUNDING', threshold: 0.7 }]);
      expect(g.updatedAt).toBeInstanceOf(Date);
    }
  });

  test('validation: required fields, name pattern, enums and duplicate names', async () => {
    const bad: Partial<CreateGuardrailCommandInput>[] = [
      { name: undefined },
      { name: 'has spaces' },
      { blockedInputMessaging: '' },
      { contentPolicyConfig: { filtersConfig: [{ type: 'HATE', inputStrength: 'EXTREME' as never, outputStrength: 'HIGH' }] } },
      { sensitiveInformationPolicyConfig: { piiEntitiesConfig: [{ type: 'SHOE_SIZE' as never, action: 'BLOCK' }] } },
      { contextualGroundingPolicyConfig: { filtersConfig: [{ type: 'GROUNDING', threshold: 1.5 }] } },
    ];
    for (const patch of bad) {
      const err = await br
        .send(new CreateGuardrailCommand({ ...full, name: 'valid-name', ...patch } as CreateGuardrailCommandInput))
        .catch((e) => e);
      expect(err).toBeInstanceOf(ValidationException);
    }
    await create('dup-name');
    await expect(create('dup-name')).rejects.toBeInstanceOf(ConflictException);
  });

  test('UpdateGuardrail replaces the DRAFT whole; versions are immutable numbered snapshots', async () => {
    const c = await create('versioned');
    const v1 = await br.send(new CreateGuardrailVersionCommand({ guardrailIdentifier: c.guardrailId, description: 'release one' }));
    expect(v1).toMatchObject({ guardrailId: c.guardrailId, version: '1' });
    const u = await br.send(
      new UpdateGuardrailCommand({
        guardrailIdentifier: c.guardrailArn,
        name: 'versioned',
        blockedInputMessaging: 'new msg',
        blockedOutputsMessaging: 'new out',
        wordPolicyConfig: { wordsConfig: [{ text: 'only-this' }] },
      }),
    );
    expect(u).toMatchObject({ version: 'DRAFT', guardrailId: c.guardrailId });
    const draft = await br.send(new GetGuardrailCommand({ guardrailIdentifier: c.guardrailId }));
    expect(draft.blockedInputMessaging).toBe('new msg');
    expect(draft.topicPolicy).toBeUndefined(); // omitted policy removed
    expect(draft.wordPolicy?.words).toEqual([{ text: 'only-this' }]);
    const one = await br.send(new GetGuardrailCommand({ guardrailIdentifier: c.guardrailId, guardrailVersion: '1' }));
    expect(one).toMatchObject({ version: '1', description: 'release one', blockedInputMessaging: 'Sorry, blocked input.' });
    expect(one.topicPolicy?.topics).toHaveLength(1);
    const v2 = await br.send(new CreateGuardrailVersionCommand({ guardrailIdentifier: c.guardrailId }));
    expect(v2.version).toBe('2');
    const versions = await br.send(new ListGuardrailsCommand({ guardrailIdentifier: c.guardrailId }));
    expect(versions.guardrails!.map((g) => g.version)).toEqual(['DRAFT', '1', '2']);
    expect(versions.guardrails![1].description).toBe('release one');
    await expect(br.send(new GetGuardrailCommand({ guardrailIdentifier: c.guardrailId, guardrailVersion: '7' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(
      br.send(new GetGuardrailCommand({ guardrailIdentifier: c.guardrailId, guardrailVersion: 'LATEST' })),
    ).rejects.toBeInstanceOf(ValidationException);
    await expect(br.send(new GetGuardrailCommand({ guardrailIdentifier: 'zzzzzzzzzzzz' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  test('ListGuardrails lists the DRAFT of each own guardrail and paginates', async () => {
    const member = new BedrockClient(cfg(sb, PROD));
    await create('m-one', member);
    await create('m-two', member);
    await create('m-three', member);
    const first = await member.send(new ListGuardrailsCommand({ maxResults: 2 }));
    expect(first.guardrails).toHaveLength(2);
    expect(first.nextToken).toBeTruthy();
    const names: string[] = [];
    for await (const page of paginateListGuardrails({ client: member, pageSize: 2 }, {}))
      names.push(...page.guardrails!.map((g) => g.name!));
    expect(names).toEqual(['m-one', 'm-two', 'm-three']);
    // Another region of the same account is a separate namespace.
    const eu = new BedrockClient(cfg(sb, PROD, 'eu-west-1'));
    expect((await eu.send(new ListGuardrailsCommand({}))).guardrails).toEqual([]);
  });

  test('guardrails are private to their account unless a resource policy shares GetGuardrail', async () => {
    const c = await create('shared');
    const member = new BedrockClient(cfg(sb, PILOT));
    await expect(member.send(new GetGuardrailCommand({ guardrailIdentifier: c.guardrailArn }))).rejects.toBeInstanceOf(
      AccessDeniedException,
    );
    await expect(member.send(new GetGuardrailCommand({ guardrailIdentifier: c.guardrailId }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await br.send(new PutResourcePolicyCommand({ resourceArn: c.guardrailArn, resourcePolicy: orgPolicy(c.guardrailArn!) }));
    expect((await member.send(new GetGuardrailCommand({ guardrailIdentifier: c.guardrailArn }))).name).toBe('shared');
    await expect(
      member.send(
        new UpdateGuardrailCommand({
          guardrailIdentifier: c.guardrailArn,
          name: 'x',
          blockedInputMessaging: 'a',
          blockedOutputsMessaging: 'b',
        }),
      ),
    ).rejects.toBeInstanceOf(AccessDeniedException);
  });

  test('DeleteGuardrail refuses a guardrail in use by an enforcement, deletes versions and whole guardrails', async () => {
    const c = await create('deletable');
    await br.send(new CreateGuardrailVersionCommand({ guardrailIdentifier: c.guardrailId }));
    await br.send(new CreateGuardrailVersionCommand({ guardrailIdentifier: c.guardrailId }));
    const put = await br.send(
      new PutEnforcedGuardrailConfigurationCommand({
        guardrailInferenceConfig: { guardrailIdentifier: c.guardrailId, guardrailVersion: '1' },
      }),
    );
    await expect(br.send(new DeleteGuardrailCommand({ guardrailIdentifier: c.guardrailId }))).rejects.toBeInstanceOf(
      ResourceInUseException,
    );
    await expect(br.send(new DeleteGuardrailCommand({ guardrailIdentifier: c.guardrailId, guardrailVersion: '1' }))).rejects.toBeInstanceOf(
      ResourceInUseException,
    );
    const delV2 = await br.send(new DeleteGuardrailCommand({ guardrailIdentifier: c.guardrailId, guardrailVersion: '2' }));
    expect(delV2.$metadata.httpStatusCode).toBe(202);
    await br.send(new DeleteEnforcedGuardrailConfigurationCommand({ configId: put.configId }));

    // An attached organization policy referencing the version also blocks deletion.
    const org = new OrganizationsClient(cfg(sb, MGMT));
    const p = (
      await org.send(
        new CreatePolicyCommand({
          Name: 'uses-deletable',
          Description: '',
          Type: 'BEDROCK_POLICY',
          Content: JSON.stringify({
            bedrock: { guardrail_inference: { [REGION]: { config_1: { identifier: { '@@assign': `${c.guardrailArn}:1` } } } } },
          }),
        }),
      )
    ).Policy!.PolicySummary!.Id!;
    await org.send(new AttachPolicyCommand({ PolicyId: p, TargetId: ROOT }));
    await expect(br.send(new DeleteGuardrailCommand({ guardrailIdentifier: c.guardrailId }))).rejects.toBeInstanceOf(
      ResourceInUseException,
    );
    await org.send(new DetachPolicyCommand({ PolicyId: p, TargetId: ROOT }));

    await br.send(new DeleteGuardrailCommand({ guardrailIdentifier: c.guardrailArn }));
    await expect(br.send(new GetGuardrailCommand({ guardrailIdentifier: c.guardrailId }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });
});

describe('enforced guardrail configuration', () => {
  test('one per account and region; configId updates; DRAFT, bad models and unknown guardrails are refused', async () => {
    const client = new BedrockClient(cfg(sb, PILOT));
    const c = await create('pilot-enforced', client);
    await client.send(new CreateGuardrailVersionCommand({ guardrailIdentifier: c.guardrailId }));
    await client.send(new CreateGuardrailVersionCommand({ guardrailIdentifier: c.guardrailId }));
    expect((await client.send(new ListEnforcedGuardrailsConfigurationCommand({}))).guardrailsConfig).toEqual([]);

    const input = {
      guardrailIdentifier: c.guardrailId!,
      guardrailVersion: '1',
      selectiveContentGuarding: { system: 'COMPREHENSIVE' as const, messages: 'SELECTIVE' as const },
      modelEnforcement: { includedModels: ['ALL'], excludedModels: ['amazon.titan-embed-text-v2:0'] },
    };
    const put = await client.send(new PutEnforcedGuardrailConfigurationCommand({ guardrailInferenceConfig: input }));
    expect(put.configId).toMatch(/^[a-z0-9]+$/);
    expect(put.updatedBy).toBe(`arn:aws:iam::${PILOT}:root`);
    expect(put.updatedAt).toBeInstanceOf(Date);
    // Repeating the same request is idempotent; a different one without configId conflicts.
    expect((await client.send(new PutEnforcedGuardrailConfigurationCommand({ guardrailInferenceConfig: input }))).configId).toBe(
      put.configId,
    );
    await expect(
      client.send(new PutEnforcedGuardrailConfigurationCommand({ guardrailInferenceConfig: { ...input, guardrailVersion: '2' } })),
    ).rejects.toBeInstanceOf(ConflictException);
    await client.send(
      new PutEnforcedGuardrailConfigurationCommand({
        configId: put.configId,
        guardrailInferenceConfig: { ...input, guardrailVersion: '2' },
      }),
    );

    const listed = (await client.send(new ListEnforcedGuardrailsConfigurationCommand({}))).guardrailsConfig!;
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      configId: put.configId,
      guardrailId: c.guardrailId,
      guardrailArn: c.guardrailArn,
      guardrailVersion: '2',
      owner: 'ACCOUNT',
      selectiveContentGuarding: { system: 'COMPREHENSIVE', messages: 'SELECTIVE' },
      modelEnforcement: { includedModels: ['ALL'], excludedModels: ['amazon.titan-embed-text-v2:0'] },
    });
    expect(listed[0].createdAt).toBeInstanceOf(Date);
    // Another account sees nothing of it; the RuntimeWorld sees it for the pilot account.
    expect((await br.send(new ListEnforcedGuardrailsConfigurationCommand({}))).guardrailsConfig).toEqual([]);
    expect(sb.world.accountEnforcement(PILOT, REGION)).toMatchObject({ configId: put.configId, guardrailVersion: '2' });

    const refused: [Record<string, unknown>, unknown][] = [
      [{ ...input, guardrailVersion: 'DRAFT' }, ValidationException],
      [{ ...input, guardrailVersion: '01' }, ValidationException],
      [{ ...input, modelEnforcement: { includedModels: [], excludedModels: [] } }, ValidationException],
      [{ ...input, modelEnforcement: { includedModels: ['ALL'], excludedModels: ['ALL'] } }, ValidationException],
      [
        { ...input, modelEnforcement: { includedModels: ['us.anthropic.claude-3-haiku-20240307-v1:0'], excludedModels: [] } },
        ValidationException,
      ],
      [{ ...input, selectiveContentGuarding: { system: 'selective' } }, ValidationException],
      [{ ...input, guardrailIdentifier: 'nosuchguardrail' }, ResourceNotFoundException],
      [{ ...input, guardrailVersion: '9' }, ResourceNotFoundException],
    ];
    for (const [cfgIn, cls] of refused) {
      const err = await client
        .send(new PutEnforcedGuardrailConfigurationCommand({ configId: put.configId, guardrailInferenceConfig: cfgIn as never }))
        .catch((e) => e);
      expect(err).toBeInstanceOf(cls as never);
    }
    await expect(client.send(new DeleteEnforcedGuardrailConfigurationCommand({ configId: 'nosuchconfig' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    const del = await client.send(new DeleteEnforcedGuardrailConfigurationCommand({ configId: put.configId }));
    expect(del.$metadata.httpStatusCode).toBe(200);
    expect((await client.send(new ListEnforcedGuardrailsConfigurationCommand({}))).guardrailsConfig).toEqual([]);
  });
});

const orgPolicy = (arn: string, paths?: string[]) => orgSharingPolicy(arn, ORG, paths);

describe('resource policies', () => {
  test('the three documented statement patterns are accepted, stored, read and deleted', async () => {
    const c = await create('rbp');
    const arn = c.guardrailArn!;
    const own = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${MGMT}:root` },
          Action: ['bedrock:ApplyGuardrail', 'bedrock:GetGuardrail'],
          Resource: arn,
        },
      ],
    });
    for (const text of [own, orgPolicy(arn), orgPolicy(arn, [`${ORG}/*/${OU_PROD}/*`])]) {
      const put = await br.send(new PutResourcePolicyCommand({ resourceArn: arn, resourcePolicy: text }));
      expect(put.$metadata.httpStatusCode).toBe(201);
      expect(put.resourceArn).toBe(arn);
      expect((await br.send(new GetResourcePolicyCommand({ resourceArn: arn }))).resourcePolicy).toBe(text);
    }
    expect(sb.world.resourcePolicy(arn)).toBe(orgPolicy(arn, [`${ORG}/*/${OU_PROD}/*`]));
    await br.send(new DeleteResourcePolicyCommand({ resourceArn: arn }));
    await expect(br.send(new GetResourcePolicyCommand({ resourceArn: arn }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(br.send(new DeleteResourcePolicyCommand({ resourceArn: arn }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  test('unsupported statements and foreign or malformed ARNs are refused', async () => {
    const c = await create('rbp-bad');
    const arn = c.guardrailArn!;
    const stmt = (s: Record<string, unknown>) =>
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'bedrock:ApplyGuardrail', Resource: arn, ...s }] });
    const unsupported = [
      stmt({ Principal: '*' }), // no org condition
      stmt({ Principal: { AWS: `arn:aws:iam::${PILOT}:root` } }), // member account principal
      stmt({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-someoneelse' } } }), // outside the org
      stmt({ Principal: '*', Action: 'bedrock:InvokeModel', Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } } }),
      stmt({ Principal: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG, 'aws:SourceIp': '1.2.3.4' } } }),
      stmt({ Principal: '*', Resource: `${arn}/1`, Condition: { StringEquals: { 'aws:PrincipalOrgID': ORG } } }),
      '{not json',
    ];
    for (const resourcePolicy of unsupported) {
      await expect(br.send(new PutResourcePolicyCommand({ resourceArn: arn, resourcePolicy }))).rejects.toBeInstanceOf(ValidationException);
    }
    await expect(br.send(new PutResourcePolicyCommand({ resourceArn: `${arn}:1`, resourcePolicy: orgPolicy(arn) }))).rejects.toBeInstanceOf(
      ValidationException,
    );
    const member = new BedrockClient(cfg(sb, PILOT));
    await expect(member.send(new PutResourcePolicyCommand({ resourceArn: arn, resourcePolicy: orgPolicy(arn) }))).rejects.toBeInstanceOf(
      AccessDeniedException,
    );
  });
});

describe('foundation models', () => {
  test('ListFoundationModels returns the catalogue with filters', async () => {
    const all = (await br.send(new ListFoundationModelsCommand({}))).modelSummaries!;
    expect(all.length).toBe(FOUNDATION_MODELS.length);
    expect(all.length).toBeGreaterThanOrEqual(12);
    const ids = all.map((m) => m.modelId);
    for (const id of [
      'anthropic.claude-3-5-sonnet-20240620-v1:0',
      'anthropic.claude-3-haiku-20240307-v1:0',
      'amazon.nova-pro-v1:0',
      'amazon.nova-lite-v1:0',
      'meta.llama3-1-8b-instruct-v1:0',
      'mistral.mistral-large-2407-v1:0',
      'amazon.titan-embed-text-v2:0',
      'cohere.embed-english-v3',
    ]) {
      expect(ids).toContain(id);
    }
    const haiku = all.find((m) => m.modelId === 'anthropic.claude-3-haiku-20240307-v1:0')!;
    expect(haiku.modelArn).toBe(`arn:aws:bedrock:${REGION}::foundation-model/anthropic.claude-3-haiku-20240307-v1:0`);
    expect(haiku.inputModalities).toEqual(['TEXT', 'IMAGE']);
    const embeddings = (await br.send(new ListFoundationModelsCommand({ byOutputModality: 'EMBEDDING' }))).modelSummaries!.map(
      (m) => m.modelId,
    );
    expect(embeddings.sort()).toEqual(
      FOUNDATION_MODELS.filter((m) => m.outputModalities.includes('EMBEDDING'))
        .map((m) => m.modelId)
        .sort(),
    );
    const anthropic = (await br.send(new ListFoundationModelsCommand({ byProvider: 'Anthropic' }))).modelSummaries!;
    expect(anthropic.every((m) => m.providerName === 'Anthropic')).toBe(true);
    expect(anthropic.length).toBeGreaterThan(0);
    await expect(br.send(new ListFoundationModelsCommand({ byInferenceType: 'SOMETIMES' as never }))).rejects.toBeInstanceOf(
      ValidationException,
    );
  });
});
