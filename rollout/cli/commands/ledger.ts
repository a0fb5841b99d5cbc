import type { Command } from 'commander';
import { action, emit } from '../support.js';
import type { Io } from '../../ui/io.js';
import { chainSummary, verifyChain } from '../../state/ledger-chain.js';
import { addOptions } from './options.js';
import { withSession } from './run.js';

export function register(program: Command, io: Io): void {
  const ledger = program.command('ledger').description('the environment ledger: check its hash chain');
  const verify = ledger
    .command('verify')
    .description('check the ledger hash chain: exit 0 when intact, 1 naming the first edited, missing or reordered entry');
  addOptions(verify, ['env', 'sandbox']);
  verify.action(
    action(io, async (_o: unknown, c: Command) =>
      withSession(io, c, {}, async ({ session, flags }) => {
        const report = verifyChain(await session.ledger.readStored());
        const doc = { schemaVersion: 1, kind: 'ledger-verify', env: session.env.name, store: session.store.location, ...report };
        emit(io, flags, doc, () => chainSummary(report));
        return report.ok ? 0 : 1;
      }),
    ),
  );
}
