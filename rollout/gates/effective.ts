/**
 * Effective-policy verification.
 * Org phases: DescribeEffectivePolicy(BEDROCK_POLICY) for EVERY account in scope equals the
 * policy engine's expected effective policy (all org phases' recorded releases), and
 * ListAccountsWithInvalidEffectivePolicy(BEDROCK_POLICY) is empty
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_bedrock_best_practices.html:
 * "validate with DescribeEffectivePolicy").
 * Pilot: ListEnforcedGuardrailsConfiguration in the pilot account, per region, equals the
 * account configuration the stack declares (accountEnforcementConfig + published version) —
 * or, when the pilot phase has no release (phaseStacks.pilot undefined), is empty everywhere.
 */
import { type AccountEnforcedGuardrailOutputConfiguration, ListEnforcedGuardrailsConfigurationCommand } from '@aws-sdk/client-bedrock';
import {
  DescribeEffectivePolicyCommand,
  ListAccountsWithInvalidEffectivePolicyCommand,
  ListEffectivePolicyValidationErrorsCommand,
} from '@aws-sdk/client-organizations';
import diff from 'microdiff';
import type { Phase } from '../../model/types.js';
import { accountEnforcementConfig, buildPhasePolicies, effectivePolicies, orgSnapshotOf, type OrgSnapshot } from '../../policy/index.js';
import { errorName } from '../aws/errors.js';
import type { CheckResult, GateResult } from '../state/contracts.js';
import { canonicalSorted, errorCheck, gateResult, runAll, type GateRunContext } from './common.js';
import { identifiersByRelease } from './published.js';
import { accountsForPhase } from './scope.js';

const ORG_PHASES: Phase[] = ['model-rules', 'ou', 'enterprise'];

/** Expected effective policy per account for the org phases recorded in phaseStacks. */
export function expectedEffective(
  ctx: Pick<GateRunContext, 'env' | 'asOf' | 'phaseStacks'>,
  identifiers: Record<string, Record<string, string>>,
): Map<string, Record<string, unknown> | null> {
  const { env } = ctx;
  const policies: OrgSnapshot['policies'] = [];
  for (const phase of ORG_PHASES) {
    const rel = ctx.phaseStacks[phase]?.release;
    if (!rel) continue;
    for (const spec of buildPhasePolicies({ env, phase, identifiers: identifiers[rel] ?? {}, asOf: ctx.asOf, release: rel })) {
      policies.push({ id: `${phase}/${spec.key}`, content: spec.content, targets: spec.targets });
    }
  }
  const out = new Map<string, Record<string, unknown> | null>();
  for (const [id, r] of effectivePolicies(orgSnapshotOf(env, policies))) out.set(id, r.policy);
  return out;
}

function shortDiff(actual: unknown, expected: unknown): string {
  const a = JSON.parse(canonicalSorted(actual ?? {})) as Record<string, unknown>;
  const e = JSON.parse(canonicalSorted(expected ?? {})) as Record<string, unknown>;
  const d = diff(e, a)
    .slice(0, 4)
    .map((x) => {
      const p = x.path.join('.');
      if (x.type === 'CHANGE') return `${p}: expected ${JSON.stringify(x.oldValue)}, got ${JSON.stringify(x.value)}`;
      if (x.type === 'CREATE') return `${p}: unexpected ${JSON.stringify(x.value)}`;
      return `${p}: missing (expected ${JSON.stringify(x.oldValue)})`;
    });
  return d.join('; ');
}

async function orgChecks(ctx: GateRunContext): Promise<CheckResult[]> {
  const { env, access } = ctx;
  const releases = ORG_PHASES.map((p) => ctx.phaseStacks[p]?.release).filter((r): r is string => !!r);
  const given: Record<string, Record<string, import('../state/contracts.js').PublishedVersion>> = { ...(ctx.publishedByRelease ?? {}) };
  if (ctx.phase !== 'pilot') given[ctx.release] = { ...(given[ctx.release] ?? {}), ...ctx.published };
  let identifiers: Record<string, Record<string, string>>;
  const checks: CheckResult[] = [];
  try {
    const r = await identifiersByRelease(env, access, releases, given);
    identifiers = r.identifiers;
    for (const m of r.missing) {
      checks.push({
        id: `effective:published:${m.release}/${m.region}`,
        status: 'failed',
        region: m.region,
        detail: `release ${m.release} has no published version in the management account in ${m.region}: the expected policy cannot be computed`,
      });
    }
    if (r.missing.length) return checks;
  } catch (err) {
    return [errorCheck('effective:published', 'looking up published versions', err)];
  }
  const expected = expectedEffective(ctx, identifiers);
  const org = access.forAccount(env.managementAccountId).organizations;
  const accounts = accountsForPhase(env, ctx.phase);

  checks.push(
    ...(await runAll(accounts, ctx.concurrency ?? 16, async (account) => {
      const id = `effective:${account}`;
      const want = expected.get(account) ?? null;
      let got: Record<string, unknown> | null;
      try {
        const out = await org.send(new DescribeEffectivePolicyCommand({ PolicyType: 'BEDROCK_POLICY', TargetId: account }));
        got = out.EffectivePolicy?.PolicyContent ? (JSON.parse(out.EffectivePolicy.PolicyContent) as Record<string, unknown>) : null;
      } catch (err) {
        if (errorName(err) === 'EffectivePolicyNotFoundException') got = null;
        else return [errorCheck(id, 'DescribeEffectivePolicy', err, { account })];
      }
      if (canonicalSorted(got) === canonicalSorted(want)) {
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
    const invalid: string[] = [];
    let NextToken: string | undefined;
    do {
      const out = await org.send(
        new ListAccountsWithInvalidEffectivePolicyCommand({ PolicyType: 'BEDROCK_POLICY', MaxResults: 20, NextToken }),
      );
      for (const a of out.Accounts ?? []) if (a.Id) invalid.push(a.Id);
      NextToken = out.NextToken || undefined;
    } while (NextToken);
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

/**
 * Pilot without a release (rolled back to nothing, or never promoted): no account-level enforced
 * configuration may be left in the pilot account, in any region.
 */
async function pilotRemovedChecks(ctx: GateRunContext): Promise<CheckResult[]> {
  const { env, access } = ctx;
  const account = env.pilot.account;
  return runAll(env.regions, ctx.concurrency ?? 16, async (region) => {
    const id = `effective:account-config:${account}/${region}`;
    let left: { guardrailId?: string; guardrailArn?: string; guardrailVersion?: string }[] = [];
    try {
      const out = await access.forAccount(account, region).bedrock.send(new ListEnforcedGuardrailsConfigurationCommand({}));
      left = out.guardrailsConfig ?? [];
    } catch (err) {
      if (errorName(err) !== 'ResourceNotFoundException')
        return [errorCheck(id, 'ListEnforcedGuardrailsConfiguration', err, { account, region })];
    }
    if (!left.length)
      return [
        {
          id,
          status: 'passed',
          account,
          region,
          detail: 'no account-level enforced configuration, as expected: the pilot phase has no release',
        },
      ];
    const what = left.map((c) => `${c.guardrailId ?? c.guardrailArn?.split('/').pop() ?? '?'}:${c.guardrailVersion ?? '?'}`).join(', ');
    return [
      {
        id,
        status: 'failed',
        account,
        region,
        detail: `an account-level enforced configuration is still in place (${what}) although the pilot phase has no release`,
        evidence: { expected: null, actual: left },
      },
    ];
  });
}

async function pilotChecks(ctx: GateRunContext): Promise<CheckResult[]> {
  if (!ctx.phaseStacks.pilot) return pilotRemovedChecks(ctx);
  const { env, access } = ctx;
  const base = accountEnforcementConfig(env);
  const account = env.pilot.account;
  return runAll(env.regions, ctx.concurrency ?? 16, async (region) => {
    const id = `effective:account-config:${account}/${region}`;
    const pub = ctx.published[region];
    if (!pub) return [{ id, status: 'failed', account, region, detail: `release ${ctx.release} has no published version in ${region}` }];
    let cfg: AccountEnforcedGuardrailOutputConfiguration | undefined;
    try {
      const out = await access.forAccount(account, region).bedrock.send(new ListEnforcedGuardrailsConfigurationCommand({}));
      cfg = out.guardrailsConfig?.[0];
    } catch (err) {
      if (errorName(err) !== 'ResourceNotFoundException')
        return [errorCheck(id, 'ListEnforcedGuardrailsConfiguration', err, { account, region })];
    }
    if (!cfg)
      return [{ id, status: 'failed', account, region, detail: 'no account-level enforced guardrail configuration in this region' }];
    const want = {
      guardrailId: pub.guardrailId,
      guardrailVersion: pub.version,
      selectiveContentGuarding: base.selectiveContentGuarding,
      modelEnforcement: base.modelEnforcement,
    };
    const got = {
      guardrailId: cfg.guardrailId ?? cfg.guardrailArn?.split('/').pop(),
      guardrailVersion: cfg.guardrailVersion,
      selectiveContentGuarding: {
        system: cfg.selectiveContentGuarding?.system ?? 'COMPREHENSIVE',
        messages: cfg.selectiveContentGuarding?.messages ?? 'COMPREHENSIVE',
      },
      modelEnforcement: cfg.modelEnforcement
        ? { includedModels: cfg.modelEnforcement.includedModels ?? [], excludedModels: cfg.modelEnforcement.excludedModels ?? [] }
        : { includedModels: ['ALL'], excludedModels: [] },
    };
    if (canonicalSorted(got) === canonicalSorted(want)) {
      return [
        {
          id,
          status: 'passed',
          account,
          region,
          detail: `enforced configuration is ${pub.guardrailId}:${pub.version} with the declared guarding and model rules`,
        },
      ];
    }
    return [
      {
        id,
        status: 'failed',
        account,
        region,
        detail: `enforced configuration differs: ${shortDiff(got, want)}`,
        evidence: { expected: want, actual: got },
      },
    ];
  });
}

export async function runEffectivePolicyCheck(ctx: GateRunContext): Promise<GateResult> {
  const startedAt = new Date();
  const checks = ctx.phase === 'pilot' ? await pilotChecks(ctx) : await orgChecks(ctx);
  return gateResult('effective-policy', startedAt, checks);
}
