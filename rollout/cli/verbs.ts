/**
 * The verbs of `rollout`, in help order, with what the top-level help shows: name, arguments,
 * one-line summary. Each verb's module (rollout/cli/commands/<verb>.ts) is imported only when that
 * verb runs (or its help is asked for), so `rollout --help`, `--version` and a cheap verb never
 * load what the others need (cdktf, the AWS SDK, the emulator). test/cli/verbs.test.ts checks the
 * summaries against the modules.
 */
import type { Command } from 'commander';
import type { Io } from '../ui/io.js';

export interface VerbModule {
  register(program: Command, io: Io): void;
}

export interface Verb {
  name: string;
  /** Positional arguments as commander spells them (`<phase>`), for the help line. */
  args?: string;
  summary: string;
  load(): Promise<VerbModule>;
}

export const VERBS: readonly Verb[] = [
  {
    name: 'plan',
    args: '<phase>',
    summary: 'the reviewer report for promoting a release to a phase (markdown for a PR comment, or --json); applies nothing',
    load: () => import('./commands/plan.js'),
  },
  {
    name: 'promote',
    args: '<phase>',
    summary: 'apply the release to a phase and run its gates; halt and roll back on a failed gate',
    load: () => import('./commands/promote.js'),
  },
  {
    name: 'status',
    summary: 'per phase: release, guardrail versions per account/region, applied at, gate results, bake time left',
    load: () => import('./commands/status.js'),
  },
  {
    name: 'verify',
    args: '<phase>',
    summary: 're-run the post-apply gates (smoke, effective-policy) against the release recorded for a phase',
    load: () => import('./commands/verify.js'),
  },
  {
    name: 'rollback',
    args: '<phase>',
    summary:
      'return a phase to the unit it held before its latest promotion (or remove it), or with --to to any unit of its history; then re-verify',
    load: () => import('./commands/rollback.js'),
  },
  {
    name: 'adopt',
    summary:
      'take over BEDROCK_POLICY policies and account-level configurations made outside rollout, so the next promotion plans updates instead of halting',
    load: () => import('./commands/adopt.js'),
  },
  {
    name: 'team',
    summary: "a team addition: an application team's account-level enforced guardrail, layered under the organization baseline",
    load: () => import('./commands/team.js'),
  },
  {
    name: 'unlock',
    summary: 'break the environment lock of a run that is gone; only with --force and the lock id it holds (recorded in the ledger)',
    load: () => import('./commands/unlock.js'),
  },
  { name: 'ledger', summary: 'the environment ledger: check its hash chain', load: () => import('./commands/ledger.js') },
  {
    name: 'exceptions',
    summary: 'recorded enforcement exceptions: list them, or check for expired ones (CI)',
    load: () => import('./commands/exceptions.js'),
  },
  {
    name: 'org',
    summary: 'the organization tree: import the organization section of environment.yaml from Organizations',
    load: () => import('./commands/org.js'),
  },
  {
    name: 'preview',
    summary: 'show the effective guardrail enforcement of every account and region after a phase is applied',
    load: () => import('./commands/preview.js'),
  },
  {
    name: 'effective',
    summary: 'compute the effective BEDROCK_POLICY of every account of an organization snapshot (as DescribeEffectivePolicy shows it)',
    load: () => import('./commands/effective.js'),
  },
  {
    name: 'sandbox',
    summary: 'run the local AWS emulator (STS, Organizations, Bedrock, Bedrock Runtime) seeded with an environment',
    load: () => import('./commands/sandbox.js'),
  },
];

/**
 * The verb a command line runs: its first operand (the only global option, --json, takes no
 * value), or the one after `help`. Undefined for `rollout`, `rollout --help`, `rollout --version`.
 */
export function verbOf(args: readonly string[]): Verb | undefined {
  const operands = args.slice(0, args.includes('--') ? args.indexOf('--') : undefined).filter((a) => !a.startsWith('-'));
  const name = operands[0] === 'help' ? operands[1] : operands[0];
  return VERBS.find((v) => v.name === name);
}
