import { AccountEnforcement } from '../../modules/enforcement/account.js';
import { Guardrail } from '../../modules/guardrail/construct.js';
import { accountEnforcementConfig } from '../../policy/index.js';
import { fullDefinition, testEnv } from '../helpers/stacks.js';
import { synthWith } from '../helpers/synth.js';

describe('AccountEnforcement', () => {
  test('binds the guardrail ARN, its numeric version, model enforcement and guarding modes', () => {
    const env = testEnv({
      enforcement: { system: 'selective', messages: 'comprehensive', models: { included: ['ALL'], excluded: ['cohere.embed-english-v3'] } },
    });
    const json = synthWith((s) => {
      const g = new Guardrail(s, 'g', { definition: fullDefinition(), resourceName: 'main' });
      const v = g.publishRelease({ name: 'r@1', contentHash: 'c'.repeat(64) });
      new AccountEnforcement(s, 'acct', {
        ...accountEnforcementConfig(env),
        guardrailIdentifier: g.guardrailArn,
        guardrailVersion: v.version,
        resourceName: 'account',
      });
    });
    expect(json.resource.aws_bedrock_enforced_guardrail_configuration.account).toMatchObject({
      guardrail_identifier: '${aws_bedrock_guardrail.main.guardrail_arn}',
      guardrail_version: '${aws_bedrock_guardrail_version.release_r_1.version}',
      selective_content_guarding: [{ system: 'SELECTIVE', messages: 'COMPREHENSIVE' }],
      model_enforcement: [{ included_models: ['ALL'], excluded_models: ['cohere.embed-english-v3'] }],
    });
  });

  test('without model rules or guarding modes, the blocks are omitted (service defaults)', () => {
    const json = synthWith((s) => {
      new AccountEnforcement(s, 'acct', { guardrailIdentifier: 'abc123', guardrailVersion: '2' });
    });
    const r = Object.values(json.resource.aws_bedrock_enforced_guardrail_configuration)[0] as Record<string, unknown>;
    expect(r).not.toHaveProperty('model_enforcement');
    expect(r).not.toHaveProperty('selective_content_guarding');
  });

  const base = { guardrailIdentifier: 'abc123', guardrailVersion: '2' };
  test.each([
    [
      { ...base, guardrailVersion: 'DRAFT' },
      'AccountEnforcement "test/acct": props.guardrailVersion must be a numeric published version such as "3" (DRAFT cannot be enforced) (got "DRAFT")',
    ],
    [
      { ...base, guardrailIdentifier: 'arn:aws:bedrock:us-east-1:111111111111:guardrail/abc:3' },
      'props.guardrailIdentifier must be a guardrail id or an unversioned guardrail ARN',
    ],
    [
      { ...base, selectiveContentGuarding: { system: 'selective' as never } },
      'props.selectiveContentGuarding.system must be one of COMPREHENSIVE, SELECTIVE (got "selective")',
    ],
    [{ ...base, selectiveContentGuarding: {} }, 'props.selectiveContentGuarding must set system and/or messages when present'],
    [
      { ...base, modelEnforcement: { includedModels: [], excludedModels: [] } },
      'props.modelEnforcement.includedModels must have at least 1 item',
    ],
    [
      { ...base, modelEnforcement: { includedModels: ['all'], excludedModels: [] } },
      'props.modelEnforcement.includedModels[0] must be "ALL" or a Bedrock model id (got "all")',
    ],
    [
      { ...base, modelEnforcement: { includedModels: ['ALL'], excludedModels: ['ALL'] } },
      'props.modelEnforcement.excludedModels[0] must be a Bedrock model id (got "ALL")',
    ],
  ])('rejects bad props (%#)', (props, message) => {
    expect(() =>
      synthWith((s) => {
        new AccountEnforcement(s, 'acct', props);
      }),
    ).toThrow(message);
  });
});
