/**
 * The traffic simulation: lazily generates the profile's calls for (lastTick, now] — on a timer
 * and before every CloudWatch read — and evaluates them with the enforcement in force NOW, through
 * the same guardrail selection and pipeline as Converse (converseGuardrails + converseSegments +
 * runConverse), publishing the same metric events. So it also works for an emulator that runs only
 * while one CLI verb runs: the next start catches up. Assumptions, documented in docs/sandbox.md:
 * catch-up assumes the configuration did not change while the emulator was not running, and gaps
 * longer than the catch-up horizon (default 1 h) are skipped but for their last hour.
 * Simulated calls bypass HTTP, faults and quotas; a call that would fail (a broken enforced
 * configuration, access denied) evaluates no guardrail and publishes nothing.
 */
import { AwsError } from '../errors.js';
import type { MetricPublisher } from '../metrics/publish.js';
import type { RuntimeWorld } from '../runtime/context.js';
import { converseGuardrails, converseSegments, runConverse } from '../runtime/converse.js';
import type { AppliedGuardrail } from '../runtime/enforcement.js';
import type { GuardrailEvaluation } from '../runtime/evaluations.js';
import { hash32 } from '../metrics/hash.js';
import { isConverseModel, type TrafficProfile, type TrafficPrompt, type TrafficState, validateTrafficProfile } from './profile.js';
import { callsIn } from './schedule.js';

export interface TrafficDeps {
  world: RuntimeWorld;
  publisher: MetricPublisher;
  now(): number;
  /** Reads and writes the persisted traffic state (the state file's "traffic"). */
  get(): TrafficState | undefined;
  set(state: TrafficState | undefined): void;
  /** Longest gap generated on a tick, ms (default 1 h). */
  catchUpHorizonMs?: number;
  /** The state's revision (bumped by every mutating request): the enforcement in force is cached per revision. */
  revision?: () => number;
  /** False while a change is propagating: then what is in force may change with time alone, and nothing is cached. */
  settled?: () => boolean;
}

export interface TickResult {
  calls: number;
  /** Milliseconds of a longer gap that were skipped (beyond the horizon). */
  skippedMs: number;
}

const MAX_CACHE = 10_000;

export class TrafficSimulator {
  /** (applied guardrail set identity, prompt id) → evaluations: each simulated call costs a lookup. */
  private readonly cache = new Map<string, GuardrailEvaluation[]>();
  /**
   * (account, region) → the enforcement in force, at a state revision. Resolving it walks the
   * organization (effective policy, enforced configuration), which would otherwise be done for
   * every account and Region on every tick — and a tick runs before every CloudWatch read.
   */
  private readonly enforcement = new Map<string, { revision: number; applied: Map<string, AppliedGuardrail[] | null> }>();

  constructor(private readonly deps: TrafficDeps) {}

  profile(): TrafficProfile | undefined {
    return this.deps.get()?.profile;
  }

  /** Sets the profile (null = off). Calls are generated from now on; nothing is backfilled. */
  setProfile(profile: TrafficProfile | null): void {
    this.cache.clear();
    this.enforcement.clear();
    if (profile === null) this.deps.set(undefined);
    else this.deps.set({ profile: structuredClone(validateTrafficProfile(profile)), lastTick: this.deps.now() });
  }

  tick(): TickResult {
    const st = this.deps.get();
    const now = this.deps.now();
    if (!st || now <= st.lastTick) return { calls: 0, skippedMs: 0 };
    const horizon = this.deps.catchUpHorizonMs ?? 3600_000;
    const from = Math.max(st.lastTick, now - horizon);
    const skippedMs = from - st.lastTick;
    const p = st.profile;
    // Collected first and published in time order: accounts may share a series (enforcedMetricsAccount
    // 'management'), whose events are kept sorted, so appending in order keeps recording O(1).
    const due: { t: number; account: string; region: string; evals: GuardrailEvaluation[] }[] = [];
    let calls = 0;
    for (const account of p.accounts)
      for (const region of p.regions) {
        const scheduled = callsIn(p.seed ?? 0, account, region, p.ratePerSecond, p.prompts, from, now);
        if (scheduled.length === 0) continue;
        const applied = this.inForce(account, region, p.prompts);
        for (const c of scheduled) {
          calls += 1;
          const evals = this.evaluate(applied.get(c.prompt.model), c.prompt);
          if (evals.length) due.push({ t: c.t, account, region, evals });
        }
      }
    due.sort((a, b) => a.t - b.t);
    for (const d of due) this.deps.publisher.publish(d.account, d.region, d.evals, d.t);
    this.deps.set({ profile: p, lastTick: now });
    return { calls, skippedMs };
  }

  private inForce(account: string, region: string, prompts: TrafficPrompt[]): Map<string, AppliedGuardrail[] | null> {
    const revision = this.deps.revision?.();
    const key = `${account}/${region}`;
    const hit = this.enforcement.get(key);
    if (revision !== undefined && hit?.revision === revision) return hit.applied;
    const applied = this.appliedFor(account, region, prompts);
    if (revision !== undefined && (this.deps.settled?.() ?? true)) this.enforcement.set(key, { revision, applied });
    else this.enforcement.delete(key);
    return applied;
  }

  /** Enforcement in force now per model of the profile; null where the call would fail before evaluation. */
  private appliedFor(account: string, region: string, prompts: TrafficPrompt[]): Map<string, AppliedGuardrail[] | null> {
    const out = new Map<string, AppliedGuardrail[] | null>();
    for (const model of new Set(prompts.map((x) => x.model))) {
      if (!isConverseModel(model)) {
        out.set(model, null); // Converse refuses the model: no guardrail runs
        continue;
      }
      try {
        out.set(model, converseGuardrails(this.deps.world, account, region, model));
      } catch (err) {
        if (!(err instanceof AwsError)) throw err;
        out.set(model, null); // fail-closed enforcement or access denied: no guardrail is evaluated
      }
    }
    return out;
  }

  private evaluate(applied: AppliedGuardrail[] | null | undefined, prompt: TrafficPrompt): GuardrailEvaluation[] {
    if (!applied || applied.length === 0) return [];
    const key = `${identity(applied)}\u0000${prompt.id}`;
    let evals = this.cache.get(key);
    if (!evals) {
      const system = prompt.surface === 'system' ? [{ text: prompt.text }] : undefined;
      const text = prompt.surface === 'system' ? 'Please continue.' : prompt.text;
      evals = runConverse(applied, converseSegments(system, [{ role: 'user', content: [{ text }] }])).evaluations;
      if (this.cache.size >= MAX_CACHE) this.cache.clear();
      this.cache.set(key, evals);
    }
    return evals;
  }
}

/** What decides an evaluation: guardrail versions (DRAFT by content), origins and selection rules. */
function identity(applied: AppliedGuardrail[]): string {
  return applied
    .map((g) => {
      const draft = g.snapshot.version === 'DRAFT' ? `#${hash32(JSON.stringify(g.snapshot.config))}` : '';
      return `${g.snapshot.guardrailArn}:${g.snapshot.version}${draft}|${g.origins.join('+')}|${JSON.stringify(g.rules)}`;
    })
    .join(',');
}
