/**
 * The `rollout` CLI. Each verb lives in rollout/cli/commands/<verb>.ts and exports
 * `register(program, io)`; this file only assembles them.
 */
import { Command } from 'commander';
import { configureExit } from './support.js';
import { processIo, type Io } from '../ui/io.js';
import * as effective from './commands/effective.js';
import * as preview from './commands/preview.js';
import * as sandbox from './commands/sandbox.js';
import * as plan from './commands/plan.js';
import * as promote from './commands/promote.js';
import * as status from './commands/status.js';
import * as verify from './commands/verify.js';
import * as rollback from './commands/rollback.js';
import * as exceptions from './commands/exceptions.js';

/** Exit codes per verb, shown at the end of its --help (promote states its own). */
const EXIT_HELP: Record<string, string> = {
  plan: '0 report printed (also when promotion would be refused now: see promotion.allowed), 2 bad input, 3 tooling (sandbox/AWS unreachable, terraform failed).',
  status: '0, 2 bad input, 3 corrupt state file.',
  verify:
    '0 gates passed, 1 a check failed or was inconclusive (nothing is changed), 2 bad input / nothing recorded / lock held, 3 tooling.',
  rollback: '0 rolled back (or already was), 1 re-verification failed, 2 bad input / nothing recorded / lock held, 3 tooling.',
  list: '0, 2 bad input.',
  check: '0 no expired exception, 1 an exception has expired, 2 bad input.',
  preview: '0, 2 bad input.',
  effective: '0, 2 bad input (unreadable or invalid snapshot).',
  sandbox: '0 stopped by SIGINT/SIGTERM (state flushed), 2 bad input, 3 could not start.',
};

const PROGRAM_HELP = `
Exit codes: 0 success · 1 a gate failed / halted and rolled back, verify failed, expired exceptions ·
  2 bad input, nothing changed (flag, phase, environment file, phase order, approval missing, lock held) ·
  3 environment or tooling failure (sandbox/AWS unreachable, terraform failed, corrupt state).

Environment variables:
  ROLLOUT_HOME           state, ledger and lock directory (default ./.rollout)
  GUARDRAIL_ENV          default for --env (default sandbox)
  CI=true                implies --yes; plain progress lines
  ROLLOUT_ACTOR          who the ledger records (default: the CI actor, else the OS user)
  ROLLOUT_TERRAFORM_BIN  terraform or tofu binary for --engine terraform
  ROLLOUT_RATE_LIMIT     AWS calls per second per API (default 20 on AWS; 0 = unlimited)
  ROLLOUT_DEBUG=1        print the stack of an exit-3 error

Reference: docs/rollout.md`;

/** Exit handling, the --json flag in every verb's help and a one-line hint after a usage error. */
function configureTree(cmd: Command, io: Io, path: string[]): void {
  configureExit(cmd, io);
  if (path.length) {
    cmd.showHelpAfterError(`(run "rollout ${path.join(' ')} --help" for usage)`);
    const codes = EXIT_HELP[cmd.name()];
    if (codes && !cmd.commands.length) cmd.addHelpText('after', `\nExit codes: ${codes}`);
  }
  for (const c of cmd.commands) configureTree(c, io, [...path, c.name()]);
}

export function buildProgram(io: Io = processIo): Command {
  const program = new Command('rollout')
    .description('Promote Amazon Bedrock guardrail releases through gated phases: pilot → model-rules → ou → enterprise')
    .option('--json', 'print one JSON document on stdout, progress on stderr (schemas: docs/rollout.md)')
    .showHelpAfterError('(run "rollout --help" for usage)')
    .configureHelp({ showGlobalOptions: true })
    .addHelpText('after', PROGRAM_HELP);
  for (const verb of [plan, promote, status, verify, rollback, exceptions, preview, effective, sandbox]) {
    verb.register(program, io);
  }
  configureTree(program, io, []);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  // The SDK is pinned (package.json); its notice about future releases needing Node 22 is noise
  // on every run for users of the supported Node 20.19+ (README: Requirements).
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  await buildProgram().parseAsync(argv);
}
