/**
 * ListFoundationModels of the emulator, through the real SDK client: the catalogue of
 * sandbox/models.ts in every region, and the four filters of the API
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_ListFoundationModels.html).
 */
import { BedrockClient, ListFoundationModelsCommand, ValidationException } from '@aws-sdk/client-bedrock';
import type { SandboxHandle } from '../../sandbox/index.js';
import { FOUNDATION_MODELS } from '../../sandbox/index.js';
import { cfg, MGMT, PROD, REGION, start } from '../helpers/sandbox.js';

let sb: SandboxHandle;
beforeAll(async () => {
  sb = await start();
});
afterAll(async () => {
  await sb.close();
});

const list = async (input: ConstructorParameters<typeof ListFoundationModelsCommand>[0] = {}, region = REGION, account = MGMT) => {
  const br = new BedrockClient(cfg(sb, account, region));
  try {
    return (await br.send(new ListFoundationModelsCommand(input))).modelSummaries ?? [];
  } finally {
    br.destroy();
  }
};
const ids = (xs: { modelId?: string }[]) => xs.map((m) => m.modelId!).sort();
const catalogueIds = (pred: (m: (typeof FOUNDATION_MODELS)[number]) => boolean) =>
  FOUNDATION_MODELS.filter(pred)
    .map((m) => m.modelId)
    .sort();

describe('ListFoundationModels (sandbox)', () => {
  test('realistic entries: text, embedding and image models, with modalities, inference types and lifecycle', async () => {
    const all = await list();
    const by = new Map(all.map((m) => [m.modelId, m]));
    expect(by.get('amazon.titan-embed-text-v2:0')).toMatchObject({ outputModalities: ['EMBEDDING'], providerName: 'Amazon' });
    expect(by.get('cohere.embed-english-v3')).toMatchObject({ outputModalities: ['EMBEDDING'], providerName: 'Cohere' });
    expect(by.get('amazon.titan-image-generator-v2:0')).toMatchObject({ inputModalities: ['TEXT', 'IMAGE'], outputModalities: ['IMAGE'] });
    expect(by.get('anthropic.claude-3-5-sonnet-20241022-v2:0')).toMatchObject({
      outputModalities: ['TEXT'],
      inferenceTypesSupported: ['ON_DEMAND'],
      modelLifecycle: { status: 'ACTIVE' },
      responseStreamingSupported: true,
    });
    expect(by.get('anthropic.claude-3-5-sonnet-20240620-v1:0')!.modelLifecycle).toEqual({ status: 'LEGACY' });
  });

  test('the same catalogue in every region and for every account; ARNs name the region', async () => {
    const us = await list({}, 'us-east-1');
    const eu = await list({}, 'eu-west-1', PROD);
    expect(ids(us)).toEqual(catalogueIds(() => true));
    expect(ids(eu)).toEqual(ids(us));
    for (const m of eu) expect(m.modelArn).toBe(`arn:aws:bedrock:eu-west-1::foundation-model/${m.modelId}`);
  });

  test.each(['TEXT', 'IMAGE', 'EMBEDDING'] as const)('byOutputModality %s', async (modality) => {
    const got = await list({ byOutputModality: modality });
    expect(got.length).toBeGreaterThan(0);
    expect(ids(got)).toEqual(catalogueIds((m) => (m.outputModalities as string[]).includes(modality)));
  });

  test('byInferenceType', async () => {
    const provisioned = await list({ byInferenceType: 'PROVISIONED' });
    expect(ids(provisioned)).toEqual(catalogueIds((m) => m.inferenceTypesSupported.includes('PROVISIONED')));
    expect(ids(provisioned)).toContain('anthropic.claude-3-haiku-20240307-v1:0');
    expect((await list({ byInferenceType: 'ON_DEMAND' })).length).toBe(FOUNDATION_MODELS.length);
  });

  test('byProvider: the provider name, case-insensitive, or the id prefix', async () => {
    const cohere = await list({ byProvider: 'cohere' });
    expect(ids(cohere)).toEqual(catalogueIds((m) => m.providerName === 'Cohere'));
    expect(ids(await list({ byProvider: 'Mistral AI' }))).toEqual(catalogueIds((m) => m.providerName === 'Mistral AI'));
    expect(ids(await list({ byProvider: 'mistral' }))).toEqual(catalogueIds((m) => m.providerName === 'Mistral AI'));
    expect(await list({ byProvider: 'nobody' })).toEqual([]);
  });

  test('byCustomizationType, and filters combine', async () => {
    const ft = await list({ byCustomizationType: 'FINE_TUNING' });
    expect(ids(ft)).toEqual(catalogueIds((m) => m.customizationsSupported.includes('FINE_TUNING')));
    const distil = await list({ byCustomizationType: 'DISTILLATION', byProvider: 'Amazon', byOutputModality: 'TEXT' });
    expect(ids(distil)).toEqual(['amazon.nova-lite-v1:0', 'amazon.nova-micro-v1:0', 'amazon.nova-pro-v1:0']);
  });

  test('invalid filter values are a ValidationException', async () => {
    await expect(list({ byOutputModality: 'VIDEO' as never })).rejects.toBeInstanceOf(ValidationException);
    await expect(list({ byCustomizationType: 'LORA' as never })).rejects.toBeInstanceOf(ValidationException);
    await expect(list({ byInferenceType: 'SOMETIMES' as never })).rejects.toBeInstanceOf(ValidationException);
    await expect(list({ byProvider: 'bad/provider' })).rejects.toBeInstanceOf(ValidationException);
  });
});
