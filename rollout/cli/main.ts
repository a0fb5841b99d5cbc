/**
 * The `rollout` CLI. Each verb lives in rollout/cli/commands/<verb>.ts and exports
 * `register(program, io)`; this file only assembles them. A command line imports only the module
 * of the verb it runs (rollout/cli/verbs.ts): the other verbs appear in the help as name and
 * summary, so `rollout --help`, `--version` and `status` start without cdktf, the AWS SDK or the
 * emulator.
 */
import { Command } from 'commander';
import { EXIT } from '../../core/errors.js';
import { toolVersion } from '../state/tool-version.js';
import { configureExit, envelope } from './support.js';
import { processIo, type Io } from '../ui/io.js';
import { VERBS, verbOf } from './verbs.js';

/** Exit codes per verb, shown at the end of its --help (promote states its own). */
const EXIT_HELP: Record<string, string> = {
  plan: '0 report printed (also when promotion would be refused now: see promotion.allowed), 2 bad input, 3 tooling (sandbox/AWS unreachable, terraform failed).',
  status: '0, 2 bad input, 3 corrupt state file.',
  verify:
    '0 gates passed, 1 a check failed or was inconclusive (nothing is changed), 2 bad input / nothing recorded / lock held, 3 tooling.',
  rollback: '0 rolled back (or already was), 1 re-verification failed, 2 bad input / nothing recorded / lock held, 3 tooling.',
  list: '0, 2 bad input.',
  check: '0 no expired exception, 1 an exception has expired, 2 bad input.',
  'ledger verify':
    '0 chain intact, 1 an entry was edited, removed, inserted or reordered (the first one is named), 2 bad input, 3 unreadable ledger.',
  unlock: '0 lock broken (and recorded in the ledger), 2 not locked / the lock id does not match (the holder is named), 3 tooling.',
  preview: '0, 2 bad input.',
  effective: '0, 2 bad input (unreadable or invalid snapshot).',
  sandbox: '0 stopped by SIGINT/SIGTERM (state flushed), 2 bad input, 3 could not start.',
};

const PROGRAM_HELP = `
Exit codes: 0 success · 1 a gate failed / halted and rolled back, verify failed, expired exceptions ·
  2 bad input, nothing changed (flag, phase, environment file, phase order, approval missing, lock held) ·
  3 environment or tooling failure (sandbox/AWS unreachable, terraform failed, corrupt state).

Environment variables:
  ROLLOUT_HOME           state, ledger and lock directory (default ./.rollout; deployment.stateStore s3: local files only)
  ROLLOUT_LOCK_TTL_MS    S3 lock: how long a holding lasts without renewal (default 120000; renewed every quarter of it)
  GUARDRAIL_ENV          default for --env (default sandbox)
  CI=true                implies --yes; plain progress lines
  ROLLOUT_ACTOR          who the ledger records (default: the CI actor, else the OS user)
  ROLLOUT_TERRAFORM_BIN  terraform or tofu binary for --engine terraform
  ROLLOUT_RATE_LIMIT     AWS calls per second per API (default 20 on AWS; 0 = unlimited)
  ROLLOUT_CALL_TIMEOUT_MS  per-attempt timeout of an AWS call (default 30000 on AWS, 10000 on the sandbox)
  ROLLOUT_MAX_ATTEMPTS     attempts per AWS call, retries included (default 4)
  ROLLOUT_GATE_DEADLINE_MS overall deadline of one gate (default 30 min on AWS, 5 min on the sandbox)
  ROLLOUT_DEBUG=1        print the stack of an exit-3 error

Reference: docs/rollout.md`;

/** Exit handling, the --json flag in every verb's help and a one-line hint after a usage error. */
function configureTree(cmd: Command, io: Io, path: string[]): void {
  configureExit(cmd, io);
  if (path.length) {
    cmd.showHelpAfterError(`(run "rollout ${path.join(' ')} --help" for usage)`);
    const codes = EXIT_HELP[path.join(' ')] ?? EXIT_HELP[cmd.name()];
    if (codes && !cmd.commands.length) cmd.addHelpText('after', `\nExit codes: ${codes}`);
  }
  for (const c of cmd.commands) configureTree(c, io, [...path, c.name()]);
}

/**
 * The program with every verb registered (tests, the demo); with `args` (the command line after
 * `node rollout`), only the verb those run is imported, the others are listed by name and summary.
 */
export async function buildProgram(io: Io = processIo, args?: readonly string[]): Promise<Command> {
  const program = new Command('rollout')
    .description('Promote Amazon Bedrock guardrail releases through gated phases: pilot → model-rules → ou → enterprise')
    .version(toolVersion(), '-V, --version', 'print the version of rollout')
    .option('--json', 'print one JSON document on stdout, progress on stderr (schemas: docs/rollout.md)')
    .showHelpAfterError('(run "rollout --help" for usage)')
    .configureHelp({ showGlobalOptions: true })
    .addHelpText('after', PROGRAM_HELP);
  const wanted = args && verbOf(args);
  // One after another: jest's ESM loader (tests build the whole program) fails on concurrent import()s of a shared graph.
  for (const v of VERBS) {
    if (!args || v === wanted) (await v.load()).register(program, io);
    else program.command(v.args ? `${v.name} ${v.args}` : v.name).description(v.summary);
  }
  configureTree(program, io, []);
  return program;
}

/** The parts of `process` the completion guard uses (a fake in tests). */
export interface GuardedProcess {
  on(event: 'beforeExit', listener: () => void): unknown;
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  off(event: 'beforeExit', listener: () => void): unknown;
  exit(code: number): unknown;
}

/**
 * The CLI never ends without printing its result or an error (issue 10). Node ends a process
 * whose event loop is empty even while a promise is pending — a promise that waits on itself
 * never settles, and the process would exit without a word; `beforeExit` fires exactly then
 * (https://nodejs.org/api/process.html#event-beforeexit). An unhandled rejection is reported the
 * same way (https://nodejs.org/api/process.html#event-unhandledrejection). Both print what was
 * pending (the verb and the command line) on stderr — and the JSON error document on stdout with
 * --json — and exit 3. `settle()` is called when the command has finished; unhandled rejections
 * after it still exit 3.
 */
export function guardCompletion(argv: readonly string[], proc: GuardedProcess = process, io: Io = processIo): { settle(): void } {
  const args = argv.slice(2);
  const verb = args.find((a) => !a.startsWith('-')) ?? '(no verb)';
  const line = ['rollout', ...args].join(' ');
  const json = args.slice(0, args.includes('--') ? args.indexOf('--') : undefined).includes('--json');
  let settled = false;
  let reported = false;
  const fail = (message: string) => {
    if (reported) return;
    reported = true;
    io.err(`rollout ${verb}: internal error: ${message} (command: ${line}). Exit ${EXIT.tooling}.`);
    if (json) io.out(JSON.stringify({ ...envelope('error', EXIT.tooling), error: { type: 'InternalError', verb, message } }, null, 2));
    proc.exit(EXIT.tooling);
  };
  const onBeforeExit = () => {
    if (!settled)
      fail(
        `"${verb}" was still pending when nothing was left to run (a promise that can never settle); it printed no result and did nothing more`,
      );
  };
  const onRejection = (reason: unknown) => {
    const text = reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason);
    fail(`unhandled promise rejection ${settled ? `after "${verb}" finished` : `while "${verb}" was pending`}: ${text}`);
  };
  proc.on('beforeExit', onBeforeExit);
  proc.on('unhandledRejection', onRejection);
  return {
    settle() {
      settled = true;
      proc.off('beforeExit', onBeforeExit);
    },
  };
}

/**
 * Node 20 is past end of life and AWS SDK releases after the first week of January 2027 require
 * Node 22 (README: Requirements). Said once, in one line, on stderr — instead of the SDK's own
 * multi-line notice on every client, which this switch then silences. Nothing is said on 22+.
 */
export function nodeNotice(
  version = process.versions.node,
  env: NodeJS.ProcessEnv = process.env,
  err: { write(text: string): unknown } = process.stderr,
): void {
  if (Number(version.split('.')[0]) >= 22 || env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED) return;
  err.write(
    `note: Node.js ${version} is past end of life; AWS SDK releases after the first week of January 2027 need Node.js 22 or later.\n`,
  );
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
}

export async function main(argv: string[] = process.argv): Promise<void> {
  nodeNotice();
  const guard = guardCompletion(argv);
  try {
    await (await buildProgram(processIo, argv.slice(2))).parseAsync(argv);
  } finally {
    guard.settle();
  }
}
