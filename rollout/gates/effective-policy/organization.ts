/**
 * Org phases: `DescribeEffectivePolicy(BEDROCK_POLICY)` for EVERY account in scope equals the
 * expected effective policy (`effective:<account>`), and
 * `ListAccountsWithInvalidEffectivePolicy(BEDROCK_POLICY)` is empty (`effective:invalid…`) —
 * "validate with DescribeEffectivePolicy"
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_bedrock_best_practices.html).
 */
import {
  DescribeEffectivePolicyCommand,
  ListAccountsWithInvalidEffectivePolicyCommand,
  ListEffectivePolicyValidationErrorsCommand,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { canonicalJson } from '../../../core/canonical-json.js';
import { allItems } from '../../../core/paginate.js';
import { errorName } from '../../aws/errors.js';
import type { CheckResult, PublishedVersion } from '../../state/contracts.js';
import type { GateRunContext } from '../context.js';
import { identifiersByRelease } from '../published.js';
import { errorCheck, runAll } from '../result.js';
import { accountsForPhase } from '../scope.js';
import { AS_ENFORCED, expectedEffective, ORG_PHASES, shortDiff } from './expected.js';

/**
 * The expected effective policy per account for the org phases in ctx.phaseStacks, or the
 * failed checks that say why it cannot be computed (a release without a published version).
 * Shared with the propagation gate (rollout/gates/propagation).
 */
export async function expectedForOrg(
  ctx: GateRunContext,
): Promise<
  { expected: Map<string, Record<string, unknown> | null>; checks?: undefined } | { expected?: undefined; checks: CheckResult[] }
> {
  const { env, access } = ctx;
  const releases = ORG_PHASES.map((p) => ctx.phaseStacks[p]?.release).filter((r): r is string => !!r);
  const given: Record<string, Record<string, PublishedVersion>> = { ...(ctx.publishedByRelease ?? {}) };
  if (ctx.phase !== 'pilot') given[ctx.release] = { ...(given[ctx.release] ?? {}), ...ctx.published };
  try {
    const r = await identifiersByRelease(env, access, releases, given);
    if (r.missing.length)
      return {
        checks: r.missing.map((m) => ({
          id: `effective:published:${m.release}/${m.region}`,
          status: 'failed' as const,
          region: m.region,
          detail: `release ${m.release} has no published version in the management account in ${m.region}: the expected policy cannot be computed`,
        })),
      };
    return { expected: expectedEffective(ctx, r.identifiers) };
  } catch (err) {
    return { checks: [errorCheck('effective:published', 'looking up published versions', err)] };
  }
}

/**
 * The account's effective BEDROCK_POLICY as DescribeEffectivePolicy answers it (null: none,
 * EffectivePolicyNotFound); any other error is thrown.
 */
export async function readEffective(org: OrganizationsClient, account: string): Promise<Record<string, unknown> | null> {
  try {
    const out = await org.send(new DescribeEffectivePolicyCommand({ PolicyType: 'BEDROCK_POLICY', TargetId: account }));
    return out.EffectivePolicy?.PolicyContent ? (JSON.parse(out.EffectivePolicy.PolicyContent) as Record<string, unknown>) : null;
  } catch (err) {
    if (errorName(err) === 'EffectivePolicyNotFoundException') return null;
    throw err;
  }
}

/** Does a read effective policy equal the expected one (model lists compared as sets)? */
export const sameEffective = (got: unknown, want: unknown): boolean => canonicalJson(got, AS_ENFORCED) === canonicalJson(want, AS_ENFORCED);

export async function orgChecks(ctx: GateRunContext): Promise<CheckResult[]> {
  const { env, access } = ctx;
  const r = await expectedForOrg(ctx);
  if (!r.expected) return r.checks;
  const expected = r.expected;
  const checks: CheckResult[] = [];
  const org = access.forAccount(env.managementAccountId).organizations;
  const accounts = accountsForPhase(env, ctx.phase);
  // The propagation gate's last reads, when it ran just before (runPostApplyGates): not read twice.
  const known = ctx.effectiveReads;

  checks.push(
    ...(await runAll(accounts, ctx.concurrency ?? 16, async (account) => {
      const id = `effective:${account}`;
      const want = expected.get(account) ?? null;
      let got: Record<string, unknown> | null;
      if (known?.has(account)) got = known.get(account)!;
      else
        try {
          got = await readEffective(org, account);
        } catch (err) {
          return [errorCheck(id, 'DescribeEffectivePolicy', err, { account })];
        }
      if (sameEffective(got, want)) {
        return [
          {
            id,
            status: 'passed',
            account,
            detail: want ? 'effective policy equals the expected policy' : 'no effective policy, as expected',
          },
        ];
      }
      const detail =
        want === null
          ? 'an effective BEDROCK_POLICY reaches this account but none was expected'
          : got === null
            ? 'no effective BEDROCK_POLICY reaches this account (EffectivePolicyNotFound) but one was expected'
            : `effective policy differs from the expected one: ${shortDiff(got, want)}`;
      return [{ id, status: 'failed', account, detail, evidence: { expected: want, actual: got } }];
    })),
  );

  // Invalid effective policies anywhere in the organization (asynchronous validation by Organizations).
  try {
    const listed = await allItems(
      (NextToken) =>
        org.send(new ListAccountsWithInvalidEffectivePolicyCommand({ PolicyType: 'BEDROCK_POLICY', MaxResults: 20, NextToken })),
      (page) => page.NextToken,
      (page) => page.Accounts,
    );
    const invalid = listed.flatMap((a) => (a.Id ? [a.Id] : []));
    if (!invalid.length) {
      checks.push({
        id: 'effective:invalid-accounts',
        status: 'passed',
        detail: 'ListAccountsWithInvalidEffectivePolicy(BEDROCK_POLICY) is empty',
      });
    } else {
      for (const account of invalid.slice(0, 20)) {
        let detail = 'listed by ListAccountsWithInvalidEffectivePolicy(BEDROCK_POLICY)';
        try {
          const v = await org.send(new ListEffectivePolicyValidationErrorsCommand({ AccountId: account, PolicyType: 'BEDROCK_POLICY' }));
          const errs = (v.EffectivePolicyValidationErrors ?? []).map((e) => `${e.ErrorCode} at ${e.PathToError}: ${e.ErrorMessage}`);
          if (errs.length) detail += ` — ${errs.slice(0, 3).join('; ')}`;
        } catch {
          /* the listing alone is the evidence */
        }
        checks.push({ id: `effective:invalid:${account}`, status: 'failed', account, detail });
      }
      if (invalid.length > 20)
        checks.push({
          id: 'effective:invalid:more',
          status: 'failed',
          detail: `${invalid.length - 20} more accounts have an invalid effective policy`,
        });
    }
  } catch (err) {
    checks.push(errorCheck('effective:invalid-accounts', 'ListAccountsWithInvalidEffectivePolicy', err));
  }
  return checks;
}
