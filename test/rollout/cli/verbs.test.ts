/**
 * The static verb table (rollout/cli/verbs.ts) lists what `rollout --help` shows without importing
 * the verbs: it must say what each verb's own module registers, and pick the verb a command line runs.
 */
import { Command } from 'commander';
import { VERBS, verbOf } from '../../../rollout/cli/verbs.js';

const quiet = { out: () => {}, err: () => {} };

describe('the verb table', () => {
  test.each(VERBS.map((v) => [v.name, v] as const))('%s: the summary and arguments are the ones its module registers', async (_n, v) => {
    const program = new Command('rollout');
    (await v.load()).register(program, quiet);
    const cmd = program.commands.find((c) => c.name() === v.name);
    expect(cmd?.description()).toBe(v.summary);
    const args = cmd?.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`)).join(' ');
    expect(args || undefined).toBe(v.args);
  });

  test('the verb of a command line: first operand, or the one after help; none for --help / --version', () => {
    expect(verbOf(['status', '--env', 'x'])?.name).toBe('status');
    expect(verbOf(['--json', 'ledger', 'verify'])?.name).toBe('ledger');
    expect(verbOf(['help', 'plan'])?.name).toBe('plan');
    expect(verbOf(['--help'])).toBeUndefined();
    expect(verbOf(['--version'])).toBeUndefined();
    expect(verbOf(['bogus'])).toBeUndefined();
  });
});
