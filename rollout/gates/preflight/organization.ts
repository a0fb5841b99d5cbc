/**
 * The organization the phase lands in:
 *   `preflight:policy-type` (org phases) — BEDROCK_POLICY is ENABLED on the root (ListRoots);
 *   `preflight:drift[:<policy>]` — with a record of the last applies (`ctx.recorded`): live
 *     policies and account-level configurations equal what was recorded, nothing unrecorded is
 *     in place (drift by content, drift.ts); without one (nothing applied yet): no BEDROCK_POLICY
 *     this project did not generate is attached (ListPolicies + ListTargetsForPolicy +
 *     `isManagedPolicy`, by name and description);
 *   `preflight:exception:<id>` — every exception targets an account or OU of the organization,
 *     and an expired one is not in force through an attached policy of ours (the enterprise
 *     phase looks at what will be in force after this apply: docs/gates.md, "Expired exceptions").
 */
import { ListPoliciesCommand, ListRootsCommand, ListTargetsForPolicyCommand, type PolicySummary } from '@aws-sdk/client-organizations';
import { isExceptionPolicy, isManagedPolicy } from '../../../core/naming.js';
import { allItems } from '../../../core/paginate.js';
import { exceptionStatus } from '../../../model/exceptions.js';
import { kindOf } from '../../../model/org.js';
import { errorName } from '../../aws/errors.js';
import type { CheckResult } from '../../state/contracts.js';
import type { GateRunContext } from '../context.js';
import type { Check } from '../gate.js';
import { errorCheck, runAll } from '../result.js';
import { recordedDriftChecks } from './drift.js';

function listBedrockPolicies(ctx: GateRunContext): Promise<PolicySummary[]> {
  const org = ctx.access.forAccount(ctx.env.managementAccountId).organizations;
  return allItems(
    (NextToken) => org.send(new ListPoliciesCommand({ Filter: 'BEDROCK_POLICY', NextToken })),
    (page) => page.NextToken,
    (page) => page.Policies,
  );
}

async function targetsOf(ctx: GateRunContext, policyId: string): Promise<string[]> {
  const org = ctx.access.forAccount(ctx.env.managementAccountId).organizations;
  const targets = await allItems(
    (NextToken) => org.send(new ListTargetsForPolicyCommand({ PolicyId: policyId, NextToken })),
    (page) => page.NextToken,
    (page) => page.Targets,
  );
  return targets.flatMap((t) => (t.TargetId ? [t.TargetId] : []));
}

async function organizationChecks(ctx: GateRunContext): Promise<CheckResult[]> {
  const { env, access } = ctx;
  const checks: CheckResult[] = [];
  const orgPhase = ctx.phase !== 'pilot';
  try {
    const roots = await access.forAccount(env.managementAccountId).organizations.send(new ListRootsCommand({}));
    const root = roots.Roots?.find((r) => r.Id === env.organization.root.id) ?? roots.Roots?.[0];
    const t = root?.PolicyTypes?.find((x) => x.Type === 'BEDROCK_POLICY');
    if (orgPhase) {
      checks.push(
        t?.Status === 'ENABLED'
          ? { id: 'preflight:policy-type', status: 'passed', detail: `BEDROCK_POLICY is ENABLED on ${root?.Id}` }
          : {
              id: 'preflight:policy-type',
              status: 'failed',
              detail: `BEDROCK_POLICY is ${t?.Status ?? 'not enabled'} on ${root?.Id ?? 'the root'}: enable it (EnablePolicyType) and wait for ENABLED before attaching`,
            },
      );
    }
  } catch (err) {
    if (orgPhase) checks.push(errorCheck('preflight:policy-type', 'ListRoots', err));
  }

  // With a record of the last applies, drift is judged by content (drift.ts, run beside this).
  const byContent = ctx.recorded !== undefined;

  let policies: PolicySummary[];
  try {
    policies = await listBedrockPolicies(ctx);
  } catch (err) {
    if (errorName(err) === 'PolicyTypeNotEnabledException' && !orgPhase) {
      if (!byContent)
        checks.push({
          id: 'preflight:drift',
          status: 'passed',
          detail: 'BEDROCK_POLICY is not enabled: no organization policy can be attached',
        });
      return checks;
    }
    if (!byContent) checks.push(errorCheck('preflight:drift', 'ListPolicies(BEDROCK_POLICY)', err));
    checks.push(errorCheck('preflight:exceptions', 'ListPolicies(BEDROCK_POLICY)', err));
    return checks;
  }

  const attached = new Map<string, string[]>();
  const targetErrors: CheckResult[] = [];
  await runAll(policies, ctx.concurrency ?? 16, async (p) => {
    try {
      attached.set(p.Id!, await targetsOf(ctx, p.Id!));
    } catch (err) {
      targetErrors.push(errorCheck(`preflight:targets:${p.Id}`, `ListTargetsForPolicy ${p.Id}`, err));
    }
    return [];
  });
  checks.push(...targetErrors);

  // Without a record (nothing applied yet, so a first rollout works): name and description decide.
  const foreign = policies.filter((p) => !isManagedPolicy(p.Name, p.Description));
  const foreignAttached = foreign.filter((p) => (attached.get(p.Id!) ?? []).length > 0);
  if (!targetErrors.length && !byContent) {
    if (!foreignAttached.length) {
      checks.push({
        id: 'preflight:drift',
        status: 'passed',
        detail: `no BEDROCK_POLICY attached that guardrail-rollout did not generate (${policies.length - foreign.length} managed${foreign.length ? `, ${foreign.length} unmanaged but unattached` : ''})`,
      });
    }
    for (const p of foreignAttached) {
      checks.push({
        id: `preflight:drift:${p.Id}`,
        status: 'failed',
        detail: `BEDROCK_POLICY ${p.Id} "${p.Name}" was not generated by guardrail-rollout but is attached to ${attached.get(p.Id!)!.join(', ')} (drift or tampering: it changes the effective policy)`,
      });
    }
  }

  // Exceptions: valid target, and an expired one must not stay in force through an attached
  // policy of ours. The enterprise apply is what removes such a policy (the builder drops expired
  // exceptions), so for that phase the question is what will be in force AFTER this apply.
  for (const e of env.exceptions) {
    const id = `preflight:exception:${e.id}`;
    if (!kindOf(env, e.target)) {
      checks.push({
        id,
        status: 'failed',
        detail: `exception ${e.id} targets ${e.target}, which is not an account or OU of the organization`,
      });
      continue;
    }
    const status = exceptionStatus(e, ctx.asOf);
    if (status !== 'expired') {
      checks.push({ id, status: 'passed', detail: `exception ${e.id} on ${e.target} is valid until ${e.expires}` });
      continue;
    }
    const inForce = policies.filter(
      (p) =>
        isManagedPolicy(p.Name, p.Description) && isExceptionPolicy(e.id, p.Name, p.Description) && (attached.get(p.Id!) ?? []).length > 0,
    );
    if (!inForce.length) {
      checks.push({
        id,
        status: 'passed',
        detail: `exception ${e.id} expired on ${e.expires} and is not in force (remove it from the environment file)`,
      });
      continue;
    }
    const policyIds = inForce.map((p) => p.Id).join(', ');
    const targets = [...new Set(inForce.flatMap((p) => attached.get(p.Id!) ?? []))].join(', ');
    const stillApplies = `exception ${e.id} expired on ${e.expires} but policy ${policyIds} still applies it to ${targets}`;
    if (ctx.phase === 'enterprise') {
      const kept = ctx.plannedPolicies?.filter((p) => isExceptionPolicy(e.id, p.name, p.description));
      checks.push(
        !kept
          ? {
              id,
              status: 'failed',
              detail: `${stillApplies}, and this preflight was not given the policies of the enterprise stack being applied (plannedPolicies), so it cannot show that this apply removes it`,
            }
          : kept.length
            ? {
                id,
                status: 'failed',
                detail: `${stillApplies}, and the enterprise stack being applied keeps it (${kept.map((p) => p.name).join(', ')}): it was synthesized as of a date on which the exception was active — synthesize as of today (drop --as-of) or renew the exception`,
              }
            : {
                id,
                status: 'passed',
                detail: `exception ${e.id} expired; its policy ${policyIds} is removed by this apply (detached from ${targets})`,
              },
      );
    } else {
      // Nothing new is rolled out on top of an organization that is out of policy.
      const rel = ctx.phaseStacks.enterprise?.release;
      const how = rel
        ? `\`rollout promote enterprise --release ${rel}\`, the release it runs`
        : '`rollout promote enterprise` with the release it runs';
      checks.push({ id, status: 'failed', detail: `${stillApplies}; re-apply the enterprise phase (${how}) or renew the exception` });
    }
  }
  return checks;
}

export const organizationCheck: Check = {
  ids: ['preflight:policy-type', 'preflight:targets', 'preflight:drift', 'preflight:exceptions', 'preflight:exception'],
  run: async (ctx) => {
    const [org, drift] = await Promise.all([organizationChecks(ctx), ctx.recorded ? recordedDriftChecks(ctx, ctx.recorded) : []]);
    return [...org, ...drift];
  },
};
