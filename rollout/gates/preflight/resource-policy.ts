/**
 * `preflight:resource-policy@<region>` (org phases): the guardrail's resource-based policy lets
 * every member of the organization call ApplyGuardrail on it — required for organization-level
 * enforced guardrails, whose members apply a guardrail of the management account
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-resource-based-policies.html).
 */
import { GetResourcePolicyCommand } from '@aws-sdk/client-bedrock';
import { errorName } from '../../aws/errors.js';
import type { CheckResult } from '../../state/contracts.js';
import type { Check } from '../gate.js';
import { errorCheck, runAll } from '../result.js';

interface Statement {
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/**
 * Does an RBP let every organization member call ApplyGuardrail on the guardrail (or profile)?
 * The statement pattern that shares a guardrail with an organization: Principal `*`, Allow
 * `bedrock:ApplyGuardrail`, condition `aws:PrincipalOrgID`
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-resource-based-policies.html,
 * "Supported policy statement patterns").
 */
export function grantsOrganization(policyText: string, guardrailArn: string, organizationId: string): { ok: boolean; why: string } {
  let doc: { Statement?: Statement | Statement[] };
  try {
    doc = JSON.parse(policyText) as typeof doc;
  } catch {
    return { ok: false, why: 'the resource policy is not valid JSON' };
  }
  const stmts = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  const arr = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(String);
  for (const s of stmts) {
    if (s.Effect !== 'Allow') continue;
    if (!(s.Principal === '*' || arr((s.Principal as { AWS?: unknown })?.AWS).includes('*'))) continue;
    if (!arr(s.Action).some((a) => a === 'bedrock:ApplyGuardrail' || a === 'bedrock:*')) continue;
    if (!arr(s.Resource).some((r) => r === guardrailArn || r === '*')) continue;
    const cond = s.Condition ?? {};
    const orgIds = arr(cond.StringEquals?.['aws:PrincipalOrgID']);
    const paths = arr(cond['ForAnyValue:StringLike']?.['aws:PrincipalOrgPaths']);
    if (orgIds.includes(organizationId) && paths.length === 0)
      return { ok: true, why: `Allow ApplyGuardrail to aws:PrincipalOrgID ${organizationId}` };
  }
  return {
    ok: false,
    why: `no statement allows bedrock:ApplyGuardrail on ${guardrailArn} to the organization ${organizationId} (aws:PrincipalOrgID)`,
  };
}

export const resourcePolicyCheck: Check = {
  ids: ['preflight:resource-policy'],
  run: async (ctx) => {
    if (ctx.phase === 'pilot') return []; // account-level: callers are in the guardrail's own account
    const entries = Object.values(ctx.published);
    return runAll(entries, ctx.concurrency ?? 16, async (p): Promise<CheckResult[]> => {
      const id = `preflight:resource-policy@${p.region}`;
      const none: CheckResult[] = [
        {
          id,
          status: 'failed',
          account: p.account,
          region: p.region,
          detail: `guardrail ${p.guardrailArn} has no resource-based policy: members would get AccessDenied on every inference call`,
        },
      ];
      try {
        const out = await ctx.access
          .forAccount(p.account, p.region)
          .bedrock.send(new GetResourcePolicyCommand({ resourceArn: p.guardrailArn }));
        if (!out.resourcePolicy) return none;
        const g = grantsOrganization(out.resourcePolicy, p.guardrailArn, ctx.env.organizationId);
        return [
          {
            id,
            status: g.ok ? 'passed' : 'failed',
            account: p.account,
            region: p.region,
            detail: g.ok ? g.why : `${g.why}: members would get AccessDenied on every inference call`,
          },
        ];
      } catch (err) {
        if (errorName(err) === 'ResourceNotFoundException') return none;
        return [errorCheck(id, 'GetResourcePolicy', err, { account: p.account, region: p.region })];
      }
    });
  },
};
