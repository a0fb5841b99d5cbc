/**
 * `npm run demo [-- --env <name or path>]`: the whole rollout of an environment's current release
 * through pilot → model-rules → ou → enterprise on the embedded sandbox — no AWS account —
 * showing each gate, then `rollout status`. Any environment (e.g. `--env example-prod`) is
 * rehearsed on the emulator (`--engine sandbox`), seeded from its organization, roles and
 * regions; a rehearsal does not wait out the environment's bake times or ask for its approvals
 * (it says so): a phase with a bake analysis (docs/bake-analysis.md) bakes for DEMO_BAKE_SECONDS
 * instead, with `--wait-bake`, over the environment's synthetic traffic, so each phase's analysis
 * is shown; everything else — gates, role chain, exceptions — is the environment's own.
 * Uses a fresh ROLLOUT_HOME in a temp directory, so it can be run again and again (set
 * ROLLOUT_HOME yourself to keep the state and ledger).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PHASES, type Environment } from '../model/types.js';

process.env.ROLLOUT_HOME ||= mkdtempSync(join(tmpdir(), 'rollout-demo-'));
const { buildProgram, nodeNotice } = await import('../rollout/cli/main.js');
const { loadEnvironment } = await import('../model/index.js');
const { parseFlags } = await import('../rollout/cli/commands/options.js');
const { renderResultText } = await import('../rollout/cli/commands/run.js');
const { promote } = await import('../rollout/flows/promote.js');
const { Session } = await import('../rollout/flows/session.js');
const { progressFor } = await import('../rollout/ui/progress.js');
const { processIo } = await import('../rollout/ui/io.js');
nodeNotice();

// --env explicitly (default sandbox): a GUARDRAIL_ENV set for synth must not point the demo at a real organization.
const at = process.argv.indexOf('--env');
const envArg = at >= 0 && process.argv[at + 1] ? process.argv[at + 1] : 'sandbox';
const loaded = await loadEnvironment(envArg);
const DEMO_BAKE_SECONDS = 10;
const rehearsal = PHASES.some((p) => loaded.phases[p].bakeSeconds > 0 || loaded.phases[p].approval);
const analysed = PHASES.some((p) => loaded.phases[p].analysis);
const env: Environment = {
  ...loaded,
  phases: Object.fromEntries(
    PHASES.map((p) => [p, { ...loaded.phases[p], bakeSeconds: loaded.phases[p].analysis ? DEMO_BAKE_SECONDS : 0, approval: false }]),
  ) as Environment['phases'],
  // The analysis needs traffic to judge: the environment's own profile, else steady.
  sandbox: { policyTypeEnabled: loaded.sandbox?.policyTypeEnabled ?? true, traffic: loaded.sandbox?.traffic ?? 'steady' },
};

console.log(`rollout demo of ${env.name} on the emulator — state and ledger in ${process.env.ROLLOUT_HOME}`);
if (rehearsal) console.log('(rehearsal: bake times and approvals of the environment are not waited for or asked)');
if (analysed)
  console.log(
    `(each phase with a bake analysis bakes ${DEMO_BAKE_SECONDS}s under synthetic "${env.sandbox?.traffic}" traffic, judged by its CloudWatch metrics)`,
  );
const t0 = Date.now();
for (const phase of PHASES) {
  console.log(`\n════════ rollout promote ${phase} ════════`);
  const flags = parseFlags({ env: envArg, engine: 'sandbox', yes: true, waitBake: true });
  const s = await Session.open(flags, { lock: `promote ${phase}`, env });
  let code: number;
  try {
    const r = await promote(s, phase, { progress: progressFor(processIo, false) });
    console.log(renderResultText(r));
    code = r.exitCode;
  } catch (err) {
    console.log(`error: ${(err as Error).message}`);
    code = (err as { exitCode?: number }).exitCode ?? 3;
  } finally {
    await s.close();
  }
  if (code !== 0) {
    console.log(`\npromote ${phase} exited ${code}; stopping the demo.`);
    process.exit(code);
  }
}
console.log(`\n════════ rollout status ════════`);
process.exitCode = 0;
await (await buildProgram()).parseAsync(['node', 'rollout', 'status', '--env', envArg]);
console.log(
  `\nwhole rollout: ${((Date.now() - t0) / 1000).toFixed(1)}s · ledger: ${join(process.env.ROLLOUT_HOME, env.name, 'ledger.jsonl')}`,
);
