/**
 * Resource-based policy on a guardrail so that principals of THIS organization (and only
 * them) may evaluate it: the access organization-level enforcement needs, nothing broader.
 * Only the documented statement patterns are generated (docs/aws-facts.md#supported-statement-patterns):
 *   (b) Principal "*" + StringEquals aws:PrincipalOrgID = <organization id>
 *   (a) optionally, the owning account itself.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-resource-based-policies.html
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { BedrockGuardrailResourcePolicy } from '../bindings/guardrail-resource-policy.js';
import { PATTERNS, PropChecker } from '../props.js';

/** The only two actions a guardrail RBP supports, and all enforcement needs. */
export const GUARDRAIL_RBP_ACTIONS = ['bedrock:ApplyGuardrail', 'bedrock:GetGuardrail'] as const;

export interface GuardrailPolicyDocument {
  Version: '2012-10-17';
  Statement: Array<{
    Effect: 'Allow';
    Principal: '*' | { AWS: string };
    Action: string[];
    Resource: string;
    Condition?: { StringEquals: { 'aws:PrincipalOrgID': string } };
  }>;
}

/** Pure: the policy document for a guardrail ARN (unversioned; tokens allowed). */
export function guardrailResourcePolicyDocument(
  guardrailArn: string,
  organizationId: string,
  ownAccountId?: string,
): GuardrailPolicyDocument {
  const statements: GuardrailPolicyDocument['Statement'] = [
    {
      Effect: 'Allow',
      Principal: '*',
      Action: [...GUARDRAIL_RBP_ACTIONS],
      Resource: guardrailArn,
      Condition: { StringEquals: { 'aws:PrincipalOrgID': organizationId } },
    },
  ];
  if (ownAccountId) {
    statements.push({
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ownAccountId}:root` },
      Action: [...GUARDRAIL_RBP_ACTIONS],
      Resource: guardrailArn,
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}

export interface GuardrailResourcePolicyProps {
  /** Unversioned guardrail ARN (usually `guardrail.guardrailArn`). */
  readonly guardrailArn: string;
  /** `o-…` id of the organization whose members may evaluate the guardrail. */
  readonly organizationId: string;
  /** Also allow the owning account (statement pattern (a)). Default: not added. */
  readonly ownAccountId?: string;
  readonly provider?: TerraformProvider;
  /** Terraform logical name of the resource; default derived from the construct path. */
  readonly resourceName?: string;
}

export class GuardrailResourcePolicy extends Construct {
  readonly resource: BedrockGuardrailResourcePolicy;
  readonly document: GuardrailPolicyDocument;

  constructor(scope: Construct, id: string, props: GuardrailResourcePolicyProps) {
    super(scope, id);
    const check: PropChecker = new PropChecker('GuardrailResourcePolicy', scope, id);
    check.string('guardrailArn', props.guardrailArn, {
      pattern: PATTERNS.guardrailArn,
      patternText: 'an unversioned guardrail ARN (arn:aws:bedrock:<region>:<account>:guardrail/<id>)',
    });
    check.string('organizationId', props.organizationId, {
      pattern: PATTERNS.organizationId,
      patternText: 'an organization id like o-abcdefghij',
    });
    if (props.ownAccountId !== undefined)
      check.string('ownAccountId', props.ownAccountId, { pattern: PATTERNS.accountId, patternText: 'a 12-digit account id' });

    this.document = guardrailResourcePolicyDocument(props.guardrailArn, props.organizationId, props.ownAccountId);
    this.resource = new BedrockGuardrailResourcePolicy(this, 'policy', {
      resourceArn: props.guardrailArn,
      policy: JSON.stringify(this.document),
      provider: props.provider,
    });
    if (props.resourceName) this.resource.overrideLogicalId(props.resourceName);
  }
}
