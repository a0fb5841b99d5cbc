/**
 * Full 4-phase sandbox rollout of a generated 500-account organization with no bake time
 * (target ≤ 30 s): wall time per phase and in total, in-process (sandbox + engine + gates).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateEnvironment } from '../test/helpers/generated-environment.js';
import { PHASES, type Environment } from '../model/types.js';
import { parseFlags } from '../rollout/cli/commands/options.js';
import { silentProgress } from '../rollout/ui/progress.js';
import { promote } from '../rollout/flows/promote.js';
import { Session } from '../rollout/flows/session.js';

export async function run(): Promise<Record<string, unknown>> {
  const accounts = 500;
  const generated = generateEnvironment({ accounts, ous: 40, exceptions: 20 });
  const env: Environment = {
    ...generated,
    phases: Object.fromEntries(
      PHASES.map((p) => [p, { ...generated.phases[p], bakeSeconds: 0, approval: false }]),
    ) as Environment['phases'],
  };
  const home = mkdtempSync(join(tmpdir(), 'rollout-bench-'));
  const saved = process.env.ROLLOUT_HOME;
  process.env.ROLLOUT_HOME = home;
  const perPhase: Record<string, number> = {};
  const checks: Record<string, number> = {};
  const t0 = performance.now();
  try {
    for (const phase of PHASES) {
      const t = performance.now();
      const s = await Session.open(parseFlags({ env: env.name, engine: 'sandbox', yes: true, json: true, asOf: '2026-11-25' }), {
        lock: `promote ${phase}`,
        env,
      });
      try {
        const r = await promote(s, phase, { progress: silentProgress });
        if (!r.ok) throw new Error(`${phase} did not pass: ${r.message.split('\n').slice(0, 4).join(' | ')}`);
        checks[phase] = r.gates.reduce((n, g) => n + g.checks.length, 0);
      } finally {
        await s.close();
      }
      perPhase[phase] = Math.round(performance.now() - t);
    }
  } finally {
    if (saved === undefined) delete process.env.ROLLOUT_HOME;
    else process.env.ROLLOUT_HOME = saved;
    rmSync(home, { recursive: true, force: true });
  }
  const totalMs = Math.round(performance.now() - t0);
  console.log(`rollout: full 4-phase sandbox rollout, ${accounts} accounts, ${env.regions.length} regions, no bake`);
  for (const p of PHASES) console.log(`  ${p.padEnd(12)} ${(perPhase[p] / 1000).toFixed(2).padStart(7)} s   (${checks[p]} gate checks)`);
  console.log(
    `  ${'total'.padEnd(12)} ${(totalMs / 1000).toFixed(2).padStart(7)} s   (target ≤ 30 s: ${totalMs <= 30_000 ? 'met' : 'MISSED'})`,
  );
  return { accounts, perPhaseMs: perPhase, gateChecks: checks, totalMs, targetMs: 30_000, met: totalMs <= 30_000 };
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
