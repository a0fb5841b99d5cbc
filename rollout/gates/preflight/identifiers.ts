/**
 * `preflight:published@<region>`: the release is published in every region as a numeric
 * version, owned where it must be (org phases: the management account), its ARN's region the
 * region it is configured for.
 */
import { GUARDRAIL_ARN_PATTERN, GUARDRAIL_VERSION_PATTERN } from '../../../core/patterns.js';
import type { CheckResult } from '../../state/contracts.js';
import type { GateRunContext } from '../context.js';
import type { Check } from '../gate.js';
import { identifierOf } from '../published.js';

function publishedChecks(ctx: GateRunContext): CheckResult[] {
  const out: CheckResult[] = [];
  for (const region of ctx.env.regions) {
    const id = `preflight:published@${region}`;
    const p = ctx.published[region];
    if (!p) {
      out.push({ id, status: 'failed', region, detail: `release ${ctx.release} has no published guardrail version in ${region}` });
      continue;
    }
    if (!GUARDRAIL_VERSION_PATTERN.test(p.version)) {
      out.push({
        id,
        status: 'failed',
        account: p.account,
        region,
        detail: `version "${p.version}" is not a published numeric version (DRAFT cannot be enforced)`,
      });
      continue;
    }
    const m = GUARDRAIL_ARN_PATTERN.exec(p.guardrailArn);
    const problems: string[] = [];
    if (!m) problems.push(`"${p.guardrailArn}" is not an unversioned guardrail ARN`);
    else {
      if (m[1] !== region)
        problems.push(
          `guardrail ARN region ${m[1]} does not match the configuration region ${region} (a guardrail is used only in its own region)`,
        );
      if (m[2] !== p.account) problems.push(`guardrail ARN account ${m[2]} is not the publishing account ${p.account}`);
      if (ctx.phase !== 'pilot' && m[2] !== ctx.env.managementAccountId)
        problems.push(
          `an organization policy may only reference a guardrail of the management account ${ctx.env.managementAccountId}, not ${m[2]}`,
        );
      if (m[3] !== p.guardrailId) problems.push(`guardrail id ${p.guardrailId} does not match the ARN (${m[3]})`);
    }
    out.push(
      problems.length
        ? { id, status: 'failed', account: p.account, region, detail: problems.join('; ') }
        : { id, status: 'passed', account: p.account, region, detail: `published as ${identifierOf(p)}` },
    );
  }
  return out;
}

export const identifiersCheck: Check = {
  ids: ['preflight:published'],
  run: async (ctx) => publishedChecks(ctx),
};
