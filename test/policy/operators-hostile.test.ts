/**
 * The same hostile operators in documents built from an environment (validatePolicyDocument /
 * assertValidPolicy, which the builder, the org construct and the preflight gate use): errors
 * naming the environment file and the path (issue 10, item 9).
 */
import { EXIT, InputError } from '../../core/errors.js';
import { assertValidPolicy, operatorProblems, validatePolicyDocument } from '../../policy/index.js';

const ARN = 'arn:aws:bedrock:us-east-1:111111111111:guardrail/abc:3';
const CFG = 'bedrock.guardrail_inference.us-east-1.config_1';
const CTL = '@@operators_allowed_for_child_policies';
const ctx = { managementAccountId: '111111111111', regions: ['us-east-1'], file: 'environments/x/environment.yaml' };
const docWith = (config: Record<string, unknown>) => ({ bedrock: { guardrail_inference: { 'us-east-1': { config_1: config } } } });
const complete = { model_enforcement: { included_models: { '@@assign': ['ALL'] }, excluded_models: { '@@assign': [] } } };

const cases: [string, Record<string, unknown>, string][] = [
  ['an unknown operator', { identifier: { '@@assignn': ARN } }, `${CFG}.identifier.@@assignn`],
  ['@@append on the scalar identifier', { identifier: { '@@append': [ARN] } }, `${CFG}.identifier.@@append`],
  [
    '@@remove on a guarding mode',
    { selective_content_guarding: { system: { '@@remove': ['selective'] } } },
    `${CFG}.selective_content_guarding.system.@@remove`,
  ],
  ['@@assign of a list where a string is expected', { identifier: { '@@assign': [ARN] } }, `${CFG}.identifier.@@assign`],
  ['a child-control that is not a list', { identifier: { '@@assign': ARN, [CTL]: '@@none' } }, `${CFG}.identifier.${CTL}`],
  ['an unknown child-control entry', { identifier: { '@@assign': ARN, [CTL]: ['@@assign', '@@replace'] } }, `${CFG}.identifier.${CTL}[1]`],
  ['@@none mixed with others', { identifier: { '@@assign': ARN, [CTL]: ['@@none', '@@assign'] } }, `${CFG}.identifier.${CTL}`],
];

describe.each(cases)('%s', (_, config, path) => {
  const doc = docWith({ ...complete, ...config });
  test('is an error of the document validator at that path', () => {
    const errors = validatePolicyDocument(doc, ctx).filter((i) => i.severity === 'error');
    expect(errors.map((e) => e.path)).toContain(path);
    expect(errors.every((e) => e.file === ctx.file)).toBe(true);
  });
  test('assertValidPolicy throws an InputError (exit 2) naming the environment file and the path', () => {
    let err: unknown;
    try {
      assertValidPolicy(doc, ctx);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(EXIT.badInput);
    expect((err as InputError).file).toBe(ctx.file);
    expect((err as Error).message).toContain(path);
  });
  test('is also an operator problem (the snapshot check) at that path', () => {
    expect(operatorProblems(doc).map((p) => p.path)).toContain(path);
  });
});
