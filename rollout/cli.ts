/**
 * The `rollout` CLI. Each verb lives in rollout/commands/<verb>.ts and exports
 * `register(program, io)`; this file only assembles them.
 */
import { Command } from 'commander';
import { configureExit, processIo, type Io } from './cli-support.js';
import * as effective from './commands/effective.js';
import * as preview from './commands/preview.js';
import * as sandbox from './commands/sandbox.js';
import * as plan from './commands/plan.js';
import * as promote from './commands/promote.js';
import * as status from './commands/status.js';
import * as verify from './commands/verify.js';
import * as rollback from './commands/rollback.js';
import * as exceptions from './commands/exceptions.js';

export function buildProgram(io: Io = processIo): Command {
  const program = new Command('rollout')
    .description('Promote Amazon Bedrock guardrail releases through gated phases: pilot → model-rules → ou → enterprise')
    .option('--json', 'print one JSON document on stdout (stable schema, see README)')
    .showHelpAfterError();
  configureExit(program);
  for (const verb of [plan, promote, status, verify, rollback, exceptions, preview, effective, sandbox]) {
    verb.register(program, io);
  }
  // Subcommands inherit exit handling.
  for (const c of program.commands) configureExit(c);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  await buildProgram().parseAsync(argv);
}
