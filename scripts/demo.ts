/**
 * `npm run demo`: the whole rollout of the sandbox's current release through
 * pilot → model-rules → ou → enterprise on the embedded sandbox — no AWS account — showing
 * each gate, then `rollout status`. Uses a fresh ROLLOUT_HOME in a temp directory, so it can
 * be run again and again (set ROLLOUT_HOME yourself to keep the state and ledger).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PHASES } from '../model/types.js';

process.env.ROLLOUT_HOME ||= mkdtempSync(join(tmpdir(), 'rollout-demo-'));
const { buildProgram, nodeNotice } = await import('../rollout/cli/main.js');
nodeNotice();

const run = async (...args: string[]) => {
  process.exitCode = 0;
  await buildProgram().parseAsync(['node', 'rollout', ...args]);
  return Number(process.exitCode ?? 0);
};

console.log(`rollout demo — state and ledger in ${process.env.ROLLOUT_HOME}\n`);
const t0 = Date.now();
for (const phase of PHASES) {
  console.log(`\n════════ rollout promote ${phase} ════════`);
  // --env explicitly: a GUARDRAIL_ENV set for synth must not point the demo at a real organization.
  const code = await run('promote', phase, '--yes', '--env', 'sandbox');
  if (code !== 0) {
    console.log(`\npromote ${phase} exited ${code}; stopping the demo.`);
    process.exit(code);
  }
}
console.log(`\n════════ rollout status ════════`);
await run('status', '--env', 'sandbox');
console.log(
  `\nwhole rollout: ${((Date.now() - t0) / 1000).toFixed(1)}s · ledger: ${join(process.env.ROLLOUT_HOME, 'sandbox', 'ledger.jsonl')}`,
);
