/**
 * The documented whole-organization guardrail resource policy (`aws:PrincipalOrgID`), optionally
 * narrowed to OU paths (`aws:PrincipalOrgPaths`), as tests put it on guardrails by hand.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-resource-based-policies.html
 */
export function orgSharingPolicy(arn: string, organizationId: string, paths?: string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: '*',
        Action: ['bedrock:ApplyGuardrail', 'bedrock:GetGuardrail'],
        Resource: arn,
        Condition: {
          StringEquals: { 'aws:PrincipalOrgID': organizationId },
          ...(paths ? { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': paths } } : {}),
        },
      },
    ],
  });
}
