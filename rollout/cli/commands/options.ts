/**
 * Flags shared by plan / promote / status / verify / rollback / exceptions, validated with zod
 * so a bad value exits 2 naming the flag and what was expected.
 */
import { type Command, Option } from 'commander';
import { z } from 'zod';
import { PHASES, type Phase } from '../../../model/types.js';
import { UsageError } from '../../../core/errors.js';
import type { CommonFlags } from '../../flows/flags.js';

export type OptionSet =
  | 'env'
  | 'release'
  | 'engine'
  | 'yes'
  | 'approve'
  | 'asOf'
  | 'sandbox'
  | 'terraform'
  | 'out'
  | 'plan'
  | 'waitBake'
  | 'acceptWeakening'
  | 'toOlder'
  | 'to'
  | 'markdown';

export function addOptions(cmd: Command, sets: OptionSet[]): Command {
  const has = (s: OptionSet) => sets.includes(s);
  // GUARDRAIL_ENV is the variable `npm run synth` / `cdktf synth` and `rollout preview` read: one
  // setting selects the environment for every command of a pipeline.
  if (has('env'))
    cmd.addOption(
      new Option('--env <name-or-path>', 'environment name (environments/<name>) or path to its file').default(
        process.env.GUARDRAIL_ENV || 'sandbox',
        '$GUARDRAIL_ENV, else sandbox',
      ),
    );
  if (has('release')) cmd.option('--release <name>', "release to promote (default: the environment's currentRelease)");
  if (has('engine'))
    cmd.addOption(
      new Option('--engine <engine>', 'how stacks reach AWS (default: sandbox for the sandbox environment, terraform otherwise)')
        .choices(['sandbox', 'terraform'])
        .env('ROLLOUT_ENGINE'),
    );
  if (has('yes')) cmd.option('--yes', 'no prompts (implied when stdin is not a TTY or CI=true)');
  if (has('approve')) cmd.option('--approve <reason>', 'approve a phase that requires approval, with the reason recorded in the ledger');
  if (has('asOf')) cmd.option('--as-of <YYYY-MM-DD>', 'date for exception expiry (default: today, UTC)');
  // Environment variables let a pipeline's unchanged commands rehearse against the emulator.
  if (has('sandbox'))
    cmd.addOption(
      new Option('--sandbox-endpoint <url>', 'use a running `rollout sandbox` instead of starting one in-process').env(
        'ROLLOUT_SANDBOX_ENDPOINT',
      ),
    );
  if (has('terraform'))
    cmd.option('--terraform-bin <path>', 'terraform or tofu binary (default: ROLLOUT_TERRAFORM_BIN, then deployment.terraformBinary)');
  if (has('out'))
    cmd.option(
      '--out <dir-or-file>',
      'also write the markdown report and the plan file for promote --plan (a directory: <phase>.md and <phase>.plan.json; x.json: the plan file, x.md beside; x.md: the report, x.plan.json beside)',
    );
  if (has('plan'))
    cmd.option('--plan <file>', 'promote only if what would be applied is exactly this reviewed plan file (from plan --out)');
  // A terminal gets the report rendered for it; --markdown asks for what a PR comment gets.
  if (has('markdown')) cmd.option('--markdown', 'print the plan report as markdown even on a terminal');
  if (has('waitBake')) cmd.option('--wait-bake', "wait out the phase's bake time in this process and record it passed");
  if (has('acceptWeakening'))
    cmd.option(
      '--accept-weakening <reason>',
      'promote a unit that weakens what the phase enforces (a filter removed, a strength lowered, a model excluded, …), with the reason recorded in the ledger',
    );
  if (has('toOlder'))
    cmd.option(
      '--to-older <reason>',
      'promote a unit older than the one the phase holds (a deliberate step back), with the reason recorded in the ledger',
    );
  if (has('to'))
    cmd.option(
      '--to <unit-or-release>',
      'return the phase to a unit of its history: a unit label, a unit hash (or a prefix of at least 8 hex characters), or a release name (its one unit in the history)',
    );
  return cmd;
}

const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'expected a real calendar date');

const flagsSchema = z.object({
  env: z.string().min(1, 'expected an environment name or path').default('sandbox'),
  release: z.string().min(1, 'expected a release name').optional(),
  engine: z.enum(['sandbox', 'terraform']).optional(),
  yes: z.boolean().optional(),
  approve: z.string().trim().min(3, 'expected a reason of at least 3 characters').optional(),
  asOf: dateSchema.optional(),
  json: z.boolean().optional(),
  sandboxEndpoint: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL, e.g. http://127.0.0.1:4566' }).optional(),
  terraformBin: z.string().min(1).optional(),
  out: z.string().min(1).optional(),
  plan: z.string().min(1, 'expected the path of a plan file written by rollout plan --out').optional(),
  waitBake: z.boolean().optional(),
  markdown: z.boolean().optional(),
  acceptWeakening: z.string().trim().min(3, 'expected a reason of at least 3 characters').optional(),
  toOlder: z.string().trim().min(3, 'expected a reason of at least 3 characters').optional(),
  to: z.string().trim().min(1, 'expected a unit label, a unit hash (prefix) or a release name').optional(),
});

const FLAG_NAMES: Record<string, string> = {
  asOf: '--as-of',
  sandboxEndpoint: '--sandbox-endpoint',
  terraformBin: '--terraform-bin',
  waitBake: '--wait-bake',
  acceptWeakening: '--accept-weakening',
  toOlder: '--to-older',
};

/** True when no person can answer a prompt. */
export function nonInteractive(): boolean {
  return !process.stdin.isTTY || process.env.CI === 'true' || process.env.CI === '1';
}

export function parseFlags(raw: Record<string, unknown>): CommonFlags {
  const r = flagsSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const key = String(issue.path[0] ?? '');
    throw new UsageError(`${FLAG_NAMES[key] ?? `--${key}`}: ${issue.message}`);
  }
  const f = r.data;
  if (f.json && f.markdown) throw new UsageError('--markdown: choose one of --json or --markdown');
  const today = new Date().toISOString().slice(0, 10);
  return {
    env: f.env,
    release: f.release,
    engine: f.engine,
    yes: Boolean(f.yes) || nonInteractive(),
    approve: f.approve,
    asOf: new Date(`${f.asOf ?? today}T12:00:00Z`),
    json: Boolean(f.json),
    sandboxEndpoint: f.sandboxEndpoint,
    terraformBin: f.terraformBin,
    out: f.out,
    plan: f.plan,
    waitBake: f.waitBake,
    markdown: Boolean(f.markdown),
    acceptWeakening: f.acceptWeakening,
    toOlder: f.toOlder,
    to: f.to,
  };
}

/** Options of the command plus the global ones (--json). */
export function flagsOf(cmd: Command): CommonFlags {
  return parseFlags(cmd.optsWithGlobals());
}

export function parsePhase(value: string): Phase {
  if ((PHASES as readonly string[]).includes(value)) return value as Phase;
  throw new UsageError(`unknown phase "${value}"; valid phases: ${PHASES.join(', ')}`);
}
