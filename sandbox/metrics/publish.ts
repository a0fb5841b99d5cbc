/**
 * Publishing: turns the runtime's guardrail evaluations (and failed ApplyGuardrail calls) into
 * metric events in the right account and region. Where AWS is silent:
 * - which account an organization- or account-enforced guardrail's metrics land in is not
 *   documented; `enforcedMetricsAccount` chooses (default 'member': the evaluating account);
 * - the latency is simulated, deterministically under the seed: the evaluator runs in
 *   microseconds, which would make every percentile 0.
 */
import type { GuardrailEvaluation } from '../runtime/evaluations.js';
import type { ContentSource, MetricStore, Outcome } from './events.js';
import { unit } from './hash.js';

/**
 * Where evaluations of enforced guardrails publish: 'member' = the account whose call was
 * evaluated; 'management' = the organization's management account for organization-enforced
 * guardrails and the guardrail's owner for account-enforced ones; 'none' = not at all. A guardrail
 * that also came with the request always publishes in the caller's account.
 */
export type EnforcedMetricsAccount = 'member' | 'management' | 'none';

export interface PublisherOptions {
  seed: number;
  enforcedMetricsAccount?: EnforcedMetricsAccount;
  managementAccount(): string;
}

/** Simulated evaluation latency, ms: a base, a cost per text unit and character, and an exponential tail. */
export function simulatedLatency(seedKey: string, chars: number, textUnits: number): number {
  const tail = -Math.log(1 - unit(seedKey)) * 12;
  return Math.max(1, Math.round(25 + 6 * textUnits + chars * 0.004 + tail));
}

export class MetricPublisher {
  constructor(
    readonly store: MetricStore,
    private readonly opts: PublisherOptions,
  ) {}

  setEnforcedMetricsAccount(mode: EnforcedMetricsAccount): void {
    this.opts.enforcedMetricsAccount = mode;
  }

  /** The account an evaluation publishes in, or undefined when it publishes nowhere. */
  accountFor(caller: string, e: Pick<GuardrailEvaluation, 'origins' | 'ownerAccount'>): string | undefined {
    if (e.origins.includes('REQUEST')) return caller;
    const mode = this.opts.enforcedMetricsAccount ?? 'member';
    if (mode === 'none') return undefined;
    if (mode === 'member') return caller;
    return e.origins.includes('ORGANIZATION_ENFORCED') ? this.opts.managementAccount() : e.ownerAccount;
  }

  /** Records successful evaluations made for `caller` in `region` at `t` (ms). */
  publish(caller: string, region: string, evaluations: GuardrailEvaluation[], t: number): void {
    for (const e of evaluations) {
      const account = this.accountFor(caller, e);
      if (!account) continue;
      const series = { account, region, guardrailArn: e.guardrailArn, guardrailVersion: e.guardrailVersion };
      const source: ContentSource = e.source === 'INPUT' ? 'Input' : 'Output';
      // The salt is the series' event count: the n-th event of a series draws the same latency for a seed.
      const n = this.store.recordedIn(series);
      const latencyMs = simulatedLatency(`${this.opts.seed}:${e.guardrailArn}:${e.guardrailVersion}:${source}:${n}`, e.chars, e.textUnits);
      this.store.record(series, {
        t,
        source,
        ...(e.operation ? { operation: e.operation } : {}),
        intervened: e.intervened,
        policies: e.policyTypes,
        latencyMs,
        textUnits: e.textUnits,
        policyUnits: e.policyUnits,
        outcome: 'ok',
      });
    }
  }

  /** Records an ApplyGuardrail call that failed (client error, server error or throttle) for its guardrail. */
  publishFailure(
    caller: string,
    region: string,
    guardrailArn: string,
    guardrailVersion: string,
    source: ContentSource,
    outcome: Exclude<Outcome, 'ok'>,
    t: number,
  ): void {
    this.store.record(
      { account: caller, region, guardrailArn, guardrailVersion },
      { t, source, operation: 'ApplyGuardrail', intervened: false, policies: [], latencyMs: 0, textUnits: 0, policyUnits: 0, outcome },
    );
  }
}
