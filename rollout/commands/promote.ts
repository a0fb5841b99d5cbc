// Placeholder: replaced by the verb's implementation.
import type { Command } from 'commander';
import { action, type Io } from '../cli-support.js';
import { ToolingError } from '../errors.js';

export function register(program: Command, io: Io): void {
  program.command('promote').description('(not built yet)').allowUnknownOption().action(action(io, async () => {
    throw new ToolingError('promote is not built yet');
  }));
}
