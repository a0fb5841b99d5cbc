/**
 * `npm run demo:operating-model`: the operating model on the embedded sandbox, no AWS account.
 *
 *   1. the organization already enforces a BEDROCK_POLICY someone attached to the root by hand;
 *      `rollout plan pilot` would halt at preflight:drift, so `rollout adopt` takes it over
 *      (owned by enterprise, which updates that very policy in place);
 *   2. the release goes through pilot → model-rules → ou → enterprise;
 *   3. an application team's stricter addition (`teamAdditions: support-bot-strict`) is applied
 *      in its own account: its own must-block case is blocked there, the baseline's still are;
 *   4. `rollout org import` shows the file matches the live organization; `rollout status`.
 *
 * Uses a fresh ROLLOUT_HOME in a temp directory, so it can be run again.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PHASES, type Environment } from '../model/types.js';
import { attachHandMadeRootPolicy, HAND_MADE } from '../test/helpers/hand-made-policy.js';

process.env.ROLLOUT_HOME ||= mkdtempSync(join(tmpdir(), 'rollout-demo-om-'));
const { buildProgram, nodeNotice } = await import('../rollout/cli/main.js');
const { loadEnvironment } = await import('../model/index.js');
const { parseFlags } = await import('../rollout/cli/commands/options.js');
const { renderResultText } = await import('../rollout/cli/commands/run.js');
const { promote } = await import('../rollout/flows/promote.js');
const { Session } = await import('../rollout/flows/session.js');
const { progressFor } = await import('../rollout/ui/progress.js');
const { processIo } = await import('../rollout/ui/io.js');
nodeNotice();

const loaded = await loadEnvironment('sandbox');
// No bakes here (npm run demo shows them): this demo is about what the organization already has.
const env: Environment = {
  ...loaded,
  phases: Object.fromEntries(PHASES.map((p) => [p, { ...loaded.phases[p], bakeSeconds: 0, approval: false }])) as Environment['phases'],
};
const cli = async (...args: string[]): Promise<void> => {
  process.exitCode = 0;
  await (await buildProgram()).parseAsync(['node', 'rollout', ...args, '--env', 'sandbox']);
  if (process.exitCode) throw new Error(`rollout ${args.join(' ')} exited ${process.exitCode}`);
};
const title = (t: string) => console.log(`\n════════ ${t} ════════`);

console.log(`operating-model demo on the emulator — state and ledger in ${process.env.ROLLOUT_HOME}`);

title('before: a BEDROCK_POLICY attached to the root by hand');
{
  const s = await Session.open(parseFlags({ env: 'sandbox', yes: true }), { env });
  try {
    const id = await attachHandMadeRootPolicy((await s.target()).access, env);
    console.log(`policy ${id} (${HAND_MADE}) attached to ${env.organization.root.id}`);
  } finally {
    await s.close();
  }
}

title('rollout adopt --yes');
await cli('adopt', '--yes');

for (const phase of PHASES) {
  title(`rollout promote ${phase}`);
  const s = await Session.open(parseFlags({ env: 'sandbox', engine: 'sandbox', yes: true }), { lock: `promote ${phase}`, env });
  try {
    const r = await promote(s, phase, { progress: progressFor(processIo, false) });
    console.log(renderResultText(r));
    if (r.exitCode !== 0) process.exit(r.exitCode);
  } finally {
    await s.close();
  }
}

title('rollout team apply support-bot-strict --yes');
await cli('team', 'apply', 'support-bot-strict', '--yes');

title('rollout org import');
await cli('org', 'import');

title('rollout status');
await cli('status');
