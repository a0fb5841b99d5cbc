import {
  validatePolicyDocument,
  validateEffectivePolicy,
  assertValidPolicy,
  PolicyValidationError,
  type ValidationContext,
} from '../../policy/index.js';
import { MGMT, arn, bedrock } from '../helpers/policy.js';
import { BEDROCK_POLICY_MAX_CHARS } from '../../core/limits.js';

const ctx = { managementAccountId: MGMT, regions: ['us-east-1', 'eu-west-1'], file: 'env.yaml' };
const ID = 'bedrock.guardrail_inference.us-east-1.config_1.identifier.@@assign';
const good = () => ({
  identifier: { '@@assign': `${arn('us-east-1')}:3` },
  selective_content_guarding: { system: { '@@assign': 'comprehensive' }, messages: { '@@assign': 'selective' } },
  model_enforcement: { included_models: { '@@assign': ['ALL'] }, excluded_models: { '@@assign': ['amazon.titan-embed-text-v2:0'] } },
});
const errors = (doc: unknown, c: ValidationContext = ctx) =>
  validatePolicyDocument(doc, c)
    .filter((i) => i.severity === 'error')
    .map((i) => `${i.path}: ${i.message}`);
const withCfg = (patch: Record<string, unknown>) => bedrock({ ...good(), ...patch });

describe('validatePolicyDocument', () => {
  test('a well-formed baseline has no issues', () => {
    expect(validatePolicyDocument(bedrock(good()), ctx)).toEqual([]);
  });

  test.each([
    ['DRAFT version', `${arn('us-east-1')}:DRAFT`, /DRAFT cannot be enforced/],
    ['missing version', arn('us-east-1'), /missing version/],
    ['another account', `${arn('us-east-1', 'abc', '999999999999')}:3`, /owned by account "999999999999".*management account 111111111111/],
    ['region of the ARN differs from its key', `${arn('eu-west-1')}:3`, /region "eu-west-1" but sits under region key "us-east-1"/],
    ['not an ARN', 'abc123def456', /not a guardrail ARN/],
    ['non-numeric version', `${arn('us-east-1')}:v3`, /not a published numeric version/],
  ])('identifier: %s', (_, identifier, message) => {
    const errs = errors(withCfg({ identifier: { '@@assign': identifier } }));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(new RegExp(`^${ID.replace(/[.@]/g, '\\$&')}: `));
    expect(errs[0]).toMatch(message);
  });

  test('unknown keys and unknown operators are errors, at their path', () => {
    expect(errors(withCfg({ guardrail_profile: { '@@assign': 'x' } }))).toEqual([
      expect.stringMatching(/^bedrock\.guardrail_inference\.us-east-1\.config_1\.guardrail_profile: unknown key/),
    ]);
    expect(errors(withCfg({ identifier: { '@@set': `${arn('us-east-1')}:3` } }))).toEqual([
      expect.stringMatching(/identifier\.@@set: unknown operator/),
    ]);
    expect(errors({ bedrock: { guardrail_inference: {} }, extra: 1 })).toEqual(['extra: unknown key; a BEDROCK_POLICY has only "bedrock"']);
  });

  test('case mistakes: org policies use lower-case modes and upper-case ALL', () => {
    const errs = errors(
      withCfg({
        selective_content_guarding: { system: { '@@assign': 'COMPREHENSIVE' } },
        model_enforcement: { included_models: { '@@assign': ['all'] }, excluded_models: { '@@assign': [] } },
      }),
    );
    expect(errs).toEqual([
      expect.stringMatching(/system\.@@assign: "COMPREHENSIVE" must be lower-case "comprehensive"/),
      expect.stringMatching(/included_models\.@@assign\[0\]: "all" must be upper-case "ALL"/),
    ]);
    expect(errors(withCfg({ selective_content_guarding: { messages: { '@@assign': 'strict' } } }))).toEqual([
      expect.stringMatching(/"strict" is not one of "comprehensive", "selective"/),
    ]);
  });

  test('model ids must be Bedrock foundation-model ids', () => {
    const errs = errors(
      withCfg({
        model_enforcement: {
          included_models: { '@@assign': ['ALL'] },
          excluded_models: {
            '@@assign': [
              'us.anthropic.claude-3-5-sonnet-20240620-v1:0',
              'arn:aws:bedrock:us-east-1::foundation-model/x.y',
              'Amazon.Titan',
              'ALL',
            ],
          },
        },
      }),
    );
    expect(errs.map((e) => e.replace(/:.*?: /, ': '))).toHaveLength(4);
    expect(errs[0]).toMatch(/inference-profile id/);
    expect(errs[1]).toMatch(/is an ARN/);
    expect(errs[2]).toMatch(/not a Bedrock model id/);
    expect(errs[3]).toMatch(/"ALL" is only valid in included_models/);
  });

  test('model_enforcement needs both lists in a complete configuration; an overlay may touch one', () => {
    expect(errors(withCfg({ model_enforcement: { included_models: { '@@assign': ['ALL'] } } }))).toEqual([
      expect.stringMatching(/model_enforcement: .*missing excluded_models/),
    ]);
    expect(errors(bedrock({ model_enforcement: { excluded_models: { '@@append': ['cohere.embed-english-v3'] } } }))).toEqual([]);
  });

  test('a model both included and excluded explicitly is a warning (exclusion wins)', () => {
    const issues = validatePolicyDocument(
      withCfg({
        model_enforcement: {
          included_models: { '@@assign': ['cohere.embed-english-v3'] },
          excluded_models: { '@@assign': ['cohere.embed-english-v3'] },
        },
      }),
      ctx,
    );
    expect(issues).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/both included and excluded.*exclusion wins/) }),
    ]);
  });

  test('scalars take @@assign only; bare values (an effective policy pasted back) are refused', () => {
    expect(errors(withCfg({ identifier: { '@@append': [`${arn('us-east-1')}:3`] } }))).toEqual([
      expect.stringMatching(/@@append applies to lists only/),
    ]);
    expect(errors(withCfg({ identifier: `${arn('us-east-1')}:3` }))).toEqual([
      expect.stringMatching(/config_1\.identifier: expected \{"@@assign"/),
    ]);
  });

  test('child-control lists: known operators only, @@none/@@all alone', () => {
    const errs = errors(
      withCfg({ identifier: { '@@assign': `${arn('us-east-1')}:3`, '@@operators_allowed_for_child_policies': ['@@none', '@@assign'] } }),
    );
    expect(errs).toEqual([expect.stringMatching(/@@all and @@none must be used alone/)]);
  });

  test('regions outside the environment, and legacy input_tags mixed with the GA key', () => {
    const doc = {
      bedrock: { guardrail_inference: { 'ap-south-1': { config_1: { identifier: { '@@assign': `${arn('ap-south-1')}:1` } } } } },
    };
    expect(errors(doc)).toEqual([expect.stringMatching(/ap-south-1: region ap-south-1 is not one of the environment's regions/)]);
    expect(errors(withCfg({ input_tags: { '@@assign': 'honor' } }))).toEqual([expect.stringMatching(/do not mix the legacy input_tags/)]);
  });

  test(`documents over ${BEDROCK_POLICY_MAX_CHARS} characters are refused`, () => {
    const many = Array.from({ length: 400 }, (_, i) => `amazon.model-number-${i}:0`);
    const doc = withCfg({ model_enforcement: { included_models: { '@@assign': ['ALL'] }, excluded_models: { '@@assign': many } } });
    expect(JSON.stringify(doc).length).toBeGreaterThan(BEDROCK_POLICY_MAX_CHARS);
    expect(errors(doc)).toEqual([expect.stringMatching(/characters; Organizations accepts at most 10000/)]);
  });

  test('tokens are opaque only when allowed', () => {
    const doc = withCfg({ identifier: { '@@assign': '${data.terraform_remote_state.guardrails.outputs.id}' } });
    expect(errors(doc, { ...ctx, allowTokens: true })).toEqual([]);
    expect(errors(doc)).toHaveLength(1);
  });

  test('assertValidPolicy throws an InputError naming file and path (exit 2); warnings do not throw', () => {
    const bad = withCfg({ identifier: { '@@assign': `${arn('us-east-1')}:DRAFT` } });
    let err: unknown;
    try {
      assertValidPolicy(bad, ctx);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PolicyValidationError);
    expect(err).toMatchObject({ exitCode: 2, file: 'env.yaml', path: ID });
    expect(() =>
      assertValidPolicy(
        withCfg({
          model_enforcement: {
            included_models: { '@@assign': ['cohere.embed-english-v3'] },
            excluded_models: { '@@assign': ['cohere.embed-english-v3'] },
          },
        }),
        ctx,
      ),
    ).not.toThrow();
  });
});

describe('validateEffectivePolicy', () => {
  test('an effective configuration needs an identifier and both model lists', () => {
    const issues = validateEffectivePolicy(
      { bedrock: { guardrail_inference: { 'us-east-1': { config_1: { model_enforcement: { included_models: ['ALL'] } } } } } },
      ctx,
    );
    expect(issues.map((i) => i.message)).toEqual([
      expect.stringMatching(/missing: every enforced configuration needs a guardrail identifier/),
      expect.stringMatching(/missing excluded_models/),
    ]);
  });
});
