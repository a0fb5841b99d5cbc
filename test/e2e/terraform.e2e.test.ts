/**
 * The terraform engine end to end on the sandbox with the REAL `terraform` binary: the stacks go
 * through init, plan -out, show -json, apply of that saved plan and output -json, served by the
 * provider double (provider-double/, a test double of hashicorp/aws for the emulator), with state
 * on the local backend and the phase stacks reading the guardrails stack's outputs through
 * terraform_remote_state. The same gates as with the sandbox engine decide. Skipped with a printed
 * reason only where no `terraform` is on PATH.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteEnforcedGuardrailConfigurationCommand, ListEnforcedGuardrailsConfigurationCommand } from '@aws-sdk/client-bedrock';
import { PHASES, type Environment } from '../../model/types.js';
import { statusView } from '../../rollout/cli/views/status.js';
import { parseFlags } from '../../rollout/cli/commands/options.js';
import { candidateUnit } from '../../rollout/flows/unit.js';
import { planPhaseChange } from '../../rollout/flows/promote.js';
import { Session } from '../../rollout/flows/session.js';
import { envPaths } from '../../rollout/state/paths.js';
import { silentProgress } from '../../rollout/ui/progress.js';
import { AS_OF, OVERBLOCKING_RELEASE, R2, sandboxEnvironment, withOverblockingRelease } from '../helpers/sandbox-fixture.js';
import { ledger, runVerb, state, useFreshHome } from '../helpers/cli.js';
import { describeWithTerraform } from '../helpers/terraform.js';

let env: Environment;
beforeAll(async () => {
  env = await sandboxEnvironment();
});
const home = useFreshHome();
const tf = { engine: 'terraform' as const, asOf: AS_OF };

/** Resource addresses in a stack's local Terraform state (what terraform recorded it manages). */
function tfStateAddresses(stack: string): string[] {
  const file = join(envPaths('sandbox').dir, 'tfstate', `${stack}.tfstate`);
  if (!existsSync(file)) return [];
  const st = JSON.parse(readFileSync(file, 'utf8')) as { resources: { mode: string; type: string; name: string }[] };
  return st.resources
    .filter((r) => r.mode === 'managed')
    .map((r) => `${r.type}.${r.name}`)
    .sort();
}

/** The engine's plan of `phase` at `release` (what `rollout plan` reports), through a session. */
async function planOf(e: Environment, phase: (typeof PHASES)[number], release: string) {
  const flags = parseFlags({ env: e.name, release, engine: 'terraform', yes: true, json: true, asOf: AS_OF });
  const s = await Session.open(flags, { lock: `plan ${phase}`, env: e });
  try {
    const t = await s.target();
    const unit = candidateUnit(s.env, release, phase, flags.asOf);
    const { plans } = await planPhaseChange(s, t, await s.state(), phase, unit, join(s.paths.dir, 'plan', 'cdktf.out'), silentProgress);
    return plans.flatMap((p) => p.changes.filter((c) => c.action !== 'no-op').map((c) => `${c.action} ${c.address}`));
  } finally {
    await s.close();
  }
}

describeWithTerraform('test/e2e/terraform.e2e.test.ts')('rollout with the terraform engine (real binary, provider double)', () => {
  test('pilot → model-rules → ou → enterprise with --engine terraform; status and ledger; a defective release rolled back with terraform', async () => {
    for (const phase of PHASES) {
      const r = await runVerb('promote', phase, { env, release: R2, ...tf });
      expect({ phase, ok: r.ok, message: r.ok ? '' : r.message }).toEqual({ phase, ok: true, message: '' });
    }
    const view = statusView(env, await state(), new Date());
    for (const p of view.phases) {
      expect(p).toMatchObject({ release: R2, status: 'passed' });
      expect(p.gates.map((g) => [g.gate, g.status])).toEqual([
        ['preflight', 'passed'],
        ['propagation', 'passed'],
        ['smoke', 'passed'],
        ['effective-policy', 'passed'],
        ['bake', 'passed'],
      ]);
      expect(p.versions.every((v) => /^\d+$/.test(v.version))).toBe(true);
    }
    // Terraform, not the sandbox engine, holds what was applied.
    expect(existsSync(envPaths('sandbox').sandboxEngine)).toBe(false);
    expect(tfStateAddresses('pilot')).toEqual([
      'aws_bedrock_enforced_guardrail_configuration.account_eu_west_1',
      'aws_bedrock_enforced_guardrail_configuration.account_us_east_1',
      'aws_bedrock_guardrail.guardrail_eu_west_1',
      'aws_bedrock_guardrail.guardrail_us_east_1',
      'aws_bedrock_guardrail_version.release_baseline_2026_11_2_eu_west_1',
      'aws_bedrock_guardrail_version.release_baseline_2026_11_2_us_east_1',
    ]);
    expect(tfStateAddresses('enterprise')).toEqual(
      expect.arrayContaining(['aws_organizations_policy.baseline', 'aws_organizations_policy_attachment.baseline_r_sb01']),
    );
    const entries = await ledger();
    for (const phase of PHASES) {
      const mine = entries.filter((e) => e.phase === phase);
      expect(mine.filter((e) => e.kind === 'plan').map((e) => e.stack)).toEqual(['guardrails', phase]);
      expect(mine.filter((e) => e.kind === 'apply' && e.stack === phase)).toHaveLength(1);
      expect(mine.at(-1)).toMatchObject({ kind: 'promoted', status: 'passed', release: R2 });
    }
    // Everything in place: terraform plans no change, so promote says so.
    const again = await runVerb('promote', 'ou', { env, release: R2, ...tf });
    expect(again).toMatchObject({ ok: true, outcome: 'no-op', message: expect.stringMatching(/already in place on ou/) });

    // An overblocking release fails pilot's smoke gate; terraform re-applies the kept R2 stack.
    const e = withOverblockingRelease(env);
    const bad = await runVerb('promote', 'pilot', { env: e, release: OVERBLOCKING_RELEASE, ...tf });
    expect(bad).toMatchObject({ ok: false, exitCode: 1, outcome: 'rolled-back', rollback: { to: R2, status: 'rolled-back' } });
    expect(bad.failedChecks.some((c) => c.gate === 'smoke' && /pass-benign-question/.test(c.id))).toBe(true);
    const st = await state();
    expect(st.phases.pilot).toMatchObject({ release: R2, status: 'rolled-back', attemptRelease: OVERBLOCKING_RELEASE });
    expect(st.phases.pilot!.rollbackGates!.find((g) => g.gate === 'effective-policy')).toMatchObject({ status: 'passed' });
    for (const p of ['model-rules', 'ou', 'enterprise'] as const) expect(st.phases[p]).toMatchObject({ release: R2, status: 'passed' });
    const kinds = (await ledger()).filter((x) => x.attemptId === bad.attemptId).map((x) => x.kind);
    expect(kinds).toEqual(expect.arrayContaining(['halted', 'rollback']));
    expect(home()).toBeTruthy();
  }, 600_000);

  test('an enforced configuration deleted out of band: plan shows the re-create, promote repairs it', async () => {
    const r = await runVerb('promote', 'pilot', { env, release: R2, ...tf });
    expect(r.ok).toBe(true);
    // Someone deletes the pilot account's enforced configuration in us-east-1 outside rollout.
    const flags = parseFlags({ env: env.name, engine: 'terraform', yes: true, json: true, asOf: AS_OF });
    const s = await Session.open(flags, { lock: 'tamper', env });
    try {
      const bedrock = (await s.target()).access.forAccount(env.pilot.account, 'us-east-1').bedrock;
      const listed = await bedrock.send(new ListEnforcedGuardrailsConfigurationCommand({}));
      const configId = listed.guardrailsConfig?.find((c) => c.owner === 'ACCOUNT')?.configId;
      expect(configId).toBeDefined();
      await bedrock.send(new DeleteEnforcedGuardrailConfigurationCommand({ configId }));
    } finally {
      await s.close();
    }
    expect(await planOf(env, 'pilot', R2)).toEqual(['create aws_bedrock_enforced_guardrail_configuration.account_us_east_1']);
    const repaired = await runVerb('promote', 'pilot', { env, release: R2, ...tf });
    expect(repaired).toMatchObject({ ok: true });
    expect(repaired.outcome).not.toBe('no-op');
    expect(await planOf(env, 'pilot', R2)).toEqual([]);
  }, 300_000);
});
