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
import { CreateGuardrailCommand, CreateGuardrailVersionCommand, PutResourcePolicyCommand } from '@aws-sdk/client-bedrock';
import { AttachPolicyCommand, CreatePolicyCommand } from '@aws-sdk/client-organizations';
import { PHASES, type Environment } from '../model/types.js';

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
    const t = await s.target();
    const gi: Record<string, unknown> = {};
    for (const region of env.regions) {
      const bedrock = t.access.forAccount(env.managementAccountId, region).bedrock;
      const g = await bedrock.send(
        new CreateGuardrailCommand({
          name: 'made-by-hand',
          blockedInputMessaging: 'Blocked.',
          blockedOutputsMessaging: 'Blocked.',
          wordPolicyConfig: { wordsConfig: [{ text: 'xyzzy' }] },
        }),
      );
      const v = await bedrock.send(new CreateGuardrailVersionCommand({ guardrailIdentifier: g.guardrailId }));
      const statement = {
        Effect: 'Allow',
        Principal: '*',
        Action: ['bedrock:ApplyGuardrail', 'bedrock:GetGuardrail'],
        Resource: g.guardrailArn,
        Condition: { StringEquals: { 'aws:PrincipalOrgID': env.organizationId } },
      };
      await bedrock.send(
        new PutResourcePolicyCommand({
          resourceArn: g.guardrailArn,
          resourcePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }),
        }),
      );
      gi[region] = {
        config_1: {
          identifier: { '@@assign': `${g.guardrailArn}:${v.version}` },
          model_enforcement: {
            included_models: { '@@assign': ['ALL'] },
            excluded_models: { '@@assign': env.enforcement.models.excluded },
          },
        },
      };
    }
    const org = t.access.forAccount(env.managementAccountId).organizations;
    const p = await org.send(
      new CreatePolicyCommand({
        Name: 'bedrock-baseline-by-hand',
        Description: 'attached in the console',
        Type: 'BEDROCK_POLICY',
        Content: JSON.stringify({ bedrock: { guardrail_inference: gi } }),
      }),
    );
    await org.send(new AttachPolicyCommand({ PolicyId: p.Policy!.PolicySummary!.Id!, TargetId: env.organization.root.id }));
    console.log(`policy ${p.Policy!.PolicySummary!.Id} (bedrock-baseline-by-hand) attached to ${env.organization.root.id}`);
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
