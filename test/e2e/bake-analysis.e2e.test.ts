/**
 * The bake analysis on the sandbox, through the real verbs: synthetic traffic in the accounts,
 * the emulator's CloudWatch metrics, GetMetricData from the gate. A release that passes every
 * smoke case but blocks a share of everyday requests is halted during its bake and rolled back
 * (waiting, or judged by the next phase's promote); too little traffic and a throttled metric
 * API are inconclusive, never passed.
 */
import { contentHash, GuardrailDefinition } from '../../guardrail/index.js';
import type { BakeAnalysis } from '../../model/analysis.js';
import { PHASES, type Environment, type Release } from '../../model/types.js';
import type { TrafficProfileName } from '../../model/traffic.js';
import type { RolloutResult } from '../../rollout/flows/promote.js';
import { runVerb, state, useFreshHome } from '../helpers/cli.js';
import { AS_OF, sandboxEnvironment } from '../helpers/sandbox-fixture.js';

useFreshHome();

// Real bakes of 10 s each, several per test: more than the default timeout on a loaded machine.

const BAKE_SECONDS = 10;
const ANALYSIS: BakeAnalysis = {
  intervalSeconds: 5,
  minInvocations: 30,
  belowMinInvocations: 'inconclusive',
  metricsAccount: 'evaluating',
  conditions: [
    { metric: 'intervention-rate', baselineFactor: 1.5, baselinePoints: 8, max: 25, failureLimit: 0, inconclusiveLimit: 0, errorLimit: 4 },
    { metric: 'server-errors', baselineFactor: 1.5, baselinePoints: 2, max: 0, failureLimit: 0, inconclusiveLimit: 0, errorLimit: 4 },
  ],
};

function baking(env: Environment, traffic: TrafficProfileName = 'busy'): Environment {
  return {
    ...env,
    phases: Object.fromEntries(
      PHASES.map((p) => [p, { ...env.phases[p], bakeSeconds: BAKE_SECONDS, analysis: ANALYSIS }]),
    ) as Environment['phases'],
    sandbox: { policyTypeEnabled: true, traffic },
  };
}

const TRAFFIC_BLOCKING = 'baseline@2026.11.3-blocks-everyday';

/**
 * The current release plus word filters on words of everyday requests (model/traffic.ts) that no
 * smoke case contains: every smoke case still gets its outcome, half the benign traffic is blocked.
 */
function withEverydayBlocking(env: Environment): Environment {
  const base = env.releases.find((r) => r.name === env.currentRelease)!;
  const spec = base.definition.toSpec();
  const words = [
    'summarize',
    'translate',
    'blog',
    'quarterly',
    'agenda',
    'product',
    'checklist',
    'announcement',
    'postmortem',
    'hackathon',
  ];
  const definition = GuardrailDefinition.fromPlain({
    ...spec,
    description: 'Blocks everyday requests (test fixture)',
    words: [...spec.words, ...words.map((text) => ({ text }))],
  });
  const release: Release = {
    name: TRAFFIC_BLOCKING,
    definitionPath: base.definitionPath,
    definition,
    contentHash: contentHash(definition),
  };
  return { ...env, releases: [...env.releases, release], currentRelease: TRAFFIC_BLOCKING };
}

const bakeOf = (r: RolloutResult) => r.gates.find((g) => g.gate === 'bake');
const metric = (r: RolloutResult, m: string) => bakeOf(r)?.checks.find((c) => c.id === `bake:metric:${m}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('a bake analysis that passes, then a release that passes smoke but blocks everyday traffic is halted during its bake and rolled back', async () => {
  const env = baking(await sandboxEnvironment());
  const first = await runVerb('promote', 'pilot', { env, asOf: AS_OF, waitBake: true });
  expect(first.outcome).toBe('promoted');
  const passed = metric(first, 'intervention-rate')!;
  expect(passed.status).toBe('passed');
  const ev = passed.evidence as { outcome: string; measurements: { outcome: string; invocations: number; value: number }[] };
  expect(ev.outcome).toBe('Successful');
  expect(ev.measurements.length).toBeGreaterThanOrEqual(1);
  expect(ev.measurements.every((m) => m.invocations >= ANALYSIS.minInvocations && m.value < 25)).toBe(true);
  expect(metric(first, 'server-errors')?.status).toBe('passed');

  const blocking = baking(withEverydayBlocking(await sandboxEnvironment()));
  const second = await runVerb('promote', 'pilot', { env: blocking, asOf: AS_OF, waitBake: true });
  // Every smoke case held: only the traffic shows the damage.
  expect(second.gates.find((g) => g.gate === 'smoke')?.status).toBe('passed');
  expect(second.outcome).toBe('rolled-back');
  const failed = second.failedChecks.find((c) => c.id === 'bake:metric:intervention-rate')!;
  expect(failed.status).toBe('failed');
  expect(failed.detail).toMatch(/intervention rate \d+\.\d% of \d+ invocations, bound \d+\.\d% \(baseline \d+\.\d% × 1\.5 \+ 8 pp\)/);
  // Halted early: the first failed measurement ends the wait.
  expect((failed.evidence as { measurements: unknown[] }).measurements.length).toBeLessThan(BAKE_SECONDS / ANALYSIS.intervalSeconds + 1);
  expect(second.rollback?.status).toBe('rolled-back');
  const st = await state();
  expect(st.phases.pilot?.status).toBe('rolled-back');
  expect(st.phases.pilot?.release).toBe(first.release);
}, 180_000);

test("without --wait-bake, the next phase's promote judges the completed window: passed, or the baked phase is rolled back", async () => {
  const env = baking(await sandboxEnvironment());
  const gated = await runVerb('promote', 'pilot', { env, asOf: AS_OF });
  expect(gated.outcome).toBe('baking');
  await sleep(BAKE_SECONDS * 1000 + 500);
  const next = await runVerb('promote', 'model-rules', { env, asOf: AS_OF });
  expect(next.outcome).toBe('baking');
  expect((await state()).phases.pilot?.status).toBe('passed');
  const pilotBake = (await state()).phases.pilot?.gates.find((g) => g.gate === 'bake');
  expect(pilotBake?.checks.find((c) => c.id === 'bake:metric:intervention-rate')?.status).toBe('passed');

  const blocking = baking(withEverydayBlocking(await sandboxEnvironment()));
  const bad = await runVerb('promote', 'pilot', { env: blocking, asOf: AS_OF });
  expect(bad.outcome).toBe('baking');
  await sleep(BAKE_SECONDS * 1000 + 500);
  const judged = await runVerb('promote', 'model-rules', { env: blocking, asOf: AS_OF });
  expect(judged.phase).toBe('pilot');
  expect(judged.outcome).toBe('rolled-back');
  expect(judged.failedChecks.map((c) => c.id)).toContain('bake:metric:intervention-rate');
  const st = await state();
  expect(st.phases.pilot?.status).toBe('rolled-back');
  expect(st.phases.pilot?.release).toBe(gated.release);
  expect(st.phases['model-rules']?.release).toBe(gated.release);
}, 180_000);

test('too little traffic is inconclusive, never passed', async () => {
  const env = baking(await sandboxEnvironment(), 'quiet');
  const r = await runVerb('promote', 'pilot', { env, asOf: AS_OF, waitBake: true });
  expect(r.ok).toBe(false);
  const c = r.failedChecks.find((x) => x.id === 'bake:metric:intervention-rate')!;
  expect(c.status).toBe('inconclusive');
  expect(c.detail).toMatch(/fewer than minInvocations 30/);
}, 180_000);

test('a throttled GetMetricData is inconclusive, never passed', async () => {
  const env = baking(await sandboxEnvironment());
  const r = await runVerb('promote', 'pilot', {
    env,
    asOf: AS_OF,
    waitBake: true,
    target: { sandbox: { faults: { GetMetricData: { throttleRate: 1 } } } },
  });
  expect(r.ok).toBe(false);
  expect(r.gates.find((g) => g.gate === 'smoke')?.status).toBe('passed');
  const c = r.failedChecks.find((x) => x.id === 'bake:metric:intervention-rate')!;
  expect(c.status).toBe('inconclusive');
  expect(c.detail).toMatch(/Throttl|Rate exceeded/);
}, 180_000);

test('metrics published where the gate does not look are "no data" (inconclusive); metricsAccount points it at them', async () => {
  // The emulator puts organization-enforced evaluations' metrics in the management account
  // (one reading of what AWS leaves undocumented); the default reads the evaluating accounts.
  const target = { sandbox: { enforcedMetricsAccount: 'management' as const } };
  const base = baking(await sandboxEnvironment());
  const only = (env: Environment, analysis: BakeAnalysis): Environment => ({
    ...env,
    phases: {
      ...env.phases,
      pilot: { ...env.phases.pilot, bakeSeconds: 0, analysis: undefined },
      'model-rules': { ...env.phases['model-rules'], analysis },
    },
  });
  expect((await runVerb('promote', 'pilot', { env: only(base, ANALYSIS), asOf: AS_OF, target })).outcome).toBe('promoted');
  const blind = await runVerb('promote', 'model-rules', { env: only(base, ANALYSIS), asOf: AS_OF, waitBake: true, target });
  expect(blind.ok).toBe(false);
  const c = blind.failedChecks.find((x) => x.id === 'bake:metric:intervention-rate')!;
  expect(c.status).toBe('inconclusive');
  expect(c.detail).toMatch(
    /no invocations of the guardrail under test in the window in any of the \d+ account\/Region\(s\) read \(metricsAccount: evaluating\).*docs\/bake-analysis\.md/,
  );

  const pointed = await runVerb('promote', 'model-rules', {
    env: only(base, { ...ANALYSIS, metricsAccount: 'management' }),
    asOf: AS_OF,
    waitBake: true,
    target,
  });
  expect(pointed.outcome).toBe('promoted');
  expect(metric(pointed, 'intervention-rate')?.status).toBe('passed');
}, 180_000);
