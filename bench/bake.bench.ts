/**
 * The bake analysis at organization scale: a generated 500-account organization rolled out on
 * the sandbox with synthetic traffic in every account and Region, then one evaluation of the
 * enterprise phase's bake — ListMetrics + GetMetricData in each of the 1,000 account/Regions,
 * judged — timed without a client rate limit. The calls it makes divided by a rate limit bound
 * the same evaluation on AWS (CloudWatch's GetMetricData quota is per account and Region).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateEnvironment } from '../test/helpers/generated-environment.js';
import { PHASES, type Environment } from '../model/types.js';
import type { BakeAnalysis } from '../model/analysis.js';
import { parseFlags } from '../rollout/cli/commands/options.js';
import { silentProgress } from '../rollout/ui/progress.js';
import { promote } from '../rollout/flows/promote.js';
import { evaluateBake } from '../rollout/flows/bake.js';
import { Session } from '../rollout/flows/session.js';

const ANALYSIS: BakeAnalysis = {
  intervalSeconds: 5,
  minInvocations: 20,
  belowMinInvocations: 'inconclusive',
  metricsAccount: 'evaluating',
  conditions: [
    { metric: 'intervention-rate', baselineFactor: 1.5, baselinePoints: 2, max: 40, failureLimit: 0, inconclusiveLimit: 0, errorLimit: 4 },
    { metric: 'latency-p99', baselineFactor: 1.5, baselinePoints: 2, max: 2000, failureLimit: 0, inconclusiveLimit: 0, errorLimit: 4 },
  ],
};

export async function run(): Promise<Record<string, unknown>> {
  const accounts = 500;
  const generated = generateEnvironment({ accounts, ous: 40, exceptions: 0 });
  const env: Environment = {
    ...generated,
    phases: Object.fromEntries(
      PHASES.map((p) => [
        p,
        {
          ...generated.phases[p],
          bakeSeconds: p === 'enterprise' ? 5 : 0,
          approval: false,
          ...(p === 'enterprise' ? { analysis: ANALYSIS } : {}),
        },
      ]),
    ) as Environment['phases'],
    sandbox: { policyTypeEnabled: true, traffic: 'steady' },
  };
  const home = mkdtempSync(join(tmpdir(), 'rollout-bench-bake-'));
  const saved = process.env.ROLLOUT_HOME;
  process.env.ROLLOUT_HOME = home;
  const flags = parseFlags({ env: env.name, engine: 'sandbox', yes: true, json: true, asOf: '2026-11-25' });
  try {
    for (const phase of PHASES) {
      const s = await Session.open(flags, { lock: `promote ${phase}`, env });
      try {
        const r = await promote(s, phase, { progress: silentProgress });
        if (!r.ok) throw new Error(`${phase} did not pass: ${r.message.split('\n').slice(0, 3).join(' | ')}`);
      } finally {
        await s.close();
      }
    }
    const s = await Session.open(flags, { lock: 'bench bake', env });
    try {
      const t = await s.target();
      // Let the bake window fill with traffic (the emulator catches up on start).
      await new Promise((r) => setTimeout(r, 6_000));
      const state = await s.state();
      t.access.resetStats();
      const t0 = performance.now();
      const { gate, analysis } = await evaluateBake(s, t, state, 'enterprise', new Date());
      const ms = Math.round(performance.now() - t0);
      const stats = t.access.stats();
      const calls = Object.entries(stats.byApi)
        .filter(([api]) => api.startsWith('cloudwatch:'))
        .reduce((n, [, v]) => n + v.attempts, 0);
      const invocations = analysis?.verdicts[0]?.measurements.reduce((n, m) => n + m.invocations, 0) ?? 0;
      const reads = accounts * env.regions.length;
      console.log(
        `bake: one evaluation of the enterprise bake analysis, ${accounts} accounts × ${env.regions.length} regions (${reads} reads)`,
      );
      console.log(`  wall time, no client rate limit   ${(ms / 1000).toFixed(2)} s   (${gate.status}; ${invocations} invocations judged)`);
      console.log(`  CloudWatch calls                  ${calls} (${(calls / reads).toFixed(1)} per account/Region)`);
      console.log(`  bound at 20 calls/s               ${(calls / 20).toFixed(1)} s`);
      return { accounts, reads, wallMs: ms, cloudwatchCalls: calls, status: gate.status, invocations, boundAt20PerSecondS: calls / 20 };
    } finally {
      await s.close();
    }
  } finally {
    if (saved === undefined) delete process.env.ROLLOUT_HOME;
    else process.env.ROLLOUT_HOME = saved;
    rmSync(home, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
