/**
 * TEST DOUBLE of a GitHub Actions runner, for the CI rehearsal: runs the `run:` steps of a job
 * from examples/github-actions/ with bash (`-eo pipefail`, as Actions does), in a working
 * directory that stands for one runner, with GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, and the
 * few expressions the example workflows use (`inputs.*`, `steps.<id>.outputs.*`,
 * `needs.<job>.outputs.*`, `github.run_id`, `github.actor`, `==`, `always()`). `uses:` steps
 * are emulated: checkout, setup-node, setup-terraform, configure-aws-credentials and npm ci do
 * nothing (the repository's own checkout is used); upload/download-artifact copy a folder
 * through a shared artifact directory; the PR comment action checks its file exists.
 */
import { execa } from 'execa';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';

export interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
export interface Job {
  if?: string;
  steps: Step[];
  outputs?: Record<string, string>;
}
export interface Workflow {
  jobs: Record<string, Job>;
}

export function loadWorkflow(file: string): Workflow {
  return YAML.parse(readFileSync(file, 'utf8')) as Workflow;
}

export interface Context {
  inputs: Record<string, string>;
  needs: Record<string, { outputs: Record<string, string> }>;
  github: Record<string, string>;
}

export interface StepRun {
  name: string;
  exitCode: number;
  skipped: boolean;
  stdout: string;
  stderr: string;
}

export interface JobRun {
  skipped: boolean;
  exitCode: number;
  steps: StepRun[];
  outputs: Record<string, string>;
  summary: string;
}

type Scope = Context & { steps: Record<string, { outputs: Record<string, string> }> };

function lookup(path: string, scope: Scope): string {
  const parts = path.split('.');
  let v: unknown = scope;
  for (const p of parts) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  return v === undefined || v === null ? '' : String(v);
}

/** Value of one expression (the subset the example workflows use). */
export function evaluate(expr: string, scope: Scope): string | boolean {
  const e = expr.trim();
  if (e === 'always()') return true;
  const cmp = /^(.+?)\s*(==|!=)\s*(.+)$/.exec(e);
  if (cmp) {
    const a = evaluate(cmp[1]!, scope);
    const b = evaluate(cmp[3]!, scope);
    return cmp[2] === '==' ? String(a) === String(b) : String(a) !== String(b);
  }
  const lit = /^'(.*)'$/.exec(e);
  if (lit) return lit[1]!;
  if (/^[a-z_][\w.-]*$/i.test(e)) return lookup(e, scope);
  throw new Error(`the workflow runner double does not evaluate: ${e}`);
}

function interpolate(text: string, scope: Scope): string {
  return text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, e: string) => String(evaluate(e, scope)));
}

function condition(text: string | undefined, scope: Scope): boolean {
  if (text === undefined) return true;
  const inner = /^\$\{\{\s*(.+?)\s*\}\}$/.exec(text.trim())?.[1] ?? text;
  return evaluate(inner, scope) === true;
}

function parseOutputs(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([^=]+)=(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

export interface RunnerOptions {
  /** The runner's working directory (a fresh one per job stands for a fresh runner). */
  dir: string;
  /** Where uploaded artifacts are kept between jobs. */
  artifacts: string;
  env: Record<string, string>;
  /** Replaces the command prefix `npx rollout` (the runner has no node_modules of its own). */
  rollout: string;
}

export async function runJob(job: Job, ctx: Context, opts: RunnerOptions): Promise<JobRun> {
  const scope: Scope = { ...ctx, steps: {} };
  const result: JobRun = { skipped: false, exitCode: 0, steps: [], outputs: {}, summary: '' };
  if (!condition(job.if, scope)) return { ...result, skipped: true };
  mkdirSync(opts.dir, { recursive: true });
  const summaryFile = join(opts.dir, '.github-step-summary');
  writeFileSync(summaryFile, '');
  let failed = false;
  for (const [n, step] of job.steps.entries()) {
    const name = step.name ?? step.uses ?? step.run ?? `step ${n}`;
    const runIt = step.if === 'always()' || (!failed && condition(step.if, scope));
    if (!runIt) {
      result.steps.push({ name, exitCode: 0, skipped: true, stdout: '', stderr: '' });
      continue;
    }
    const outputFile = join(opts.dir, `.github-output-${n}`);
    writeFileSync(outputFile, '');
    let run: StepRun = { name, exitCode: 0, skipped: false, stdout: '', stderr: '' };
    if (step.uses) run = { ...run, ...emulateAction(step, scope, opts) };
    else if (step.run && step.run.trim() !== 'npm ci') {
      const script = interpolate(step.run, scope).replaceAll('npx rollout', opts.rollout);
      const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(String(v), scope)]));
      const r = await execa('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
        cwd: opts.dir,
        reject: false,
        stdin: 'ignore',
        env: { ...opts.env, ...env, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile },
      });
      run = { ...run, exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
    }
    if (step.id) scope.steps[step.id] = { outputs: parseOutputs(outputFile) };
    result.steps.push(run);
    if (run.exitCode !== 0) {
      failed = true;
      result.exitCode = run.exitCode;
    }
  }
  for (const [k, v] of Object.entries(job.outputs ?? {})) result.outputs[k] = interpolate(v, scope);
  result.summary = readFileSync(summaryFile, 'utf8');
  return result;
}

function emulateAction(step: Step, scope: Scope, opts: RunnerOptions): Partial<StepRun> {
  const action = step.uses!.split('@')[0]!;
  const w = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), scope)]));
  switch (action) {
    case 'actions/upload-artifact': {
      const src = join(opts.dir, w.path!);
      if (!existsSync(src)) return { exitCode: 1, stderr: `no such path to upload: ${w.path}` };
      cpSync(src, join(opts.artifacts, w.name!), { recursive: true });
      return { exitCode: 0 };
    }
    case 'actions/download-artifact': {
      const src = join(opts.artifacts, w.name!);
      if (!existsSync(src)) return { exitCode: 1, stderr: `no artifact named ${w.name}` };
      cpSync(src, join(opts.dir, w.path ?? '.'), { recursive: true });
      return { exitCode: 0 };
    }
    case 'marocchino/sticky-pull-request-comment':
      return existsSync(join(opts.dir, w.path!)) ? { exitCode: 0, stdout: readFileSync(join(opts.dir, w.path!), 'utf8') } : { exitCode: 1 };
    default:
      return { exitCode: 0 }; // checkout, setup-node, setup-terraform, configure-aws-credentials
  }
}
