import { TerraformOutput } from 'cdktf';
import { BedrockEnforcedGuardrailConfiguration } from '../../modules/bindings/enforced-guardrail-configuration.js';
import { BedrockGuardrailResourcePolicy } from '../../modules/bindings/guardrail-resource-policy.js';
import { synthWith } from '../helpers/synth.js';

describe('typed bindings for resources the prebuilt provider lacks', () => {
  test('aws_bedrock_enforced_guardrail_configuration emits nested blocks as single-element lists', () => {
    const json = synthWith((stack) => {
      const c = new BedrockEnforcedGuardrailConfiguration(stack, 'cfg', {
        guardrailIdentifier: 'abc123def456',
        guardrailVersion: '3',
        selectiveContentGuarding: { system: 'COMPREHENSIVE', messages: 'SELECTIVE' },
        modelEnforcement: { includedModels: ['ALL'], excludedModels: ['amazon.titan-embed-text-v2:0'] },
        region: 'eu-west-1',
      });
      new TerraformOutput(stack, 'config_id', { value: c.configId });
      new TerraformOutput(stack, 'owner', { value: c.owner });
      new TerraformOutput(stack, 'arn', { value: c.guardrailArn });
    });
    const r = json.resource.aws_bedrock_enforced_guardrail_configuration.cfg;
    expect(r).toMatchObject({
      guardrail_identifier: 'abc123def456',
      guardrail_version: '3',
      selective_content_guarding: [{ system: 'COMPREHENSIVE', messages: 'SELECTIVE' }],
      model_enforcement: [{ included_models: ['ALL'], excluded_models: ['amazon.titan-embed-text-v2:0'] }],
      region: 'eu-west-1',
    });
    expect(json.output.config_id.value).toBe('${aws_bedrock_enforced_guardrail_configuration.cfg.config_id}');
    expect(json.output.owner.value).toBe('${aws_bedrock_enforced_guardrail_configuration.cfg.owner}');
    expect(json.output.arn.value).toBe('${aws_bedrock_enforced_guardrail_configuration.cfg.guardrail_arn}');
  });

  test('optional blocks are omitted, not written empty', () => {
    const json = synthWith((stack) => {
      new BedrockEnforcedGuardrailConfiguration(stack, 'cfg', { guardrailIdentifier: 'abc', guardrailVersion: '1' });
    });
    const r = json.resource.aws_bedrock_enforced_guardrail_configuration.cfg;
    expect(
      Object.keys(r)
        .filter((k) => k !== '//')
        .sort(),
    ).toEqual(['guardrail_identifier', 'guardrail_version']);
  });

  test('aws_bedrock_guardrail_resource_policy carries resource_arn and the policy string', () => {
    const json = synthWith((stack) => {
      new BedrockGuardrailResourcePolicy(stack, 'rbp', {
        resourceArn: 'arn:aws:bedrock:us-east-1:111111111111:guardrail/abc',
        policy: '{"Version":"2012-10-17"}',
      });
    });
    expect(json.resource.aws_bedrock_guardrail_resource_policy.rbp).toMatchObject({
      resource_arn: 'arn:aws:bedrock:us-east-1:111111111111:guardrail/abc',
      policy: '{"Version":"2012-10-17"}',
    });
  });
});
