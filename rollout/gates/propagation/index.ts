/**
 * Propagation, the first post-apply gate: waits until what was just applied is in force before
 * the smoke gate judges it. We know of no published figure for how long a BEDROCK_POLICY change
 * (or an account-level enforced configuration) takes to reach an account, so the gate polls with
 * back-off (0.25 s, doubling, at most 5 s between rounds) until
 *   - org phases: `DescribeEffectivePolicy` of every account in scope equals the expected
 *     effective policy (the effective-policy gate's own expectation, expectedForOrg);
 *   - pilot: the pilot account's `ListEnforcedGuardrailsConfiguration` equals the stack's
 *     configuration in every region (the effective-policy gate's pilotChecks);
 * or until `phases.<phase>.propagationTimeout` (default 5m) has passed: then it is
 * inconclusive (never passed) and names the accounts that had not caught up.
 *
 * Cost: a round reads only what had not caught up; when everything is in force at the first
 * read it is one round of reads, and those reads are handed to the effective-policy gate
 * (ctx.effectiveReads) so no account is read twice. Check ids: `propagation:all` (passed),
 * `propagation:<account>` or `propagation:account-config:<account>/<region>` (not caught up),
 * `propagation:timeout`, `propagation:expected` (the expected policy could not be computed).
 */
import pLimit from 'p-limit';
import { classifyError } from '../../aws/errors.js';
import type { CheckResult, GateResult } from '../../state/contracts.js';
import type { GateRunContext } from '../context.js';
import { pilotChecks } from '../effective-policy/account-config.js';
import { shortDiff } from '../effective-policy/expected.js';
import { expectedForOrg, readEffective, sameEffective } from '../effective-policy/organization.js';
import type { Gate } from '../gate.js';
import { errorCheck, gateResult } from '../result.js';
import { accountsForPhase } from '../scope.js';

import { DEFAULT_PROPAGATION_TIMEOUT_SECONDS } from './timeout.js';

export { DEFAULT_PROPAGATION_TIMEOUT_SECONDS };
export const FIRST_WAIT_MS = 250;
export const MAX_WAIT_MS = 5_000;
/** Lagging accounts listed one check each (the rest are counted in `propagation:timeout`). */
const MAX_LISTED = 50;

/** One thing polled (an account, or the pilot account in a region), after a read. */
type Outcome =
  | { key: string; state: 'in-force' }
  | { key: string; state: 'lagging'; detail: string }
  | { key: string; state: 'error'; check: CheckResult };

interface Probe {
  /** What "caught up" means, for messages: "accounts", "regions of the pilot account". */
  noun: string;
  keys: string[];
  /** Reads the keys given (those not caught up yet). */
  round(keys: readonly string[]): Promise<Outcome[]>;
  /** Check id of a key. */
  idOf(key: string): string;
  where(key: string): { account?: string; region?: string };
}

function orgProbe(ctx: GateRunContext, expected: Map<string, Record<string, unknown> | null>): Probe {
  const org = ctx.access.forAccount(ctx.env.managementAccountId).organizations;
  const reads = ctx.effectiveReads;
  return {
    noun: 'accounts',
    keys: accountsForPhase(ctx.env, ctx.phase),
    idOf: (account) => `propagation:${account}`,
    where: (account) => ({ account }),
    round: (keys) => {
      const limit = pLimit(Math.max(1, ctx.concurrency ?? 16));
      return Promise.all(
        keys.map((account) =>
          limit(async (): Promise<Outcome> => {
            const want = expected.get(account) ?? null;
            let got: Record<string, unknown> | null;
            try {
              got = await readEffective(org, account);
            } catch (err) {
              reads?.delete(account);
              const check = errorCheck(`propagation:${account}`, 'DescribeEffectivePolicy', err, { account });
              // A transient failure (still failing after the SDK's retries) is read again next round.
              return classifyError(err) === 'transient'
                ? { key: account, state: 'lagging', detail: check.detail }
                : { key: account, state: 'error', check };
            }
            reads?.set(account, got);
            if (sameEffective(got, want)) return { key: account, state: 'in-force' };
            const detail =
              want === null
                ? 'an effective BEDROCK_POLICY still reaches this account but none is expected'
                : got === null
                  ? 'no effective BEDROCK_POLICY reaches this account yet'
                  : `the effective policy is not the expected one yet: ${shortDiff(got, want)}`;
            return { key: account, state: 'lagging', detail };
          }),
        ),
      );
    },
  };
}

function pilotProbe(ctx: GateRunContext): Probe {
  const account = ctx.env.pilot.account;
  return {
    noun: 'regions of the pilot account',
    keys: ctx.env.regions.map((r) => `${account}/${r}`),
    idOf: (key) => `propagation:account-config:${key}`,
    where: (key) => ({ account, region: key.split('/')[1] }),
    // The effective-policy gate's own comparison; every region is read (a handful of calls).
    round: async (keys) => {
      const byKey = new Map((await pilotChecks(ctx)).map((c) => [`${c.account}/${c.region}`, c]));
      return keys.map((key): Outcome => {
        const c = byKey.get(key);
        // No answer for a region (the check crashed) is not "in force": read again.
        if (!c) return { key, state: 'lagging', detail: 'no evidence for this region' };
        if (c.status === 'passed') return { key, state: 'in-force' };
        return { key, state: 'lagging', detail: c.detail.replace(/^enforced configuration differs/, 'not yet the declared configuration') };
      });
    },
  };
}

const defaultClock = { now: () => Date.now(), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };

export async function runPropagation(ctx: GateRunContext): Promise<GateResult> {
  const startedAt = new Date();
  const clock = ctx.propagationClock ?? defaultClock;
  const timeoutSeconds = ctx.env.phases[ctx.phase]?.propagationTimeoutSeconds ?? DEFAULT_PROPAGATION_TIMEOUT_SECONDS;
  let probe: Probe;
  if (ctx.phase === 'pilot') probe = pilotProbe(ctx);
  else {
    const r = await expectedForOrg(ctx);
    if (!r.expected) {
      const why = r.checks.map((c) => c.detail).join('; ');
      return gateResult('propagation', startedAt, [
        {
          id: 'propagation:expected',
          status: 'inconclusive',
          detail: `the expected effective policy cannot be computed, nothing to wait for: ${why}`,
        },
      ]);
    }
    probe = orgProbe(ctx, r.expected);
  }

  const t0 = clock.now();
  const deadline = t0 + timeoutSeconds * 1000;
  let pending = [...probe.keys];
  const lagging = new Map<string, string>();
  const errors: CheckResult[] = [];
  let wait = FIRST_WAIT_MS;
  let rounds = 0;
  for (;;) {
    rounds++;
    const outcomes = await probe.round(pending);
    lagging.clear();
    for (const o of outcomes) {
      if (o.state === 'lagging') lagging.set(o.key, o.detail);
      else if (o.state === 'error') errors.push({ ...o.check, id: probe.idOf(o.key), ...probe.where(o.key) });
    }
    pending = [...lagging.keys()];
    if (!pending.length) break;
    const left = deadline - clock.now();
    if (left <= 0) break;
    ctx.log?.(
      `propagation: ${pending.length} of ${probe.keys.length} ${probe.noun} not in force yet; reading again in ${Math.min(wait, left)} ms`,
    );
    await clock.sleep(Math.min(wait, left));
    wait = Math.min(wait * 2, MAX_WAIT_MS);
  }
  const waited = (clock.now() - t0) / 1000;
  const took = `${rounds} round${rounds === 1 ? '' : 's'} of reads, ${waited.toFixed(1)} s`;
  const checks: CheckResult[] = [...errors];
  if (!lagging.size && !errors.length) {
    checks.push({
      id: 'propagation:all',
      status: 'passed',
      detail: `the change is in force in all ${probe.keys.length} ${probe.noun} (${took})`,
    });
    return gateResult('propagation', startedAt, checks);
  }
  const late = [...lagging.entries()];
  for (const [key, detail] of late.slice(0, MAX_LISTED))
    checks.push({
      id: probe.idOf(key),
      status: 'inconclusive',
      detail: `not in force after ${timeoutSeconds}s: ${detail}`,
      ...probe.where(key),
    });
  if (late.length) {
    const names = late.map(([k]) => k);
    checks.push({
      id: 'propagation:timeout',
      status: 'inconclusive',
      detail:
        `${late.length} of ${probe.keys.length} ${probe.noun} had not caught up within the propagation timeout of ${timeoutSeconds}s ` +
        `(phases.${ctx.phase}.propagationTimeout; ${took}): ${names.slice(0, 20).join(', ')}${names.length > 20 ? `, … (${names.length - 20} more)` : ''}`,
    });
  }
  return gateResult('propagation', startedAt, checks);
}

export const propagationGate: Gate<GateRunContext> = { name: 'propagation', run: runPropagation };
