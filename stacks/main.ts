/**
 * App entry: `npm run synth -- --env <name or path> [--as-of YYYY-MM-DD] [--release R] [--target aws|sandbox] [--out dir]`
 * writes the five stacks with every phase at one release (default: the environment's
 * currentRelease), for AWS or the sandbox emulator (default: sandbox for sandbox environments). `cdktf synth` runs the same entry (cdktf.json "app"); it passes no flags,
 * so the environment then comes from GUARDRAIL_ENV (default "sandbox") and the output
 * directory from CDKTF_OUTDIR. Exit codes: 0 ok, 2 bad input, 3 tooling failure.
 */
import { parseArgs } from 'node:util';
import { loadEnvironment } from '../model/index.js';
import { PHASES, type Phase } from '../model/types.js';
import { exitCodeOf, InputError, UsageError } from '../core/errors.js';
import { synthStacks } from './synth.js';
import { defaultTarget, SYNTH_TARGETS, type SynthTarget } from './target.js';

const USAGE =
  'usage: npm run synth -- --env <name or path> [--as-of YYYY-MM-DD] [--release <release>] [--target aws|sandbox] [--out <dir>]';

/** `--target`: absent ⇒ undefined (the environment decides). */
export function parseTarget(value: string | undefined): SynthTarget | undefined {
  if (value === undefined) return undefined;
  if (!(SYNTH_TARGETS as readonly string[]).includes(value)) {
    throw new InputError(undefined, '--target', `expected ${SYNTH_TARGETS.join(' or ')}, got ${JSON.stringify(value)}`);
  }
  return value as SynthTarget;
}

export function parseAsOf(value: string | undefined, now = new Date()): Date {
  if (value === undefined) {
    // Midnight UTC of today: an exception applies through its expiry day, so this is exact.
    return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || !d || d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) {
    throw new InputError(undefined, '--as-of', `expected a real date as YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  return d;
}

export async function main(argv: string[]): Promise<number> {
  let values: { env?: string; 'as-of'?: string; release?: string; target?: string; out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        env: { type: 'string' },
        'as-of': { type: 'string' },
        release: { type: 'string' },
        target: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const asOf = parseAsOf(values['as-of']);
  const targetFlag = parseTarget(values.target);
  const env = await loadEnvironment(values.env ?? process.env.GUARDRAIL_ENV ?? 'sandbox');
  const release = values.release ?? env.currentRelease;
  if (!env.releases.some((r) => r.name === release)) {
    throw new InputError(
      undefined,
      '--release',
      `expected a release of environment "${env.name}" (${env.releases.map((r) => r.name).join(', ')}), got ${JSON.stringify(release)}`,
    );
  }
  const releases = Object.fromEntries(PHASES.map((p) => [p, release])) as Record<Phase, string>;
  const outdir = values.out ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out';
  const started = performance.now();
  const target = targetFlag ?? defaultTarget(env);
  const artifacts = synthStacks({ env, releases, asOf, outdir, target });
  const ms = Math.round(performance.now() - started);
  for (const a of artifacts) process.stdout.write(`${a.name.padEnd(12)} ${a.file}\n`);
  process.stdout.write(
    `synthesized ${artifacts.length} stacks for environment "${env.name}" (target ${target}) at release ${release} as of ${asOf.toISOString().slice(0, 10)} in ${ms} ms\n`,
  );
  return 0;
}

const isEntry = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry || process.argv[1]?.endsWith('stacks/main.ts')) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = exitCodeOf(err);
    },
  );
}
