/**
 * Out-of-band deletion, seen from the CLI: after the pilot account's enforced configuration is
 * deleted with DeleteEnforcedGuardrailConfiguration, `rollout plan pilot` shows its re-create and
 * `rollout promote pilot` repairs it instead of answering "already in place" — also while the
 * phase is still baking. Real CLI program and in-process sandbox, each test in a fresh home.
 */
import { DeleteEnforcedGuardrailConfigurationCommand, ListEnforcedGuardrailsConfigurationCommand } from '@aws-sdk/client-bedrock';
import type { Environment } from '../../../model/types.js';
import { parseFlags } from '../../../rollout/cli/commands/options.js';
import { Session } from '../../../rollout/flows/session.js';
import { runVerb, useFreshHome } from '../../helpers/cli.js';
import { runCli } from '../../helpers/run-cli.js';
import { AS_OF, sandboxEnvironment } from '../../helpers/sandbox-fixture.js';

let env: Environment;
beforeAll(async () => {
  env = await sandboxEnvironment();
});
useFreshHome();

/** Runs `fn` with the sandbox target's access, as an operator with their own SDK client would act. */
async function withAccess<T>(e: Environment, fn: (access: Awaited<ReturnType<Session['target']>>['access']) => Promise<T>): Promise<T> {
  const s = await Session.open(parseFlags({ env: e.name, asOf: AS_OF, yes: true }), { env: e });
  try {
    return await fn((await s.target()).access);
  } finally {
    await s.close();
  }
}

/** DeleteEnforcedGuardrailConfiguration on the pilot account's configuration in `region`. */
function deleteEnforcedOutOfBand(e: Environment, region: string): Promise<void> {
  return withAccess(e, async (access) => {
    const bedrock = access.forAccount(e.pilot.account, region).bedrock;
    const configId = (await bedrock.send(new ListEnforcedGuardrailsConfigurationCommand({}))).guardrailsConfig?.[0]?.configId;
    await bedrock.send(new DeleteEnforcedGuardrailConfigurationCommand({ configId }));
  });
}

/** Regions where the pilot account has an enforced configuration. */
function enforcedRegions(e: Environment): Promise<string[]> {
  return withAccess(e, async (access) => {
    const out: string[] = [];
    for (const r of e.regions) {
      const listed = await access.forAccount(e.pilot.account, r).bedrock.send(new ListEnforcedGuardrailsConfigurationCommand({}));
      if (listed.guardrailsConfig?.length) out.push(r);
    }
    return out;
  });
}

const address = (region: string) => `aws_bedrock_enforced_guardrail_configuration.account_${region.replace(/-/g, '_')}`;

test('rollout plan pilot shows the re-create of a deleted enforced configuration; rollout promote pilot repairs it', async () => {
  const first = await runCli(['--json', 'promote', 'pilot', '--as-of', AS_OF, '--yes']);
  expect(first.code).toBe(0);
  const region = env.regions[0]!;
  await deleteEnforcedOutOfBand(env, region);
  expect(await enforcedRegions(env)).toEqual(env.regions.slice(1));

  const plan = await runCli(['plan', 'pilot', '--as-of', AS_OF]);
  expect(plan.code).toBe(0);
  expect(plan.out).toContain('**pilot** — 1 to create, 0 to update, 0 to replace, 0 to destroy');
  expect(plan.out).toContain(`| create | \`${address(region)}\` |`);
  expect(plan.out).not.toContain('No resource changes');
  expect(plan.err).toMatch(/pilot: 1 change\(s\) \(1 create\), plan [0-9a-f]{12}/);
  const planJson = JSON.parse((await runCli(['--json', 'plan', 'pilot', '--as-of', AS_OF])).out);
  expect(planJson.promotion.reason).toMatch(/is in place on pilot, but what is deployed differs from its stacks: promote re-applies it$/);

  const repair = await runCli(['--json', 'promote', 'pilot', '--as-of', AS_OF, '--yes']);
  expect(repair.code).toBe(0);
  const doc = JSON.parse(repair.out);
  expect(doc).toMatchObject({ ok: true, outcome: 'promoted' });
  expect(doc.message).not.toMatch(/already in place/);
  expect(repair.err).toMatch(/is in place on pilot, but its stacks changed since it was applied \(pilot\): re-applying/);
  expect(await enforcedRegions(env)).toEqual(env.regions);
  const again = JSON.parse((await runCli(['--json', 'promote', 'pilot', '--as-of', AS_OF, '--yes'])).out);
  expect(again).toMatchObject({ ok: true, outcome: 'no-op', message: expect.stringMatching(/already in place on pilot/) });
}, 120_000);

test('a phase still baking is re-applied too when its enforced configuration was deleted (not "already in place")', async () => {
  const baking: Environment = { ...env, phases: { ...env.phases, pilot: { ...env.phases.pilot, bakeSeconds: 3600 } } };
  const first = await runVerb('promote', 'pilot', { env: baking, asOf: AS_OF });
  expect(first).toMatchObject({ ok: true, outcome: 'baking' });
  const untouched = await runVerb('promote', 'pilot', { env: baking, asOf: AS_OF });
  expect(untouched).toMatchObject({
    outcome: 'no-op',
    message: expect.stringMatching(/already in place on pilot, gates passed; bake time left/),
  });

  await deleteEnforcedOutOfBand(baking, env.regions[0]!);
  const repair = await runVerb('promote', 'pilot', { env: baking, asOf: AS_OF });
  expect(repair).toMatchObject({ ok: true, outcome: 'baking' });
  expect(await enforcedRegions(baking)).toEqual(env.regions);
  expect(repair.report?.stacks.find((s) => s.stack === 'pilot')?.resources).toEqual([
    { address: address(env.regions[0]!), type: 'aws_bedrock_enforced_guardrail_configuration', action: 'create', label: 'create' },
  ]);
}, 120_000);
