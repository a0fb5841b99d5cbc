/**
 * CLI start-up: wall time of spawning `node -e 0` (the floor) and `rollout --help`, `--version`
 * and `status` (a fresh ROLLOUT_HOME per run), median of RUNS each, from the compiled dist/ and —
 * for comparison, in the same run — from the sources through tsx (ROLLOUT_FROM_SOURCE=1, what
 * every start cost before the build step). Run: `npm run bench -- startup` (after `npm run build`).
 * Targets (compiled): --help ≤ 300 ms, status ≤ 500 ms on the project's 2-core machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
// @ts-expect-error plain JavaScript without types, shared with bin/rollout.mjs
import { distIsFresh } from '../scripts/cli-stamp.mjs';

const RUNS = 10;
const BIN = resolve('bin/rollout.mjs');
const TARGETS: Record<string, number> = { '--help': 300, status: 500 };

function wallMs(args: string[], env: NodeJS.ProcessEnv): number {
  const home = mkdtempSync(join(tmpdir(), 'rollout-startup-bench-'));
  try {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { env: { ...process.env, ROLLOUT_HOME: home, ...env }, stdio: 'ignore' });
    const ms = performance.now() - t;
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
    return ms;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export async function run(): Promise<Record<string, unknown>> {
  if (!distIsFresh()) console.log('warning: dist/ is missing or older than a source: run `npm run build` first, or "compiled" is tsx too');
  const quiet = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  const cases: [label: string, args: string[], env: NodeJS.ProcessEnv][] = [['node -e 0', ['-e', '0'], {}]];
  for (const [mode, env] of [
    ['compiled', quiet],
    ['sources (tsx)', { ...quiet, ROLLOUT_FROM_SOURCE: '1' }],
  ] as const) {
    for (const verb of ['--help', '--version', 'status']) cases.push([`rollout ${verb} — ${mode}`, [BIN, verb], env]);
  }
  const out: Record<string, unknown> = { runs: RUNS };
  let floor = 0;
  console.log(`median of ${RUNS} spawns each, wall time`);
  console.log('| command | median | × node -e 0 | target |');
  console.log('|---|---|---|---|');
  for (const [label, args, env] of cases) {
    wallMs(args, env); // warm the file cache (and tsx's transform cache)
    const ms = median(Array.from({ length: RUNS }, () => wallMs(args, env)));
    if (!floor) floor = ms;
    const verb = args[1];
    const target = label.includes('compiled') ? TARGETS[verb] : undefined;
    const verdict = target ? `≤ ${target} ms — ${ms <= target ? 'met' : 'missed'}` : '—';
    console.log(`| ${label} | ${ms.toFixed(0)} ms | ×${(ms / floor).toFixed(1)} | ${verdict} |`);
    out[label] = { medianMs: Math.round(ms), ratioToNode: Number((ms / floor).toFixed(2)), ...(target ? { targetMs: target } : {}) };
  }
  return out;
}
