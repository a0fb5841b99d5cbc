/**
 * The sandbox's foundation-model catalogue: a fixed list of real Bedrock model ids with their
 * modalities. ListFoundationModels answers from it, and the runtime's stand-in model refuses
 * ids that are not in it. Values follow the public model cards
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/models-supported.html).
 */
export interface CatalogueModel {
  modelId: string;
  modelName: string;
  providerName: string;
  inputModalities: ('TEXT' | 'IMAGE' | 'SPEECH' | 'VIDEO')[];
  outputModalities: ('TEXT' | 'IMAGE' | 'EMBEDDING')[];
  responseStreamingSupported: boolean;
  customizationsSupported: ('FINE_TUNING' | 'CONTINUED_PRE_TRAINING' | 'DISTILLATION')[];
  inferenceTypesSupported: ('ON_DEMAND' | 'PROVISIONED')[];
  lifecycle: 'ACTIVE' | 'LEGACY';
  /** Whether Converse accepts it (embedding models do not converse). */
  converse: boolean;
}

const m = (
  modelId: string,
  modelName: string,
  providerName: string,
  input: CatalogueModel['inputModalities'],
  output: CatalogueModel['outputModalities'],
  extra: Partial<CatalogueModel> = {},
): CatalogueModel => ({
  modelId,
  modelName,
  providerName,
  inputModalities: input,
  outputModalities: output,
  responseStreamingSupported: output.includes('TEXT'),
  customizationsSupported: [],
  inferenceTypesSupported: ['ON_DEMAND'],
  lifecycle: 'ACTIVE',
  converse: output.includes('TEXT'),
  ...extra,
});

export const FOUNDATION_MODELS: readonly CatalogueModel[] = [
  m('anthropic.claude-3-5-sonnet-20240620-v1:0', 'Claude 3.5 Sonnet', 'Anthropic', ['TEXT', 'IMAGE'], ['TEXT'], { lifecycle: 'LEGACY' }),
  m('anthropic.claude-3-5-sonnet-20241022-v2:0', 'Claude 3.5 Sonnet v2', 'Anthropic', ['TEXT', 'IMAGE'], ['TEXT']),
  m('anthropic.claude-3-5-haiku-20241022-v1:0', 'Claude 3.5 Haiku', 'Anthropic', ['TEXT'], ['TEXT']),
  m('anthropic.claude-3-haiku-20240307-v1:0', 'Claude 3 Haiku', 'Anthropic', ['TEXT', 'IMAGE'], ['TEXT'], {
    customizationsSupported: ['FINE_TUNING'],
    inferenceTypesSupported: ['ON_DEMAND', 'PROVISIONED'],
  }),
  m('amazon.nova-pro-v1:0', 'Nova Pro', 'Amazon', ['TEXT', 'IMAGE', 'VIDEO'], ['TEXT'], {
    customizationsSupported: ['FINE_TUNING', 'DISTILLATION'],
  }),
  m('amazon.nova-lite-v1:0', 'Nova Lite', 'Amazon', ['TEXT', 'IMAGE', 'VIDEO'], ['TEXT'], {
    customizationsSupported: ['FINE_TUNING', 'DISTILLATION'],
  }),
  m('amazon.nova-micro-v1:0', 'Nova Micro', 'Amazon', ['TEXT'], ['TEXT'], { customizationsSupported: ['FINE_TUNING', 'DISTILLATION'] }),
  m('amazon.titan-text-express-v1', 'Titan Text G1 - Express', 'Amazon', ['TEXT'], ['TEXT'], {
    lifecycle: 'LEGACY',
    customizationsSupported: ['FINE_TUNING', 'CONTINUED_PRE_TRAINING'],
  }),
  m('amazon.titan-embed-text-v2:0', 'Titan Text Embeddings V2', 'Amazon', ['TEXT'], ['EMBEDDING'], { responseStreamingSupported: false }),
  m('amazon.titan-image-generator-v2:0', 'Titan Image Generator G1 v2', 'Amazon', ['TEXT', 'IMAGE'], ['IMAGE'], {
    responseStreamingSupported: false,
    converse: false,
    customizationsSupported: ['FINE_TUNING'],
  }),
  m('meta.llama3-1-8b-instruct-v1:0', 'Llama 3.1 8B Instruct', 'Meta', ['TEXT'], ['TEXT'], { customizationsSupported: ['FINE_TUNING'] }),
  m('meta.llama3-1-70b-instruct-v1:0', 'Llama 3.1 70B Instruct', 'Meta', ['TEXT'], ['TEXT'], { customizationsSupported: ['FINE_TUNING'] }),
  m('mistral.mistral-large-2407-v1:0', 'Mistral Large (24.07)', 'Mistral AI', ['TEXT'], ['TEXT']),
  m('mistral.mistral-7b-instruct-v0:2', 'Mistral 7B Instruct', 'Mistral AI', ['TEXT'], ['TEXT']),
  m('cohere.command-r-plus-v1:0', 'Command R+', 'Cohere', ['TEXT'], ['TEXT']),
  m('cohere.embed-english-v3', 'Embed English', 'Cohere', ['TEXT'], ['EMBEDDING'], { responseStreamingSupported: false }),
  m('cohere.embed-multilingual-v3', 'Embed Multilingual', 'Cohere', ['TEXT'], ['EMBEDDING'], { responseStreamingSupported: false }),
  m('ai21.jamba-1-5-large-v1:0', 'Jamba 1.5 Large', 'AI21 Labs', ['TEXT'], ['TEXT']),
];

export function findModel(modelId: string): CatalogueModel | undefined {
  return FOUNDATION_MODELS.find((x) => x.modelId === modelId);
}

export function foundationModelArn(region: string, modelId: string): string {
  return `arn:aws:bedrock:${region}::foundation-model/${modelId}`;
}

/** Accepts a model id or a foundation-model ARN; returns the catalogue entry if known. */
export function resolveModel(idOrArn: string): CatalogueModel | undefined {
  const arn = /^arn:aws:bedrock:[a-z0-9-]+::foundation-model\/(.+)$/.exec(idOrArn);
  return findModel(arn ? arn[1] : idOrArn);
}
