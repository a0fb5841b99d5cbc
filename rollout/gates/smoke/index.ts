/**
 * Smoke invocations: the phase's suite through Converse WITHOUT naming a guardrail (only
 * enforcement can block; requests.ts), from a stratified sample of the accounts in scope, in
 * every region. Each case is judged on the layer under test (attribution.ts): a must-block case
 * counts only when the guardrail of the release being promoted blocked it; must-pass cases that any
 * layer blocks fail the gate (overblocking); cases that cannot apply to an account are recorded as
 * skipped with the reason (settings.ts); models on the effective exclusion list must not be guarded
 * at all (excluded-models.ts).
 */
import type { SmokeCase } from '../../../model/types.js';
import type { CheckResult, GateResult } from '../../state/contracts.js';
import type { GateRunContext } from '../context.js';
import type { Gate } from '../gate.js';
import { gateResult, runAll } from '../result.js';
import { accountsForPhase, sampleAccounts } from '../scope.js';
import { loadCatalogue } from './catalogue.js';
import { ReleaseNames } from './attribution.js';
import { runCase } from './cases.js';
import { excludedModelCalls, exclusionIdChecks } from './excluded-models.js';

export async function runSmoke(ctx: GateRunContext): Promise<GateResult> {
  const settings = ctx.env.phases[ctx.phase];
  return runSmokeIn(ctx, sampleAccounts(ctx.env, accountsForPhase(ctx.env, ctx.phase), settings.sample), settings.smoke);
}

/**
 * The smoke gate over given accounts and cases instead of the phase's sample and suite: a team
 * addition (rollout/flows/team.ts) runs its own cases and the baseline's in its one account.
 */
export async function runSmokeIn(ctx: GateRunContext, accounts: string[], suite: SmokeCase[]): Promise<GateResult> {
  const startedAt = new Date();
  ctx.log?.(`smoke: ${suite.length} case(s) × ${accounts.length} account(s) × ${ctx.env.regions.length} region(s)`);
  if (!suite.length || !accounts.length) {
    return gateResult('smoke', startedAt, [
      {
        id: 'smoke:suite',
        status: 'failed',
        detail: !suite.length
          ? `phase ${ctx.phase} has no smoke cases: a gate never passes without evidence`
          : 'no account in scope to invoke from',
      },
    ]);
  }
  const tasks = accounts.flatMap((account) => ctx.env.regions.flatMap((region) => suite.map((c) => ({ c, account, region }))));
  const { catalogue, checks: catalogueChecks } = await loadCatalogue(ctx, accounts[0]!);
  const names = new ReleaseNames(ctx);
  const [caseChecks, probeChecks] = await Promise.all([
    runAll(tasks, ctx.concurrency ?? 16, ({ c, account, region }) => runCase(ctx, catalogue, c, account, region, names)),
    excludedModelCalls(ctx, accounts, suite, catalogue),
  ]);
  const idChecks = [...catalogueChecks, ...exclusionIdChecks(ctx, accounts, catalogue)];
  const checks = [...caseChecks, ...idChecks, ...probeChecks];
  const failedCases = [...new Set(caseChecks.filter((c) => c.status === 'failed').map((c) => c.id.split('@')[0]!.replace(/^smoke:/, '')))];
  const r = gateResult('smoke', startedAt, checks);
  // Say where checks beyond cases × accounts × regions come from, so the total adds up for a reader.
  const extra = checks.length - tasks.length;
  r.summary += ` (${suite.length} cases × ${accounts.length} accounts × ${ctx.env.regions.length} regions${extra > 0 ? ` + ${extra} model-catalogue and excluded-model checks` : ''})`;
  const skipped = caseChecks.filter((c) => isSkipped(c));
  if (skipped.length) {
    const which = [...new Set(skipped.map((c) => c.id.replace(/^smoke:/, '').replace(/\/[^/]+$/, '')))];
    r.summary += `; ${skipped.length} of the passed are skipped (case cannot apply to the account): ${which.slice(0, 6).join(', ')}${which.length > 6 ? ', …' : ''}`;
  }
  if (failedCases.length) r.summary += `; failed: ${failedCases.slice(0, 8).join(', ')}${failedCases.length > 8 ? ', …' : ''}`;
  const fallback = accounts.filter((a) => !ctx.access.probeChain(a));
  if (fallback.length) r.summary += `; ${smokeFallbackWarning(fallback)}`;
  return r;
}

/** What smoke invocations made with the deployment role (no probe role for the account) do not prove. */
export function smokeFallbackWarning(accounts: readonly string[]): string {
  const list = `${accounts.slice(0, 6).join(', ')}${accounts.length > 6 ? `, … (${accounts.length} accounts)` : ''}`;
  return `warning: smoke invocations made with the deployment role, not a workload identity, in ${list} (no deployment.probeRoles entry applies): identity policies of workloads are not tested`;
}

/** A smoke check recorded as skipped (status passed, evidence.skipped): the case could not apply there. */
export function isSkipped(c: CheckResult): boolean {
  return c.status === 'passed' && (c.evidence as { skipped?: unknown } | undefined)?.skipped === true;
}

export const smokeGate: Gate<GateRunContext> = { name: 'smoke', run: runSmoke };
