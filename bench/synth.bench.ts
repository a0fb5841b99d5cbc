/**
 * Synth benchmark: wall time and peak RSS of synthesizing all five stacks for
 *   - the shipped sandbox environment, and
 *   - a generated organization of 2,000 accounts in 120 OUs with 200 exceptions.
 * Each scenario runs in a fresh child process (node --import tsx) so peak RSS is that
 * scenario's own; the child reports load/synth times, the parent adds process wall time.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CHILD_FLAG = '--synth-bench-child';
const here = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(here), '..');

interface ChildResult {
  scenario: string;
  accounts: number;
  exceptions: number;
  loadMs: number;
  synthColdMs: number;
  synthWarmMs: number;
  resources: number;
  bytes: number;
  peakRssMiB: number;
}

async function child(scenario: string): Promise<ChildResult> {
  const { PHASES } = await import('../model/types.js');
  const { synthStacks } = await import('../stacks/synth.js');
  const t0 = performance.now();
  let env: import('../model/types.js').Environment;
  if (scenario === 'sandbox') {
    const { loadEnvironment } = await import('../model/index.js');
    env = await loadEnvironment(path.join(root, 'environments', 'sandbox'));
  } else {
    const { generateEnvironment } = await import('../test/helpers/generated-environment.js');
    env = await generateEnvironment({ accounts: 2000, ous: 120, exceptions: 200 });
  }
  const loadMs = performance.now() - t0;
  const releases = Object.fromEntries(PHASES.map((p) => [p, env.currentRelease]));
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'synth-bench-'));
  // A fixed date: the same exceptions are active in every run.
  const asOf = new Date('2026-11-25T00:00:00Z');
  try {
    const t1 = performance.now();
    const artifacts = synthStacks({ env, releases, asOf, outdir });
    const synthColdMs = performance.now() - t1;
    const t2 = performance.now();
    synthStacks({ env, releases, asOf, outdir });
    const synthWarmMs = performance.now() - t2;
    let resources = 0;
    let bytes = 0;
    for (const a of artifacts) {
      bytes += statSync(a.file).size;
      for (const byName of Object.values((a.json.resource ?? {}) as Record<string, Record<string, unknown>>))
        resources += Object.keys(byName).length;
    }
    return {
      scenario,
      accounts: env.organization.accounts.length,
      exceptions: env.exceptions.length,
      loadMs,
      synthColdMs,
      synthWarmMs,
      resources,
      bytes,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function runChild(scenario: string): ChildResult & { processWallMs: number } {
  const t0 = performance.now();
  const out = execFileSync(process.execPath, ['--import', 'tsx', here, CHILD_FLAG, scenario], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  const processWallMs = performance.now() - t0;
  const line = out.trim().split('\n').pop()!;
  return { ...(JSON.parse(line) as ChildResult), processWallMs };
}

const r1 = (n: number) => Math.round(n * 10) / 10;

export async function run(): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  console.log('scenario     accounts  exceptions  resources   JSON KiB  load ms  synth ms (cold/warm)  process ms  peak RSS MiB');
  for (const scenario of ['sandbox', 'generated-2000']) {
    const r = runChild(scenario);
    console.log(
      `${scenario.padEnd(12)} ${String(r.accounts).padStart(8)}  ${String(r.exceptions).padStart(10)}  ${String(r.resources).padStart(9)}  ` +
        `${String(Math.round(r.bytes / 1024)).padStart(9)}  ${String(Math.round(r.loadMs)).padStart(7)}  ` +
        `${`${Math.round(r.synthColdMs)} / ${Math.round(r.synthWarmMs)}`.padStart(20)}  ${String(Math.round(r.processWallMs)).padStart(10)}  ${String(Math.round(r.peakRssMiB)).padStart(12)}`,
    );
    results[scenario] = {
      accounts: r.accounts,
      exceptions: r.exceptions,
      resources: r.resources,
      jsonBytes: r.bytes,
      loadMs: r1(r.loadMs),
      synthColdMs: r1(r.synthColdMs),
      synthWarmMs: r1(r.synthWarmMs),
      processWallMs: r1(r.processWallMs),
      peakRssMiB: r1(r.peakRssMiB),
    };
  }
  return results;
}

if (process.argv[2] === CHILD_FLAG) {
  child(process.argv[3] ?? 'sandbox').then(
    (r) => {
      process.stdout.write(`${JSON.stringify(r)}\n`);
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
