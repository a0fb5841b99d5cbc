/**
 * Full 4-phase sandbox rollout of a generated 500-account organization with no bake time
 * (target ≤ 30 s): wall time per phase and in total, in-process (sandbox + engine + gates).
 * Then the sandbox environment's rollout with each engine side by side: the sandbox engine and
 * the terraform engine (the real binary with the provider double), when terraform is on PATH.
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
import { loadEnvironment, projectRoot } from '../model/index.js';
import { HAS_TERRAFORM } from '../test/helpers/terraform.js';

/** Promotes the environment's release through the four phases in a fresh rollout home: wall ms and gate checks per phase. */
async function fourPhases(
  env: Environment,
  engine: 'sandbox' | 'terraform',
  asOf: string,
  checks: Record<string, number> = {},
): Promise<Record<string, number>> {
  const home = mkdtempSync(join(tmpdir(), 'rollout-bench-'));
  const saved = process.env.ROLLOUT_HOME;
  process.env.ROLLOUT_HOME = home;
  const perPhase: Record<string, number> = {};
  try {
    for (const phase of PHASES) {
      const t = performance.now();
      const s = await Session.open(parseFlags({ env: env.name, engine, yes: true, json: true, asOf }), { lock: `promote ${phase}`, env });
      try {
        const r = await promote(s, phase, { progress: silentProgress });
        if (!r.ok) throw new Error(`${engine} ${phase} did not pass: ${r.message.split('\n').slice(0, 4).join(' | ')}`);
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
  return perPhase;
}

/** The shipped sandbox environment, no bake, through both engines. */
async function engines(): Promise<Record<string, unknown>> {
  const loaded = await loadEnvironment(join(projectRoot(), 'environments', 'sandbox', 'environment.yaml'));
  const env: Environment = {
    ...loaded,
    phases: Object.fromEntries(PHASES.map((p) => [p, { ...loaded.phases[p], bakeSeconds: 0, approval: false }])) as Environment['phases'],
  };
  const out: Record<string, Record<string, number>> = { sandbox: await fourPhases(env, 'sandbox', '2026-11-25') };
  if (HAS_TERRAFORM) out.terraform = await fourPhases(env, 'terraform', '2026-11-25');
  console.log(
    `\nrollout: the sandbox environment (${env.organization.accounts.length} accounts, ${env.regions.length} regions), both engines, no bake`,
  );
  console.log(`  ${'phase'.padEnd(12)} ${'sandbox'.padStart(9)} ${'terraform'.padStart(10)}`);
  const total = (m: Record<string, number> | undefined) => (m ? Object.values(m).reduce((a, b) => a + b, 0) : undefined);
  const cell = (ms: number | undefined, w: number) =>
    ms === undefined ? 'skipped'.padStart(w) : `${(ms / 1000).toFixed(2)} s`.padStart(w);
  for (const p of PHASES) console.log(`  ${p.padEnd(12)} ${cell(out.sandbox[p], 9)} ${cell(out.terraform?.[p], 10)}`);
  console.log(`  ${'total'.padEnd(12)} ${cell(total(out.sandbox), 9)} ${cell(total(out.terraform), 10)}`);
  if (!HAS_TERRAFORM) console.log('  terraform engine skipped: `terraform` is not on PATH');
  return { perPhaseMs: out, totalMs: { sandbox: total(out.sandbox), terraform: total(out.terraform) ?? null } };
}

export async function run(): Promise<Record<string, unknown>> {
  const accounts = 500;
  const generated = generateEnvironment({ accounts, ous: 40, exceptions: 20 });
  const env: Environment = {
    ...generated,
    phases: Object.fromEntries(
      PHASES.map((p) => [p, { ...generated.phases[p], bakeSeconds: 0, approval: false }]),
    ) as Environment['phases'],
  };
  const checks: Record<string, number> = {};
  const t0 = performance.now();
  const perPhase = await fourPhases(env, 'sandbox', '2026-11-25', checks);
  const totalMs = Math.round(performance.now() - t0);
  console.log(`rollout: full 4-phase sandbox rollout, ${accounts} accounts, ${env.regions.length} regions, no bake`);
  for (const p of PHASES) console.log(`  ${p.padEnd(12)} ${(perPhase[p] / 1000).toFixed(2).padStart(7)} s   (${checks[p]} gate checks)`);
  console.log(
    `  ${'total'.padEnd(12)} ${(totalMs / 1000).toFixed(2).padStart(7)} s   (target ≤ 30 s: ${totalMs <= 30_000 ? 'met' : 'MISSED'})`,
  );
  return {
    accounts,
    perPhaseMs: perPhase,
    gateChecks: checks,
    totalMs,
    targetMs: 30_000,
    met: totalMs <= 30_000,
    engines: await engines(),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
