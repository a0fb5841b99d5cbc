import { GuardrailResourcePolicy, GUARDRAIL_RBP_ACTIONS } from '../../modules/guardrail/resource-policy.js';
import { Guardrail } from '../../modules/guardrail/construct.js';
import { fullDefinition } from '../helpers/stacks.js';
import { onlyResource, synthWith } from '../helpers/synth.js';

const ARN = 'arn:aws:bedrock:us-east-1:111111111111:guardrail/abc123def456';

describe('GuardrailResourcePolicy', () => {
  test('lets members of this organization, and only them, apply and get the guardrail', () => {
    const json = synthWith((s) => {
      new GuardrailResourcePolicy(s, 'rbp', { guardrailArn: ARN, organizationId: 'o-abcdefghij' });
    });
    const r = onlyResource(json, 'aws_bedrock_guardrail_resource_policy');
    expect(r.resource_arn).toBe(ARN);
    const doc = JSON.parse(r.policy);
    expect(doc).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: '*',
          Action: ['bedrock:ApplyGuardrail', 'bedrock:GetGuardrail'],
          Resource: ARN,
          Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } },
        },
      ],
    });
  });

  test('the optional own-account statement names only the owning account root', () => {
    const json = synthWith((s) => {
      new GuardrailResourcePolicy(s, 'rbp', { guardrailArn: ARN, organizationId: 'o-abcdefghij', ownAccountId: '111111111111' });
    });
    const doc = JSON.parse(onlyResource(json, 'aws_bedrock_guardrail_resource_policy').policy);
    expect(doc.Statement).toHaveLength(2);
    expect(doc.Statement[1]).toEqual({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111111111111:root' },
      Action: [...GUARDRAIL_RBP_ACTIONS],
      Resource: ARN,
    });
    // no statement ever grants "*" without the organization condition
    for (const st of doc.Statement) if (st.Principal === '*') expect(st.Condition.StringEquals['aws:PrincipalOrgID']).toBe('o-abcdefghij');
  });

  test('references the guardrail ARN attribute when built from a Guardrail', () => {
    const json = synthWith((s) => {
      const g = new Guardrail(s, 'g', { definition: fullDefinition(), resourceName: 'main' });
      new GuardrailResourcePolicy(s, 'rbp', { guardrailArn: g.guardrailArn, organizationId: 'o-abcdefghij', resourceName: 'main' });
    });
    const r = json.resource.aws_bedrock_guardrail_resource_policy.main;
    expect(r.resource_arn).toBe('${aws_bedrock_guardrail.main.guardrail_arn}');
    expect(JSON.parse(r.policy).Statement[0].Resource).toBe('${aws_bedrock_guardrail.main.guardrail_arn}');
  });

  test.each([
    [{ guardrailArn: `${ARN}:3`, organizationId: 'o-abcdefghij' }, 'props.guardrailArn must be an unversioned guardrail ARN'],
    [
      { guardrailArn: ARN, organizationId: '111111111111' },
      'props.organizationId must be an organization id like o-abcdefghij (got "111111111111")',
    ],
    [{ guardrailArn: ARN, organizationId: 'o-abcdefghij', ownAccountId: '12' }, 'props.ownAccountId must be a 12-digit account id'],
  ])('rejects bad props: %j', (props, message) => {
    expect(() =>
      synthWith((s) => {
        new GuardrailResourcePolicy(s, 'rbp', props);
      }),
    ).toThrow(message);
  });
});
