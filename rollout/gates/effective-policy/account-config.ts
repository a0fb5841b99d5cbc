/**
 * Pilot: `ListEnforcedGuardrailsConfiguration` in the pilot account, per region, equals the
 * account configuration the stack declares (`accountEnforcementConfig` + the published version)
 * — or, when the pilot phase has no release (phaseStacks.pilot undefined), is empty everywhere
 * but where an adopted configuration is still as it was found (ctx.adoptedConfigs).
 * Check id: `effective:account-config:<account>/<region>`.
 */
import { type AccountEnforcedGuardrailOutputConfiguration, ListEnforcedGuardrailsConfigurationCommand } from '@aws-sdk/client-bedrock';
import { canonicalJson } from '../../../core/canonical-json.js';
import { accountEnforcementConfig } from '../../../policy/index.js';
import { errorName } from '../../aws/errors.js';
import type { CheckResult } from '../../state/contracts.js';
import type { GateRunContext } from '../context.js';
import { errorCheck, runAll } from '../result.js';
import { AS_ENFORCED, shortDiff } from './expected.js';

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
    // A configuration adopted (rollout adopt) and not yet rewritten by a pilot apply stays as it was found.
    const adopted = ctx.adoptedConfigs?.find((a) => a.account === account && a.region === region);
    if (adopted)
      return left.length === 1 && left[0]!.guardrailArn === adopted.guardrailArn && left[0]!.guardrailVersion === adopted.guardrailVersion
        ? [{ id, status: 'passed', account, region, detail: 'the adopted account-level configuration is in place as it was found' }]
        : [
            {
              id,
              status: 'failed',
              account,
              region,
              detail: `the adopted account-level configuration (${adopted.guardrailArn?.split('/').pop() ?? '?'}:${adopted.guardrailVersion ?? '?'}) is not in place as it was found`,
              evidence: { expected: adopted, actual: left },
            },
          ];
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

export async function pilotChecks(ctx: GateRunContext): Promise<CheckResult[]> {
  if (!ctx.phaseStacks.pilot) return pilotRemovedChecks(ctx);
  const { env, access } = ctx;
  const base = accountEnforcementConfig(env, ctx.phaseEnforcement?.pilot);
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
    if (canonicalJson(got, AS_ENFORCED) === canonicalJson(want, AS_ENFORCED)) {
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
