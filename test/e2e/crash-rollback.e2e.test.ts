/**
 * A run cut off in the middle of a rollback (issue 10 item 8): the phase is recorded
 * `rolling-back` with its target before anything changes, and the next `promote` or `rollback`
 * completes the rollback without manual steps. The cut is made at the worst moment: after the
 * AWS call of the rollback's apply, before the engine recorded it (a sandbox-engine hook throws).
 */
import { ListEnforcedGuardrailsConfigurationCommand } from '@aws-sdk/client-bedrock';
import type { Environment } from '../../model/types.js';
import { parseFlags } from '../../rollout/cli/commands/options.js';
import { promote } from '../../rollout/flows/promote.js';
import { Session } from '../../rollout/flows/session.js';
import { silentProgress } from '../../rollout/ui/progress.js';
import { runVerb, state, useFreshHome } from '../helpers/cli.js';
import { AS_OF, R2, sandboxEnvironment } from '../helpers/sandbox-fixture.js';

let env: Environment;
beforeAll(async () => {
  env = await sandboxEnvironment();
});
useFreshHome();

async function pilotConfigs(e: Environment) {
  const s = await Session.open(parseFlags({ env: 'sandbox', asOf: AS_OF, yes: true }), { env: e });
  try {
    const t = await s.target();
    const out = [];
    for (const region of e.regions) {
      const r = await t.access.forAccount(e.pilot.account, region).bedrock.send(new ListEnforcedGuardrailsConfigurationCommand({}));
      out.push(
        ...(r.guardrailsConfig ?? []).map((c) => ({
          region,
          arn: c.guardrailArn,
          version: c.guardrailVersion,
          scg: c.selectiveContentGuarding,
        })),
      );
    }
    return out;
  } finally {
    await s.close();
  }
}

test.each(['promote', 'rollback'] as const)(
  'killed during the rollback apply: the next %s completes the rollback',
  async (verb) => {
    expect((await runVerb('promote', 'pilot', { env, release: R2, asOf: AS_OF })).ok).toBe(true);
    const before = await pilotConfigs(env);
    const defective: Environment = { ...env, enforcement: { ...env.enforcement, messages: 'comprehensive' } };

    // The promotion's apply makes one enforced-configuration call per region; the next one is the rollback's.
    let calls = 0;
    const flags = parseFlags({ env: 'sandbox', release: R2, asOf: AS_OF, yes: true, json: true });
    const s = await Session.open(flags, {
      lock: 'promote pilot',
      env: defective,
      target: {
        hooks: {
          afterCall(address) {
            if (address.startsWith('aws_bedrock_enforced_guardrail_configuration.') && ++calls === env.regions.length + 1) {
              throw new Error('killed mid-rollback (test)');
            }
          },
        },
      },
    });
    try {
      await expect(promote(s, 'pilot', { progress: silentProgress })).rejects.toThrow(/killed mid-rollback/);
    } finally {
      await s.close();
    }
    const mid = (await state()).phases.pilot!;
    expect(mid.status).toBe('rolling-back');
    expect(mid.rollbackTo?.unit?.hash).toBe(mid.previousUnit?.hash);

    const r = await runVerb(verb, 'pilot', { env, release: R2, asOf: AS_OF });
    expect(r.ok).toBe(true);
    expect(r.outcome).toBe(verb === 'promote' ? 'promoted' : 'rolled-back');
    const after = (await state()).phases.pilot!;
    expect(after.status).toBe(verb === 'promote' ? 'passed' : 'rolled-back');
    expect(after.rollbackTo).toBeUndefined();
    expect(await pilotConfigs(env)).toEqual(before);
  },
  180_000,
);
