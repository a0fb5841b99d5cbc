// Placeholder: replaced by the verb's implementation.
import type { Command } from 'commander';
import { action, type Io } from '../cli-support.js';
import { ToolingError } from '../errors.js';

export function register(program: Command, io: Io): void {
  program.command('verify').description('(not built yet)').allowUnknownOption().action(action(io, async () => {
    throw new ToolingError('verify is not built yet');
  }));
}
