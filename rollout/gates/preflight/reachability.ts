/**
 * `preflight:apply-guardrail@<account>/<region>`: identities in scope can evaluate the
 * guardrail BEFORE enforcement is on. Once a guardrail is enforced, every Invoke or Converse
 * caller without permission to apply it fails with AccessDenied, so AWS recommends checking
 * that ApplyGuardrail works from the accounts it will be enforced on first
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-resource-based-policies.html).
 * `preflight:apply-guardrail` fails when the phase has no account to call from.
 */
import { ApplyGuardrailCommand } from '@aws-sdk/client-bedrock-runtime';
import { GUARDRAIL_VERSION_PATTERN } from '../../../core/patterns.js';
import { classifyError, describeError } from '../../aws/errors.js';
import type { CheckResult, PublishedVersion } from '../../state/contracts.js';
import type { GateRunContext } from '../context.js';
import type { Check } from '../gate.js';
import { identifierOf } from '../published.js';
import { errorCheck, runAll } from '../result.js';
import { accountsForPhase, sampleAccounts } from '../scope.js';

async function applyGuardrailChecks(ctx: GateRunContext): Promise<CheckResult[]> {
  const settings = ctx.env.phases[ctx.phase];
  const accounts = sampleAccounts(ctx.env, accountsForPhase(ctx.env, ctx.phase), settings.sample);
  if (!accounts.length) {
    // No identity could be tried: the check did not run, which is a failure, not a pass.
    return [
      {
        id: 'preflight:apply-guardrail',
        status: 'failed',
        detail: `no account in scope of ${ctx.phase} to call ApplyGuardrail from: nothing shows that enforcement cannot cause AccessDenied`,
      },
    ];
  }
  const tasks = accounts.flatMap((account) =>
    Object.values(ctx.published)
      .filter((p) => GUARDRAIL_VERSION_PATTERN.test(p.version))
      .map((p) => ({ account, p })),
  );
  return runAll(tasks, ctx.concurrency ?? 16, async ({ account, p }: { account: string; p: PublishedVersion }) => {
    const id = `preflight:apply-guardrail@${account}/${p.region}`;
    try {
      const out = await ctx.access.forAccount(account, p.region).runtime.send(
        new ApplyGuardrailCommand({
          guardrailIdentifier: p.guardrailArn,
          guardrailVersion: p.version,
          source: 'INPUT',
          content: [{ text: { text: 'guardrail-rollout preflight: can this identity evaluate the guardrail?' } }],
        }),
      );
      return [
        {
          id,
          status: 'passed',
          account,
          region: p.region,
          detail: `ApplyGuardrail on ${identifierOf(p)} succeeded (action ${out.action})`,
        },
      ];
    } catch (err) {
      if (classifyError(err) === 'denied') {
        return [
          {
            id,
            status: 'failed',
            account,
            region: p.region,
            detail: `ApplyGuardrail on ${identifierOf(p)} was denied: once enforced, every inference call from this account would fail with AccessDenied (${describeError(err)})`,
          },
        ];
      }
      return [errorCheck(id, `ApplyGuardrail on ${identifierOf(p)}`, err, { account, region: p.region })];
    }
  });
}

export const reachabilityCheck: Check = {
  ids: ['preflight:apply-guardrail'],
  run: applyGuardrailChecks,
};
