// Placeholder: replaced by the verb's implementation.
import type { Command } from 'commander';
import { action, type Io } from '../cli-support.js';
import { ToolingError } from '../errors.js';

export function register(program: Command, io: Io): void {
  program.command('effective').description('(not built yet)').allowUnknownOption().action(action(io, async () => {
    throw new ToolingError('effective is not built yet');
  }));
}
