/**
 * The bake of a phase: its clock (`bake:<phase>`, rollout/gates/bake) and, where the phase has
 * `analysis`, the metric checks (`bake:metric:<metric>`, rollout/gates/analysis) in one `bake`
 * gate result. `promote --wait-bake` measures once per interval while it waits and stops as
 * soon as the analysis is decided (a failure halts early, with rollback); a later promote of the
 * next phase judges the completed window (finishBake in promote.ts). A phase with bake 0 has no
 * window to analyse.
 */
import type { Phase } from '../../model/types.js';
import { bakeGate, runGateWithDeadline, gateDeadlineMs, type Gate } from '../gates/index.js';
import {
  cloudWatchProvider,
  nextMeasurementAt,
  runBakeAnalysis,
  type BakeAnalysisResult,
  type MetricProvider,
  type Subject,
} from '../gates/analysis/index.js';
import { gateResult } from '../gates/result.js';
import type { GateResult } from '../state/contracts.js';
import type { PhaseRecord, RolloutState } from '../state/store.js';
import type { Progress } from '../ui/progress.js';
import type { Session } from './session.js';
import type { Target } from './target.js';

export interface BakeClock {
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
}

export const realClock: BakeClock = { now: () => new Date(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

const subjects = (v: PhaseRecord['versions']): Record<string, Subject> =>
  Object.fromEntries(Object.entries(v ?? {}).map(([region, x]) => [region, { guardrailArn: x.guardrailArn, version: x.version }]));

/** What the analysis of `phase` compares: the versions it enforces now, and what the previous unit enforced. */
function analysisSubjects(
  state: RolloutState,
  phase: Phase,
): { subject: Record<string, Subject>; baseline: Record<string, Subject> | null } {
  const rec = state.phases[phase]!;
  const subject = subjects(rec.versions);
  if (!rec.previousUnit && !rec.previousRelease) return { subject, baseline: null };
  // The pilot enforces the pilot account's own guardrail: its previous versions are recorded with the attempt.
  const before = phase === 'pilot' ? rec.previousVersions : rec.previousRelease ? state.published[rec.previousRelease] : undefined;
  return { subject, baseline: before ? subjects(before) : null };
}

/** One evaluation of the bake of `phase` at `now`: clock + analysis (when configured). */
export async function evaluateBake(
  s: Session,
  t: Target,
  state: RolloutState,
  phase: Phase,
  now: Date,
  provider: MetricProvider = cloudWatchProvider(t.access),
): Promise<{ gate: GateResult; analysis?: BakeAnalysisResult }> {
  const rec = state.phases[phase]!;
  const appliedAt = new Date(rec.appliedAt ?? 0);
  const startedAt = new Date();
  const clock = await bakeGate.run({ env: s.env, phase, appliedAt, now });
  const settings = s.env.phases[phase];
  if (!settings.analysis || settings.bakeSeconds === 0) return { gate: clock };
  let analysis: BakeAnalysisResult | undefined;
  const gate: Gate<null> = {
    name: 'bake',
    run: async () => {
      analysis = await runBakeAnalysis({
        env: s.env,
        phase,
        analysis: settings.analysis!,
        provider,
        ...analysisSubjects(state, phase),
        gatedAtMs: Date.parse(rec.gatedAt ?? rec.appliedAt ?? '0'),
        appliedAtMs: appliedAt.getTime(),
        bakeUntilMs: appliedAt.getTime() + settings.bakeSeconds * 1000,
        nowMs: now.getTime(),
      });
      return gateResult('bake', startedAt, analysis.checks);
    },
  };
  const metric = await runGateWithDeadline(gate, null, gateDeadlineMs(t.kind));
  const checks = [...clock.checks, ...metric.checks];
  return { gate: gateResult('bake', startedAt, checks), analysis };
}

/** One line per interim measurement: where each condition stands. */
function interimLine(a: BakeAnalysisResult): string {
  const parts = a.verdicts.map((v) => {
    const m = v.measurements.at(-1);
    return `${v.condition.metric} ${m ? `${m.outcome.toLowerCase()}${m.value !== undefined ? ` ${Number(m.value.toFixed(1))}${m.bound !== undefined ? ` (bound ${Number(m.bound.toFixed(1))})` : ''}` : ''}` : 'waiting'}`;
  });
  const n = a.verdicts[0]?.measurements.length ?? 0;
  const inv = a.verdicts[0]?.measurements.at(-1)?.invocations;
  return `bake analysis, measurement ${n}/${a.window.final ? n : '…'}${inv !== undefined ? ` (${inv} invocations)` : ''}: ${parts.join(' · ')}`;
}

/**
 * Waits out the bake of `phase`, measuring as each interval completes. Returns the bake gate as
 * soon as the analysis is decided — early on a failure, or when the window is complete.
 */
export async function waitOutBake(
  s: Session,
  t: Target,
  phase: Phase,
  progress: Progress,
  clock: BakeClock = realClock,
): Promise<GateResult> {
  let seen = -1;
  const provider = cloudWatchProvider(t.access);
  // The session holds the lock: nothing else changes the phase's record while it waits.
  const state = await s.state();
  const settings = s.env.phases[phase];
  const bakeUntil = Date.parse(state.phases[phase]!.appliedAt ?? '0') + settings.bakeSeconds * 1000;
  for (;;) {
    const now = clock.now();
    if (!settings.analysis || settings.bakeSeconds === 0) {
      if (bakeUntil > now.getTime()) await clock.sleep(bakeUntil - now.getTime());
      return (await evaluateBake(s, t, state, phase, clock.now())).gate;
    }
    const { gate, analysis } = await evaluateBake(s, t, state, phase, now, provider);
    const clockDone = bakeUntil <= now.getTime();
    if (!analysis || (analysis.decided && (clockDone || gate.status !== 'passed'))) return gate;
    const n = analysis.verdicts[0]?.measurements.length ?? 0;
    if (n > seen && n > 0) progress.info(interimLine(analysis));
    seen = n;
    // A little past the bucket's end, so its last events are in.
    await clock.sleep(Math.max(200, nextMeasurementAt(analysis.window) - clock.now().getTime() + 250));
  }
}
