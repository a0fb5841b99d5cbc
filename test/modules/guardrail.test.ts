import { TerraformOutput } from 'cdktf';
import { Guardrail } from '../../modules/guardrail/construct.js';
import { versionDescription } from '../../core/naming.js';
import { contentHash, GuardrailDefinition } from '../../guardrail/index.js';
import { guardrailApiInput, sameGuardrailConfig, toBedrockApiInput } from '../../guardrail/wire.js';
import { fullDefinition } from '../helpers/stacks.js';
import { onlyResource, synthWith } from '../helpers/synth.js';

const HASH = 'a'.repeat(16) + 'b'.repeat(48);

describe('Guardrail construct', () => {
  const def = fullDefinition();
  const spec = def.toSpec();
  const json = synthWith((stack) => {
    const g = new Guardrail(stack, 'g', { definition: def, resourceName: 'main' });
    g.publishRelease({ name: 'baseline@1', contentHash: HASH });
    new TerraformOutput(stack, 'arn', { value: g.guardrailArn });
  });
  const r = onlyResource(json, 'aws_bedrock_guardrail');

  test('maps the top-level arguments', () => {
    expect(r).toMatchObject({
      name: spec.name,
      description: spec.description,
      blocked_input_messaging: spec.blockedInputMessaging,
      blocked_outputs_messaging: spec.blockedOutputsMessaging,
      kms_key_arn: spec.kmsKeyArn,
    });
  });

  test('maps every content filter with strengths, actions, enabled flags, modalities and the tier', () => {
    const cpc = r.content_policy_config;
    expect(cpc).toHaveLength(1);
    expect(cpc[0].tier_config).toEqual([{ tier_name: spec.contentTier }]);
    expect(cpc[0].filters_config).toEqual(
      spec.contentFilters.map((f) => ({
        type: f.type,
        input_strength: f.inputStrength,
        output_strength: f.outputStrength,
        input_action: f.inputAction,
        output_action: f.outputAction,
        input_enabled: f.inputEnabled,
        output_enabled: f.outputEnabled,
        input_modalities: f.inputModalities,
        output_modalities: f.outputModalities,
      })),
    );
    const pa = cpc[0].filters_config.find((f: { type: string }) => f.type === 'PROMPT_ATTACK');
    expect(pa).toMatchObject({ output_strength: 'NONE', output_enabled: false });
  });

  test('maps denied topics with examples and the topic tier; non-default per-topic actions are written', () => {
    const tpc = r.topic_policy_config[0];
    expect(tpc.tier_config).toEqual([{ tier_name: spec.topicTier }]);
    expect(tpc.topics_config.map((t: { name: string }) => t.name)).toEqual(spec.topics.map((t) => t.name));
    expect(tpc.topics_config[0]).toEqual({
      name: 'Weapons',
      definition: spec.topics[0]!.definition,
      type: 'DENY',
      examples: spec.topics[0]!.examples,
    });
    // inputAction NONE is not in the 6.25 schema: written raw because it differs from the default
    expect(tpc.topics_config[1]).toMatchObject({ name: 'Gossip', input_action: 'NONE' });
    expect(tpc.topics_config[1]).not.toHaveProperty('output_action');
  });

  test('maps PII entities and regexes with per-direction actions', () => {
    const sipc = r.sensitive_information_policy_config[0];
    expect(sipc.pii_entities_config).toEqual(
      spec.piiEntities.map((e) => ({
        type: e.type,
        action: e.action,
        input_action: e.inputAction,
        output_action: e.outputAction,
        input_enabled: e.inputEnabled,
        output_enabled: e.outputEnabled,
      })),
    );
    expect(sipc.pii_entities_config.find((e: { type: string }) => e.type === 'AWS_SECRET_KEY')).toMatchObject({
      action: 'BLOCK',
      output_action: 'ANONYMIZE',
    });
    expect(sipc.regexes_config).toEqual([
      {
        name: 'employee-id',
        pattern: 'EMP-[0-9]{6}',
        description: 'internal employee ids',
        action: 'ANONYMIZE',
        input_action: 'ANONYMIZE',
        output_action: 'ANONYMIZE',
        input_enabled: true,
        output_enabled: true,
      },
    ]);
  });

  test('maps words and the managed profanity list', () => {
    const wpc = r.word_policy_config[0];
    expect(wpc.words_config.map((w: { text: string }) => w.text)).toEqual(['project-nightshade', 'codename']);
    expect(wpc.words_config[1]).toMatchObject({ output_action: 'NONE', input_action: 'BLOCK' });
    expect(wpc.managed_word_lists_config).toEqual([
      { type: 'PROFANITY', input_action: 'BLOCK', output_action: 'BLOCK', input_enabled: true, output_enabled: true },
    ]);
  });

  test('maps contextual grounding thresholds; a non-default action is written', () => {
    const f = r.contextual_grounding_policy_config[0].filters_config;
    expect(f).toEqual([
      { type: 'GROUNDING', threshold: 0.75 },
      { type: 'RELEVANCE', threshold: 0.5, action: 'NONE' },
    ]);
  });

  test('the synthesized arguments are the one mapping of wire.ts: read back, they are the API input of the spec', () => {
    const back = guardrailApiInput(r);
    const input = toBedrockApiInput(spec);
    expect(back.kmsKeyId).toBe(input.kmsKeyId);
    expect(sameGuardrailConfig(back as Record<string, unknown>, input as unknown as Record<string, unknown>)).toBe(true);
  });

  test('publishRelease creates a skip_destroy version naming the release and hash', () => {
    const v = json.resource.aws_bedrock_guardrail_version.release_baseline_1;
    expect(v.skip_destroy).toBe(true);
    expect(v.description).toBe(`release baseline@1 sha256:${HASH.slice(0, 16)}`);
    expect(v.guardrail_arn).toBe('${aws_bedrock_guardrail.main.guardrail_arn}');
    expect(json.output.arn.value).toBe('${aws_bedrock_guardrail.main.guardrail_arn}');
  });

  test('cross-Region config and STANDARD tiers are mapped', () => {
    const profile = 'arn:aws:bedrock:us-east-1:111111111111:guardrail-profile/us.guardrail.v1:0';
    const d = new GuardrailDefinition({
      name: 'std',
      blockedInputMessaging: 'no',
      blockedOutputsMessaging: 'no',
      contentTier: 'STANDARD',
      topicTier: 'STANDARD',
      crossRegion: { guardrailProfileArn: profile },
    })
      .addContentFilter({ type: 'HATE', inputStrength: 'LOW', outputStrength: 'LOW' })
      .addDeniedTopicFilter({ name: 'X', definition: 'x'.repeat(500) });
    const j = synthWith((stack) => {
      new Guardrail(stack, 'g', { definition: d });
    });
    const g = onlyResource(j, 'aws_bedrock_guardrail');
    expect(g.cross_region_config).toEqual([{ guardrail_profile_identifier: profile }]);
    expect(g.content_policy_config[0].tier_config).toEqual([{ tier_name: 'STANDARD' }]);
    expect(g.topic_policy_config[0].tier_config).toEqual([{ tier_name: 'STANDARD' }]);
    expect(g).not.toHaveProperty('sensitive_information_policy_config');
    expect(g).not.toHaveProperty('word_policy_config');
    expect(g).not.toHaveProperty('kms_key_arn');
  });

  test('accepts the canonical spec as well as the definition, with identical output', () => {
    const a = synthWith((stack) => {
      new Guardrail(stack, 'g', { definition: def });
    });
    const b = synthWith((stack) => {
      new Guardrail(stack, 'g', { definition: spec });
    });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  test('the version description uses the first 16 hex digits of the release content hash', () => {
    const h = contentHash(spec);
    expect(versionDescription({ name: 'r@1', contentHash: h })).toBe(`release r@1 sha256:${h.slice(0, 16)}`);
  });

  test('publishing the same release twice yields one version resource', () => {
    const j = synthWith((stack) => {
      const g = new Guardrail(stack, 'g', { definition: def });
      g.publishRelease({ name: 'r@1', contentHash: HASH });
      g.publishRelease({ name: 'r@1', contentHash: HASH });
      g.publishRelease({ name: 'r@2', contentHash: HASH });
    });
    expect(Object.keys(j.resource.aws_bedrock_guardrail_version).sort()).toEqual(['release_r_1', 'release_r_2']);
  });
});

describe('Guardrail prop validation', () => {
  const def = fullDefinition();
  test('an invalid name override names the prop', () => {
    expect(() =>
      synthWith((s) => {
        new Guardrail(s, 'g', { definition: def, name: 'has spaces' });
      }),
    ).toThrow('Guardrail "test/g": props.name must be 1–50 letters, digits, "-" or "_" (got "has spaces")');
  });
  test('a missing definition names the prop', () => {
    expect(() =>
      synthWith((s) => {
        new Guardrail(s, 'g', { definition: undefined as never });
      }),
    ).toThrow('Guardrail "test/g": props.definition is required');
  });
  test('a guardrail with Automated Reasoning cannot be expressed by aws_bedrock_guardrail', () => {
    const ar = new GuardrailDefinition({
      name: 'ar',
      blockedInputMessaging: 'no',
      blockedOutputsMessaging: 'no',
      automatedReasoning: { policies: ['arn:aws:bedrock:us-east-1:111111111111:automated-reasoning-policy/abcdefghijkl:1'] },
    }).addWordFilter('x');
    expect(() =>
      synthWith((s) => {
        new Guardrail(s, 'g', { definition: ar });
      }),
    ).toThrow(/props\.definition guardrail "ar" carries an Automated Reasoning policy/);
  });
  test('publishRelease rejects a content hash that is not sha256 hex', () => {
    expect(() =>
      synthWith((s) => {
        new Guardrail(s, 'g', { definition: def }).publishRelease({ name: 'r', contentHash: 'xyz' });
      }),
    ).toThrow(/props\.contentHash must be a sha256 hex digest/);
  });
  test('publishRelease rejects a release name that would overflow the 200-char description', () => {
    expect(() =>
      synthWith((s) => {
        new Guardrail(s, 'g', { definition: def }).publishRelease({ name: 'r'.repeat(190), contentHash: HASH });
      }),
    ).toThrow(/props\.name is too long: the version description .* would exceed 200 characters/);
  });
});
