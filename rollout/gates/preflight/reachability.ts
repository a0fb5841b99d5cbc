/**
 * `preflight:apply-guardrail@<account>/<region>`: identities in scope can evaluate the
 * guardrail BEFORE enforcement is on. Once a guardrail is enforced, every Invoke or Converse
 * caller without permission to apply it fails with AccessDenied, so AWS recommends checking
 * that ApplyGuardrail works from the accounts it will be enforced on first
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-resource-based-policies.html).
 * `preflight:apply-guardrail` fails when the phase has no account to call from.
 *
 * The call is made as the account's workload identity: its probe role (`deployment.probeRoles`,
 * assumed from the deployment role's session: rollout/aws/clients.ts forWorkload). A caller needs
 * BOTH the guardrail's resource-based policy AND an identity policy allowing bedrock:ApplyGuardrail
 * (docs/aws-facts.md#supported-statement-patterns); the deployment role, an administrator, proves
 * only the first. An account without a probe role is checked with the deployment role and the
 * check passes with a warning saying what that does not prove (PROBE_FALLBACK_WARNING; the gate
 * summary repeats it: preflight/index.ts).
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

/** What a pass with the deployment role does not prove (check detail and gate summary). */
export const PROBE_FALLBACK_WARNING =
  'ApplyGuardrail reachability proven with the deployment role, not a workload identity: identity policies of workloads are not tested';

/** Evidence of who made the call: the probe role, or the deployment role as a fallback. */
export interface CallerEvidence {
  identity: string;
  probeRole: boolean;
}

/**
 * The warning of a gate whose checks fell back to the deployment role (evidence.probeRole false),
 * naming the accounts; undefined when every call was made as a probe role.
 */
export function probeFallbackWarning(checks: readonly CheckResult[], warning = PROBE_FALLBACK_WARNING): string | undefined {
  const accounts = [
    ...new Set(
      checks.filter((c) => (c.evidence as Partial<CallerEvidence> | undefined)?.probeRole === false && c.account).map((c) => c.account!),
    ),
  ];
  if (!accounts.length) return undefined;
  const list = `${accounts.slice(0, 6).join(', ')}${accounts.length > 6 ? `, … (${accounts.length} accounts)` : ''}`;
  return `warning: ${warning} in ${list} (no deployment.probeRoles entry applies)`;
}

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
    const w = ctx.access.forWorkload(account, p.region);
    const evidence: CallerEvidence = { identity: w.probeRole ?? w.deploymentRole, probeRole: w.probeRole !== undefined };
    const as = w.probeRole ? ` as probe role ${w.probeRole}` : '';
    try {
      const out = await w.runtime.send(
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
          detail: w.probeRole
            ? `ApplyGuardrail on ${identifierOf(p)}${as} succeeded (action ${out.action})`
            : `ApplyGuardrail on ${identifierOf(p)} succeeded (action ${out.action}); warning: ${PROBE_FALLBACK_WARNING} (no probe role for ${account}; called as ${w.deploymentRole})`,
          evidence,
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
            detail: w.probeRole
              ? `ApplyGuardrail on ${identifierOf(p)}${as} was denied: once enforced, workloads in ${account} using ${w.probeRole} would fail with AccessDenied — does the role have an identity policy allowing bedrock:ApplyGuardrail, and does it trust ${w.deploymentRole}? (${describeError(err)})`
              : `ApplyGuardrail on ${identifierOf(p)} was denied: once enforced, every inference call from this account would fail with AccessDenied (${describeError(err)})`,
            evidence,
          },
        ];
      }
      return [{ ...errorCheck(id, `ApplyGuardrail on ${identifierOf(p)}${as}`, err, { account, region: p.region }), evidence }];
    }
  });
}

export const reachabilityCheck: Check = {
  ids: ['preflight:apply-guardrail'],
  run: applyGuardrailChecks,
};
