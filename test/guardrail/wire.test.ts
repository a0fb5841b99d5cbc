import type { CreateGuardrailCommandInput } from '@aws-sdk/client-bedrock';
import { GuardrailDefinition, type GuardrailProps } from '../../guardrail/index.js';
import {
  guardrailApiInput,
  sameGuardrailConfig,
  toBedrockApiInput,
  toTerraformBlocks,
  type BedrockGuardrailInput,
} from '../../guardrail/wire.js';

// Compile-time: the request body fits the SDK's CreateGuardrail input.
const _fits = (b: BedrockGuardrailInput): CreateGuardrailCommandInput => b;
void _fits;

const base = (): GuardrailProps => ({ name: 'org-baseline', blockedInputMessaging: 'Blocked.', blockedOutputsMessaging: 'Withheld.' });

describe('toBedrockApiInput', () => {
  test('uses the API input names and writes every default explicitly', () => {
    const spec = new GuardrailDefinition({
      ...base(),
      description: 'd',
      kmsKeyArn: 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    })
      .addContentFilter({ type: 'PROMPT_ATTACK', inputStrength: 'HIGH', outputStrength: 'NONE' })
      .addDeniedTopicFilter({ name: 'T', definition: 'd', examples: ['e'] })
      .addPIIFilter({ type: 'EMAIL', action: 'ANONYMIZE' })
      .addRegexFilter({ name: 'r', pattern: 'a+', action: 'BLOCK', description: 'rd' })
      .addWordFilter('w')
      .addManagedWordListFilter()
      .addContextualGroundingFilter({ type: 'RELEVANCE', threshold: 0.5, action: 'NONE' })
      .toSpec();
    const dir = { inputAction: 'BLOCK', outputAction: 'BLOCK', inputEnabled: true, outputEnabled: true };
    expect(toBedrockApiInput(spec)).toEqual({
      name: 'org-baseline',
      description: 'd',
      blockedInputMessaging: 'Blocked.',
      blockedOutputsMessaging: 'Withheld.',
      contentPolicyConfig: {
        filtersConfig: [
          {
            type: 'PROMPT_ATTACK',
            inputStrength: 'HIGH',
            outputStrength: 'NONE',
            inputModalities: ['TEXT'],
            outputModalities: ['TEXT'],
            ...dir,
          },
        ],
        tierConfig: { tierName: 'CLASSIC' },
      },
      topicPolicyConfig: {
        topicsConfig: [{ name: 'T', definition: 'd', examples: ['e'], type: 'DENY', ...dir }],
        tierConfig: { tierName: 'CLASSIC' },
      },
      wordPolicyConfig: { wordsConfig: [{ text: 'w', ...dir }], managedWordListsConfig: [{ type: 'PROFANITY', ...dir }] },
      sensitiveInformationPolicyConfig: {
        piiEntitiesConfig: [
          {
            type: 'EMAIL',
            action: 'ANONYMIZE',
            inputAction: 'ANONYMIZE',
            outputAction: 'ANONYMIZE',
            inputEnabled: true,
            outputEnabled: true,
          },
        ],
        regexesConfig: [{ name: 'r', description: 'rd', pattern: 'a+', action: 'BLOCK', ...dir }],
      },
      contextualGroundingPolicyConfig: { filtersConfig: [{ type: 'RELEVANCE', threshold: 0.5, action: 'NONE', enabled: true }] },
      kmsKeyId: 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
  });

  test('policies without entries are omitted', () => {
    const api = toBedrockApiInput(new GuardrailDefinition(base()).addWordFilter('w').toSpec());
    expect(Object.keys(api).sort()).toEqual(['blockedInputMessaging', 'blockedOutputsMessaging', 'name', 'wordPolicyConfig']);
    expect(api.wordPolicyConfig).not.toHaveProperty('managedWordListsConfig');
  });
});

/** Terraform JSON names: the cdktf config names in snake_case. */
const snake = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(snake);
  if (!v || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), snake(x)]));
};

describe('Terraform blocks (aws_bedrock_guardrail)', () => {
  const profile = 'arn:aws:bedrock:us-east-1:111111111111:guardrail-profile/us.guardrail.v1:0';
  const kms = 'arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  const arn = 'arn:aws:bedrock:us-east-1:111111111111:automated-reasoning-policy/abcdefghij12';
  const everything = () =>
    new GuardrailDefinition({
      ...base(),
      description: 'd',
      kmsKeyArn: kms,
      contentTier: 'STANDARD',
      crossRegion: { guardrailProfileArn: profile },
      automatedReasoning: { policies: [arn] },
    })
      .addContentFilter({ type: 'HATE', inputStrength: 'LOW', outputStrength: 'LOW' })
      .addDeniedTopicFilter({ name: 'T', definition: 'd', examples: ['e'], outputAction: 'NONE' })
      .addPIIFilter({ type: 'EMAIL', action: 'ANONYMIZE' })
      .addRegexFilter({ name: 'r', pattern: 'a+', action: 'BLOCK' })
      .addWordFilter('w')
      .addManagedWordListFilter()
      .addContextualGroundingFilter({ type: 'GROUNDING', threshold: 0.5 })
      .toSpec();

  test('every single block becomes a list of one and kmsKeyId becomes kmsKeyArn', () => {
    const input = toBedrockApiInput(everything());
    const tf = toTerraformBlocks(input) as Record<string, unknown>;
    expect(tf).not.toHaveProperty('kmsKeyId');
    expect(tf.kmsKeyArn).toBe(kms);
    for (const [k, v] of Object.entries(input)) {
      if (k === 'kmsKeyId') continue;
      if (v && typeof v === 'object' && !Array.isArray(v)) expect([k, tf[k]]).toEqual([k, [expect.any(Object)]]);
      else expect([k, tf[k]]).toEqual([k, v]);
    }
    expect(tf.contentPolicyConfig).toEqual([
      { filtersConfig: input.contentPolicyConfig!.filtersConfig, tierConfig: [{ tierName: 'STANDARD' }] },
    ]);
    expect(tf.crossRegionConfig).toEqual([{ guardrailProfileIdentifier: profile }]);
    expect(tf.automatedReasoningPolicyConfig).toEqual([{ policies: [arn] }]);
  });

  test('a topic without examples leaves the examples argument unset', () => {
    const spec = new GuardrailDefinition(base()).addDeniedTopicFilter({ name: 'T', definition: 'd' }).toSpec();
    expect(toBedrockApiInput(spec).topicPolicyConfig!.topicsConfig[0]).toHaveProperty('examples', []);
    expect(toTerraformBlocks(toBedrockApiInput(spec)).topicPolicyConfig![0]!.topicsConfig[0]).not.toHaveProperty('examples');
  });

  test('guardrailApiInput is the inverse: Terraform arguments back to the same API input', () => {
    const input = toBedrockApiInput(everything());
    expect(guardrailApiInput(snake(toTerraformBlocks(input)) as Record<string, unknown>)).toEqual(input);
    const noExamples = toBedrockApiInput(new GuardrailDefinition(base()).addDeniedTopicFilter({ name: 'T', definition: 'd' }).toSpec());
    const back = guardrailApiInput(snake(toTerraformBlocks(noExamples)) as Record<string, unknown>);
    expect(sameGuardrailConfig(back as Record<string, unknown>, noExamples as unknown as Record<string, unknown>)).toBe(true);
  });
});
